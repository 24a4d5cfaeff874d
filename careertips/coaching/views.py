from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from careertips.coaching import services
from careertips.coaching.forms import (
    ActionItemForm,
    CommentForm,
    ConsentForm,
    DraftForm,
    NoteForm,
    ScopesForm,
    SessionForm,
    ShareForm,
    SummaryForm,
)
from careertips.coaching.models import Comment, Scope
from careertips.coaching.services import comments as comment_services
from careertips.coaching.services import practice as practice_services
from careertips.coaching.services import sessions as session_services
from careertips.core.decorators import role_required
from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest
from careertips.core.roles import Role


def _member_page(
    request: MemberRequest,
    *,
    share_form: ShareForm | None = None,
    note_form: NoteForm | None = None,
    consent_form: ConsentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    member = request.user
    sharings = services.sharings_of(member)
    profile = practice_services.practice_profile_of(member)
    context: dict[str, Any] = {
        "sharings": sharings,
        "scope_forms": [
            (sharing, ScopesForm(initial={scope: sharing.allows(scope) for scope in Scope.values}))
            for sharing in sharings
        ],
        "consent_form": consent_form
        or ConsentForm(
            initial={
                "consents": profile.consents,
                "role_family": profile.role_family,
                "industry": profile.industry,
            }
        ),
        "profile": profile,
        "sessions": session_services.sessions_of_member(member),
        "share_form": share_form or ShareForm(member=member, sharings=sharings),
        "note_form": note_form or NoteForm(),
        "notes": services.attach_undelivered(services.thread_of(member), viewer=member),
        "note_action": "coaching:member-note",
    }
    return render(request, "coaching/member.html", context, status=status)


@login_required
@require_GET
def member_home(request: MemberRequest) -> HttpResponse:
    return _member_page(request)


@login_required
@require_POST
def share(request: MemberRequest) -> HttpResponse:
    form = ShareForm(request.POST, member=request.user)
    if form.is_valid():
        try:
            sharing = services.share_with(member=request.user, coach=form.cleaned_data["coach"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            name = sharing.coach.display_name or sharing.coach.email
            messages.success(request, f"{name} can now read your search.")
            return redirect("coaching:home")
    return _member_page(request, share_form=form, status=400)


@login_required
@require_POST
def stop(request: MemberRequest) -> HttpResponse:
    coach_id = request.POST.get("coach", "")
    if coach_id.isdigit() and services.stop_sharing(member=request.user, coach_id=int(coach_id)):
        messages.success(request, "Stopped sharing: that coach no longer sees your search.")
    else:
        messages.error(request, "You were not sharing with that coach.")
    return redirect("coaching:home")


@login_required
@require_POST
def member_note(request: MemberRequest) -> HttpResponse:
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(
                member=request.user, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("coaching:home")
    return _member_page(request, note_form=form, status=400)


@role_required(Role.COACH)
@require_GET
def clients(request: MemberRequest) -> HttpResponse:
    rows = services.desk_of(request.user)
    services.record_reads(
        coach=request.user, members=[row.member for row in rows], page="Client list (your figures)",
        path=request.path,
    )  # fmt: skip
    return render(request, "coaching/clients.html", {"rows": rows})


def _client_page(
    request: MemberRequest,
    pk: int,
    *,
    note_form: NoteForm | None = None,
    session_form: SessionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    member = services.get_client_for(request.user, pk)
    sharing = services.Sharing.objects.get(member=member, coach=request.user)
    views = [services.scope_view(member, scope) for scope in sharing.scopes]
    page = "Client page: " + (", ".join(view.label for view in views) or "notes and sessions")
    services.record_reads(coach=request.user, members=[member], page=page, path=request.path)
    context = {
        "member": member,
        "sharing": sharing,
        "views": views,
        "scopes": [(scope, Scope(scope).label) for scope in sharing.scopes],
        "sessions": session_services.sessions_with(request.user, member),
        "session_form": session_form or SessionForm(),
        "notes": services.attach_undelivered(
            services.thread_of(member, coach=request.user), viewer=request.user
        ),
        "note_form": note_form or NoteForm(),
    }
    return render(request, "coaching/client.html", context, status=status)


@role_required(Role.COACH)
@require_GET
def client(request: MemberRequest, pk: int) -> HttpResponse:
    return _client_page(request, pk)


@role_required(Role.COACH)
@require_POST
def coach_note(request: MemberRequest, pk: int) -> HttpResponse:
    member = services.get_client_for(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(member=member, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("coaching:client", pk=member.pk)
    return _client_page(request, pk, note_form=form, status=400)


@login_required
@require_POST
def scopes(request: MemberRequest) -> HttpResponse:
    form = ScopesForm(request.POST)
    coach_id = request.POST.get("coach", "")
    if form.is_valid() and coach_id.isdigit():
        services.set_scopes(member=request.user, coach_id=int(coach_id), scopes=form.chosen())
        messages.success(request, "Saved: your coach now sees exactly the parts you chose.")
    return redirect("coaching:home")


@login_required
@require_GET
def preview(request: MemberRequest, coach_pk: int) -> HttpResponse:
    """The member's own search as this coach sees it (nothing is logged: it is theirs)."""
    sharing = services.get_member_sharing(request.user, coach_pk)
    views = [services.scope_view(request.user, scope) for scope in sharing.scopes]
    context = {"sharing": sharing, "views": views, "member": request.user, "preview": True}
    return render(request, "coaching/preview.html", context)


@login_required
@require_POST
def consent(request: MemberRequest) -> HttpResponse:
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            profile = practice_services.set_practice_consent(
                member=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Thank you: your debrief themes count in the practice's anonymous figures."
                if profile.consents
                else "Your debrief themes are no longer counted anywhere.",
            )
            return redirect("coaching:home")
    return _member_page(request, consent_form=form, status=400)


@login_required
@require_POST
def action_done(request: MemberRequest, pk: int) -> HttpResponse:
    item = session_services.get_action_item_for(request.user, pk)
    session_services.complete_action_item(item=item)
    messages.success(request, f"Done: {item.title}")
    return redirect(request.POST.get("next") == "today" and "agenda:today" or "coaching:home")


@role_required(Role.COACH)
@require_GET
def client_scope(request: MemberRequest, pk: int, scope: str) -> HttpResponse:
    member = services.get_client_for(request.user, pk)
    if scope not in Scope.values:
        raise Http404("No such part of a search.")
    services.get_sharing_for_coach(request.user, member, scope)
    view = services.scope_view(member, scope)
    services.record_reads(coach=request.user, members=[member], page=view.label, path=request.path)
    return render(request, "coaching/scope.html", {"member": member, "view": view})


ITEM_READERS: dict[str, Any] = {
    Comment.Kind.DEBRIEF: services.get_debrief_for_coach,
    Comment.Kind.STORY: services.get_story_for_coach,
    Comment.Kind.PREP: services.get_prep_for_coach,
    Comment.Kind.OFFER: services.get_offer_for_coach,
}


def _item_page(
    request: MemberRequest, pk: int, kind: str, item_pk: int, *, form: CommentForm | None = None
) -> HttpResponse:
    member = services.get_client_for(request.user, pk)
    if kind not in ITEM_READERS:
        raise Http404("No such kind of item.")
    scope = comment_services.KIND_SCOPES[Comment.Kind(kind)]
    item = ITEM_READERS[kind](request.user, member, item_pk, scope)
    label = Scope(scope).label
    services.record_reads(
        coach=request.user, members=[member], page=f"{label}: {Comment.Kind(kind).label}",
        path=request.path,
    )  # fmt: skip
    comment_pk = comment_services.item_pk(kind, item)
    context = {
        "member": member,
        "kind": kind,
        "item": item,
        "comment_pk": comment_pk,
        "comments": comment_services.comments_for_member_item(member, kind, comment_pk),
        "comment_form": form or CommentForm(),
    }
    return render(request, f"coaching/item_{kind}.html", context, status=400 if form else 200)


@role_required(Role.COACH)
@require_GET
def client_item(request: MemberRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    return _item_page(request, pk, kind, item_pk)


@role_required(Role.COACH)
@require_POST
def client_comment(request: MemberRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    member = services.get_client_for(request.user, pk)
    if kind not in ITEM_READERS:
        raise Http404("No such kind of item.")
    scope = comment_services.KIND_SCOPES[Comment.Kind(kind)]
    item = ITEM_READERS[kind](request.user, member, item_pk, scope)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(
                coach=request.user, member=member, kind=kind, item=item,
                body=form.cleaned_data["body"],
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Comment added: they are told by email and in Today.")
            return redirect("coaching:client-item", pk=pk, kind=kind, item_pk=item_pk)
    return _item_page(request, pk, kind, item_pk, form=form)


@role_required(Role.COACH)
@require_POST
def session_new(request: MemberRequest, pk: int) -> HttpResponse:
    member = services.get_client_for(request.user, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            session = services.schedule_session(
                coach=request.user, member=member, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Session booked: you both have the invitation by email.")
            return redirect("coaching:session", pk=session.pk)
    return _client_page(request, pk, session_form=form, status=400)


def _session_page(
    request: MemberRequest,
    pk: int,
    *,
    summary_form: SummaryForm | None = None,
    action_form: ActionItemForm | None = None,
    status: int = 200,
) -> HttpResponse:
    session = services.get_session_for_coach(request.user, pk)
    services.record_reads(
        coach=request.user, members=[session.member], page="Coaching session",
        path=request.path,
    )  # fmt: skip
    context = {
        "session": session,
        "member": session.member,
        "items": list(session.action_items.all()),
        "summary_form": summary_form or SummaryForm(initial={"summary": session.summary}),
        "action_form": action_form or ActionItemForm(),
    }
    return render(request, "coaching/session.html", context, status=status)


@role_required(Role.COACH)
@require_GET
def session(request: MemberRequest, pk: int) -> HttpResponse:
    return _session_page(request, pk)


@role_required(Role.COACH)
@require_POST
def session_summary(request: MemberRequest, pk: int) -> HttpResponse:
    session = services.get_session_for_coach(request.user, pk)
    form = SummaryForm(request.POST)
    if form.is_valid():
        try:
            services.write_summary(session=session, summary=form.cleaned_data["summary"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("coaching:session", pk=pk)
    return _session_page(request, pk, summary_form=form, status=400)


@role_required(Role.COACH)
@require_POST
def session_action(request: MemberRequest, pk: int) -> HttpResponse:
    session = services.get_session_for_coach(request.user, pk)
    form = ActionItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_action_item(session=session, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("coaching:session", pk=pk)
    return _session_page(request, pk, action_form=form, status=400)


@role_required(Role.COACH, Role.EDITOR)
@require_GET
def practice(request: MemberRequest) -> HttpResponse:
    from careertips.insights.charts import Bar, bar_chart

    overview = services.practice_overview()
    chosen = next((t for t in overview.themes if t.theme == request.GET.get("theme")), None)
    chart = None
    if chosen is not None:
        bars = [
            Bar(c.label, c.members or 0, str(c.members) if c.members else "fewer than 5")
            for c in chosen.months
        ]
        chart = bar_chart(
            bars, title=f"Members who heard “{chosen.label}”, by month",
            description="Months with fewer than 5 members show no figure.",
        )  # fmt: skip
    context = {
        "overview": overview,
        "chosen": chosen,
        "chart": chart,
        "k": practice_services.K_ANONYMITY,
        "can_draft": request.user.has_role(Role.EDITOR),
    }
    return render(request, "coaching/practice.html", context)


@role_required(Role.EDITOR)
@require_POST
def practice_draft(request: MemberRequest) -> HttpResponse:
    form = DraftForm(request.POST)
    if form.is_valid():
        try:
            article = services.start_newsletter_draft(**form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Draft started in the next issue, with the figures.")
            return redirect("newsletter:staff-article", pk=article.pk)
    return redirect("coaching:practice")
