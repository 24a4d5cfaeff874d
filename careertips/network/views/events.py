from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest, paginate, safe_next, search_text, swaps
from careertips.network import services
from careertips.network.forms import AttendanceForm, EventForm
from careertips.network.models import Contact, Event, EventAttendance

SEARCH_LIMIT = 20


@login_required
@require_GET
def event_list(request: MemberRequest) -> HttpResponse:
    now = timezone.now()
    events = (
        Event.objects.owned_by(request.user)
        .select_related("organization")
        .annotate(
            expected=Count("attendances", filter=Q(attendances__status="expected")),
            met=Count("attendances", filter=Q(attendances__status="met")),
        )
    )
    context = {
        "upcoming": list(events.filter(starts_at__gte=now).order_by("starts_at", "pk")[:100]),
        "page": paginate(request, events.filter(starts_at__lt=now).order_by("-starts_at", "-pk")),
    }
    return render(request, "network/event_list.html", context)


@login_required
@require_GET
def event_detail(request: MemberRequest, pk: int) -> HttpResponse:
    event = services.get_event_for(request.user, pk)
    context = _event_context(request, event)
    if swaps(request, "attendee-search"):
        return render(request, "network/event_detail.html#search", context)
    return render(request, "network/event_detail.html", context)


def _event_context(request: MemberRequest, event: Event, **extra: Any) -> dict[str, Any]:
    attendances = list(event.attendances.select_related("contact__organization"))  # type: ignore[attr-defined]
    q = search_text(request)
    found: list[Contact] = []
    if q:
        found = list(
            Contact.objects.owned_by(request.user)
            .filter(Q(name__icontains=q) | Q(organization__name__icontains=q))
            .exclude(pk__in=[a.contact_id for a in attendances])
            .select_related("organization")[:SEARCH_LIMIT]
        )
    return {
        "event": event,
        "attendances": attendances,
        "reconnects": services.reconnects_for(event=event),
        "q": q,
        "found": found,
        "statuses": EventAttendance.Status.choices,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: MemberRequest) -> HttpResponse:
    event = Event(owner=request.user)
    if (org := request.GET.get("organization", "")).isdigit():
        event.organization = services.get_organization_for(request.user, int(org))
    return _event_form(request, event)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: MemberRequest, pk: int) -> HttpResponse:
    return _event_form(request, services.get_event_for(request.user, pk))


def _event_form(request: MemberRequest, event: Event) -> HttpResponse:
    form = EventForm(request.POST or None, instance=event, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.save_event(event=form.save(commit=False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved {event.name}.")
            return redirect(event)
    return render(request, "network/event_form.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def event_delete(request: MemberRequest, pk: int) -> HttpResponse:
    event = services.get_event_for(request.user, pk)
    if request.method == "POST":
        services.delete_event(event=event)
        messages.success(request, f"Deleted {event.name}.")
        return redirect("network:events")
    context = {
        "object": event,
        "kind": "event",
        "consequence": "Touchpoints logged there are kept, without the event.",
    }
    return render(request, "network/confirm_delete.html", context)


@login_required
@require_POST
def attendance_set(request: MemberRequest, pk: int) -> HttpResponse:
    """Adds a contact to an event as expected or met, or changes their status."""
    event = services.get_event_for(request.user, pk)
    form = AttendanceForm(request.POST, owner=request.user)
    if form.is_valid():
        try:
            services.set_attendance(
                event=event,
                contact=form.cleaned_data["contact"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    if request.htmx and not form.errors:
        return render(request, "network/event_detail.html#people", _event_context(request, event))
    return redirect(safe_next(request, event.get_absolute_url()))


@login_required
@require_POST
def attendance_remove(request: MemberRequest, pk: int) -> HttpResponse:
    attendance = services.get_attendance_for(request.user, pk)
    event = attendance.event
    services.remove_attendance(attendance=attendance)
    if request.htmx:
        return render(request, "network/event_detail.html#people", _event_context(request, event))
    messages.success(request, f"Removed {attendance.contact.name} from {event.name}.")
    return redirect(event)
