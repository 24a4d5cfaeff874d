"""The member's side of coaching: who they share with, in which scopes, the preview of what a
coach sees, consent to the practice's figures, notes and action items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from careertips.coaching import services
from careertips.coaching.forms import (
    ConsentForm,
    NoteForm,
    ScopesForm,
    ShareForm,
)
from careertips.coaching.models import Scope
from careertips.coaching.services import practice as practice_services
from careertips.coaching.services import sessions as session_services
from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest


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
