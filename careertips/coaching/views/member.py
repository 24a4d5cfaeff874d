"""The member's side of coaching: who they share with, in which scopes, and the notes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from careertips.coaching import services
from careertips.coaching.forms import NoteForm, ShareForm
from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest


def _member_page(
    request: MemberRequest,
    *,
    share_form: ShareForm | None = None,
    note_form: NoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    member = request.user
    sharings = services.sharings_of(member)
    context: dict[str, Any] = {
        "sharings": sharings,
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
