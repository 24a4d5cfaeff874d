"""The coach's desk: the members who share with them, and notes back."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from careertips.coaching import services
from careertips.coaching.forms import NoteForm
from careertips.core.decorators import role_required
from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest
from careertips.core.roles import Role


@role_required(Role.COACH)
@require_GET
def clients(request: MemberRequest) -> HttpResponse:
    rows = services.clients_of(request.user)
    services.record_reads(
        coach=request.user, members=[row.member for row in rows], page="Client list (your figures)",
        path=request.path,
    )  # fmt: skip
    return render(request, "coaching/clients.html", {"rows": rows})


def _client_page(
    request: MemberRequest, pk: int, *, note_form: NoteForm | None = None, status: int = 200
) -> HttpResponse:
    member = services.get_client_for(request.user, pk)
    services.record_reads(
        coach=request.user, members=[member], page="Your search", path=request.path
    )
    context = {
        "member": member,
        "overview": services.client_overview(member),
        "notes": services.attach_undelivered(services.thread_of(member), viewer=request.user),
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
