"""The coach's desk: the members who share with them, what they share (read only), comments,
sessions with their summaries and action items, and notes back."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from careertips.coaching import services
from careertips.coaching.forms import (
    ActionItemForm,
    CommentForm,
    NoteForm,
    SessionForm,
    SummaryForm,
)
from careertips.coaching.models import Comment, Scope
from careertips.coaching.services import comments as comment_services
from careertips.coaching.services import sessions as session_services
from careertips.core.decorators import role_required
from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest
from careertips.core.roles import Role


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
