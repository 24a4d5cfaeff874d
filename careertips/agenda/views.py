from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html_join
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from careertips.agenda.forms import (
    DigestForm,
    GoalsForm,
    SnoozeForm,
    done_form_class,
)
from careertips.agenda.rows import ItemWriter
from careertips.agenda.services import actions, digest, feed, goals
from careertips.agenda.services.actions import SNOOZE_CHOICES
from careertips.agenda.services.clock import Clock
from careertips.agenda.services.items import Item
from careertips.agenda.services.today import GROUPS, build_agenda
from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest
from careertips.core.pagecache import member_page_cache

SNOOZE_OPTIONS = format_html_join("", '<option value="{}">{}</option>', SNOOZE_CHOICES)
CALENDAR_URL_SESSION_KEY = "agenda_new_calendar_url"
GROUP_SLUGS = {slug for _, slug, _ in GROUPS}


def _partial(request: MemberRequest) -> bool:
    """An htmx swap, as opposed to a full page load or htmx restoring its history."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _expanded(request: MemberRequest) -> str:
    """The group the member asked to see more of, if any (sent along by htmx requests)."""
    slug = request.GET.get("group") or request.POST.get("group") or ""
    return slug if slug in GROUP_SLUGS else ""


def _agenda_context(request: MemberRequest, clock: Clock) -> dict[str, Any]:
    user = request.user
    expanded = _expanded(request)
    agenda = build_agenda(owner=user, clock=clock, expand=expanded)
    # The lines are written in Python (agenda/rows.py): as a template they cost more than
    # the rest of the page.
    writer = ItemWriter(
        item_root=reverse("agenda:item", args=["k", 1]).removesuffix("k/1/"),
        csrf_token=get_token(request),
        snooze_options=SNOOZE_OPTIONS,
    )
    return {
        "agenda": agenda,
        "groups": [(group, writer.items(group.items)) for group in agenda.groups],
        "expanded": expanded,
        "snoozes": actions.snoozed(owner=user, today=clock.today),
    }


def _goals_context(request: MemberRequest, clock: Clock, form: GoalsForm | None = None) -> dict:
    progress = goals.goal_progress(owner=request.user, clock=clock)
    initial = {p.metric: p.target for p in progress}
    return {
        "progress": progress,
        "goals_form": form or GoalsForm(initial=initial),
        "week": goals.Week.of(clock),
    }


def _reminders_context(
    request: MemberRequest, form: DigestForm | None = None, new_url: str = ""
) -> dict[str, Any]:
    prefs = feed.agenda_settings_of(request.user)
    return {
        "prefs": prefs,
        "digest_form": form or DigestForm(instance=prefs, time_zone=request.user.time_zone),
        "calendar_url": new_url or request.session.pop(CALENDAR_URL_SESSION_KEY, ""),
    }


@never_cache
@login_required
@member_page_cache
@require_GET
def today(request: MemberRequest) -> HttpResponse:
    clock = Clock.for_user(request.user)
    context = {
        **_agenda_context(request, clock),
        **_goals_context(request, clock),
        **_reminders_context(request),
    }
    template = "agenda/today.html#agenda" if _partial(request) else "agenda/today.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _after_change(
    request: MemberRequest, message: str, clock: Clock, *, level: int = messages.SUCCESS
) -> HttpResponse:
    """htmx gets the list again, with the news; a plain form post goes back to Today."""
    if _partial(request):
        context = {
            **_agenda_context(request, clock),
            "notice": message,
            "notice_is_error": level == messages.ERROR,
        }
        return render(request, "agenda/today.html#agenda", context)
    messages.add_message(request, level, message)
    return redirect("agenda:today")


def _item_context(
    request: MemberRequest, item: Item, form: BaseForm | None, clock: Clock
) -> dict[str, Any]:
    return {
        **actions.describe_item(owner=request.user, item=item),
        "item": item,
        "done_form": form,
        "snooze_form": SnoozeForm(),
        "overdue": item.due < clock.today,
        "in_place": _partial(request),
    }


def _render_item(
    request: MemberRequest, item: Item, form: BaseForm | None, clock: Clock
) -> HttpResponse:
    context = _item_context(request, item, form, clock)
    if not _partial(request):
        return render(request, "agenda/item.html", context)
    response = render(request, "agenda/item.html#detail", context)
    if request.method == "POST":
        # A form that failed goes back into the opened item, not over the whole list.
        response = reswap(retarget(response, f"#open-{item.dom_id}"), "innerHTML")
    return response


def _done_form(item: Item, data: Any = None) -> BaseForm | None:
    """The done form for items that need a few fields, with ids unique on the page."""
    form_class = done_form_class(item)
    if form_class is None:
        return None
    return form_class(data, auto_id=f"id_{item.dom_id}_%s")


@login_required
@require_GET
def item_detail(request: MemberRequest, kind: str, pk: int) -> HttpResponse:
    clock = Clock.for_user(request.user)
    item = actions.get_item_for(request.user, kind=kind, pk=pk, clock=clock)
    response = _render_item(request, item, _done_form(item), clock)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def item_done(request: MemberRequest, kind: str, pk: int) -> HttpResponse:
    clock = Clock.for_user(request.user)
    item = actions.get_item_for(request.user, kind=kind, pk=pk, clock=clock)
    form = _done_form(item, request.POST)
    if form is not None and not form.is_valid():
        return _render_item(request, item, form, clock)
    try:
        message = actions.complete_item(
            owner=request.user, item=item, data=form.cleaned_data if form else {}, clock=clock
        )
    except ValidationError as error:
        if form is None:
            return _after_change(request, " ".join(error.messages), clock, level=messages.ERROR)
        add_service_errors(form, error)
        return _render_item(request, item, form, clock)
    return _after_change(request, message, clock)


@login_required
@require_POST
def item_snooze(request: MemberRequest, kind: str, pk: int) -> HttpResponse:
    clock = Clock.for_user(request.user)
    item = actions.get_item_for(request.user, kind=kind, pk=pk, clock=clock)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        error = " ".join(str(message) for message in form.errors["days"])
        return _after_change(request, error, clock, level=messages.ERROR)
    snooze = actions.snooze_item(
        owner=request.user, item=item, days=form.cleaned_data["days"], clock=clock
    )
    return _after_change(
        request, f"Snoozed until {snooze.until:%a %b} {snooze.until.day}: {item.title}", clock
    )


@login_required
@require_POST
def snooze_wake(request: MemberRequest, pk: int) -> HttpResponse:
    snooze = actions.get_snooze_for(request.user, pk)
    actions.wake_snooze(snooze=snooze)
    clock = Clock.for_user(request.user)
    return _after_change(request, f"Back on your list: {snooze.title}", clock)


@login_required
@require_POST
def goals_update(request: MemberRequest) -> HttpResponse:
    clock = Clock.for_user(request.user)
    form = GoalsForm(request.POST)
    if form.is_valid():
        try:
            goals.set_weekly_goals(owner=request.user, targets=form.targets())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if _partial(request):
                context = {**_goals_context(request, clock), "goals_saved": True}
                return render(request, "agenda/today.html#goals", context)
            messages.success(request, "Weekly goals saved.")
            return redirect(reverse("agenda:today") + "#goals")
    if _partial(request):
        return render(request, "agenda/today.html#goals", _goals_context(request, clock, form))
    return _full_page(request, clock, goals_form=form)


def _full_page(request: MemberRequest, clock: Clock, **forms: Any) -> HttpResponse:
    """Today with a form that failed, so its errors show at its fields."""
    context = {
        **_agenda_context(request, clock),
        **_goals_context(request, clock, forms.get("goals_form")),
        **_reminders_context(request, forms.get("digest_form")),
    }
    return render(request, "agenda/today.html", context)


@login_required
@require_POST
def digest_update(request: MemberRequest) -> HttpResponse:
    form = DigestForm(
        request.POST,
        instance=feed.agenda_settings_of(request.user),
        time_zone=request.user.time_zone,
    )
    if form.is_valid():
        digest.update_digest_settings(
            owner=request.user,
            enabled=form.cleaned_data["digest_enabled"],
            hour=form.cleaned_data["digest_hour"],
        )
        if not _partial(request):
            messages.success(request, "Daily digest saved.")
            return redirect(reverse("agenda:today") + "#reminders")
        context = {**_reminders_context(request), "digest_saved": True}
        return render(request, "agenda/today.html#reminders", context)
    if _partial(request):
        return render(request, "agenda/today.html#reminders", _reminders_context(request, form))
    return _full_page(request, Clock.for_user(request.user), digest_form=form)


def _feed_url(request: MemberRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("agenda:calendar-feed", args=[token]))


@login_required
@require_POST
def calendar_regenerate(request: MemberRequest) -> HttpResponse:
    """A new secret feed URL, shown once; the old URL stops working."""
    url = _feed_url(request, feed.regenerate_calendar_token(owner=request.user))
    if _partial(request):
        return render(
            request, "agenda/today.html#reminders", _reminders_context(request, None, url)
        )
    request.session[CALENDAR_URL_SESSION_KEY] = url
    messages.success(request, "Your new calendar feed URL is ready: copy it now.")
    return redirect(reverse("agenda:today") + "#reminders")


@login_required
@require_POST
def calendar_off(request: MemberRequest) -> HttpResponse:
    feed.turn_off_calendar(owner=request.user)
    if _partial(request):
        return render(request, "agenda/today.html#reminders", _reminders_context(request))
    messages.success(request, "Calendar feed turned off: the old URL no longer works.")
    return redirect(reverse("agenda:today") + "#reminders")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no login (calendar apps cannot log in), only the secret token."""
    owner = feed.owner_of_calendar_token(token)
    if owner is None:
        raise Http404("No such calendar.")
    response = HttpResponse(
        feed.build_calendar(owner=owner), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="careertips.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
