"""Debrief pages. Each section of the debrief page posts to its own URL; with htmx the
section (and any section it changes) is swapped in place, without it the page redirects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.views.decorators.http import require_POST

from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest, client_redirect, paginate, safe_next
from careertips.core.links import fixed_url, pk_url
from careertips.core.prepared import Prepared, PreparedList
from careertips.core.text import first_name
from careertips.debriefs import services
from careertips.debriefs.forms import (
    ActionDoneForm,
    AttemptForm,
    CallByForm,
    CloseForm,
    DebriefContactForm,
    DismissForm,
    FeedbackForm,
    ThankYouForm,
)
from careertips.debriefs.models import (
    CallAttempt,
    Debrief,
    ImprovementAction,
    Progress,
    ThankYouChannel,
)
from careertips.debriefs.script import call_plan_for
from careertips.pipeline.models import Opportunity, Stage
from careertips.pipeline.services import get_opportunity_for

PAGE = "debriefs/debrief_detail.html"
LIST = "debriefs/debrief_list.html"

# Saving one section changes what others show; htmx refreshes those out of band.
ALSO_REFRESH: dict[str, list[str]] = {
    "contact": ["steps", "plan", "call", "thank_you", "close"],
    "call_by": [],
    "call": ["steps", "thank_you"],
    "feedback": ["steps", "thank_you"],
    "thank_you": ["steps"],
    "close": [],
    "dismiss": [],
}


@dataclass(frozen=True)
class OpenRow:
    """One open debrief as the list shows it, in plain values: the list may hold hundreds."""

    url: str
    title: str
    organization: str
    contact_name: str
    next_step: str
    call_by: str
    overdue: bool
    due_today: bool


# The list's queries, compiled once per process (core.prepared): a member comes back to the
# list after every debrief they work on.
_OPEN_ATTEMPTS = Prepared(
    lambda owner: (
        CallAttempt.objects.filter(
            debrief__in=Debrief.objects.filter(owner_id=owner).active().values("pk")
        )
        .order_by()
        .values_list("debrief_id", "outcome")
    ),
    owner=int,
)
OPEN_VALUES = (
    "pk", "status", "call_by", "feedback_recorded_at", "thank_you_sent_at",
    "opportunity__title", "opportunity__organization__name", "contact__name",
)  # fmt: skip
_OPEN = Prepared(
    lambda owner: (
        Debrief.objects.filter(owner_id=owner)
        .active()
        .order_by("call_by", "id")
        .values_list(*OPEN_VALUES)
    ),
    owner=int,
)


def _open_rows(user: Any, today: dt.date) -> list[OpenRow]:
    outcomes: dict[int, list[str]] = {}
    for debrief_id, outcome in _OPEN_ATTEMPTS(owner=user.pk):
        outcomes.setdefault(debrief_id, []).append(outcome)
    rows = _OPEN(owner=user.pk)
    prefix = fixed_url("debriefs:list")
    dates: dict[dt.date, str] = {}
    # Hundreds of rows share a few dozen states and names: each is worked out once.
    states: dict[tuple[Any, ...], Progress] = {}
    next_steps: dict[tuple[Progress, str], str] = {}
    result = []
    for pk, status, call_by, feedback_at, thanked_at, title, organization, contact in rows:
        state = (
            status,
            tuple(outcomes.get(pk, ())),
            feedback_at is not None,
            thanked_at is not None,
        )
        progress = states.get(state) or states.setdefault(state, Progress(*state))
        if call_by not in dates:
            dates[call_by] = date_format(call_by, "M j")
        said = (progress, contact or "")
        if said not in next_steps:
            next_steps[said] = progress.next_step(first_name(contact or ""))
        result.append(
            OpenRow(
                url=f"{prefix}{pk}/",
                title=title,
                organization=organization,
                contact_name=contact or "",
                next_step=next_steps[said],
                call_by=dates[call_by],
                overdue=progress.is_call_overdue(call_by, today),
                due_today=progress.is_call_due(call_by, today),
            )
        )
    return result


# One row of the open table in debrief_list.html, written here rather than by a template loop:
# the list may hold hundreds of rows, and the loop cost several times what the rows do.
OPEN_ROW = """
            <tr{row_class}>
              <td><a href="{url}">{title}</a><div class="muted small">{organization}</div></td>
              <td>{contact}</td>
              <td>{next_step}</td>
              <td class="nowrap">{call_by}
                {badge}</td>
            </tr>
          """
OVERDUE_BADGE = '<span class="badge overdue">Overdue</span>'
DUE_BADGE = '<span class="badge due">Today</span>'


def open_table(rows: list[OpenRow]) -> SafeString:
    """The open table's rows; every value from the member's data is escaped."""
    return mark_safe(  # noqa: S308 -- each value is escaped below
        "".join(
            OPEN_ROW.format(
                row_class=' class="debrief-overdue"' if row.overdue else "",
                url=escape(row.url),
                title=escape(row.title),
                organization=escape(row.organization),
                contact=escape(row.contact_name or "Not named yet"),
                next_step=escape(row.next_step),
                call_by=escape(row.call_by),
                badge=OVERDUE_BADGE if row.overdue else (DUE_BADGE if row.due_today else ""),
            )
            for row in rows
        )
    )


# One row of the closed and dismissed table, likewise.
FINISHED_ROW = """
            <tr>
              <td><a href="{url}">{title}</a><div class="muted small">{organization}</div></td>
              <td>{contact}</td>
              <td><span class="badge debrief-{status}">{status_label}</span>{reason}</td>
              <td class="nowrap">{closed}</td>
            </tr>
          """
REASON = ' <span class="muted small">{}</span>'


def finished_table(rows: list[dict[str, Any]]) -> SafeString:
    """The rows of a page of finished debriefs (from _finished_page); every value escaped."""
    prefix = fixed_url("debriefs:list")
    return mark_safe(  # noqa: S308 -- each value is escaped below
        "".join(
            FINISHED_ROW.format(
                url=escape(f"{prefix}{row['pk']}/"),
                title=escape(row["title"]),
                organization=escape(row["organization"]),
                contact=escape(row["contact_name"] or "—"),
                status=escape(row["status"]),
                status_label=escape(row["status_label"]),
                reason=(
                    REASON.format(escape(Truncator(row["dismissed_reason"]).chars(80)))
                    if row["dismissed_reason"]
                    else ""
                ),
                closed=(
                    escape(formats.date_format(localtime(row["closed_at"]), "M j, Y"))
                    if row["closed_at"]
                    else ""
                ),
            )
            for row in rows
        )
    )


# The name finished_table reads each value of a finished row by, and the value's lookup.
FINISHED = {
    "pk": "pk", "status": "status", "dismissed_reason": "dismissed_reason",
    "closed_at": "closed_at", "title": "opportunity__title",
    "organization": "opportunity__organization__name", "contact_name": "contact__name",
}  # fmt: skip
STATUS_LABELS = {status.value: status.label for status in Debrief.Status}
_FINISHED = Prepared(
    lambda owner: (
        Debrief.objects.finished()
        .filter(owner_id=owner)
        .order_by("-closed_at", "-id")
        .values_list(*FINISHED.values())
    ),
    owner=int,
)
_FINISHED_IDS = Prepared(
    lambda owner: Debrief.objects.finished().filter(owner_id=owner).values_list("pk").order_by(),
    owner=int,
)


def _finished_page(request: MemberRequest) -> Page:
    """A page of closed and dismissed debriefs, as plain rows."""
    rows = PreparedList(_FINISHED, counted=_FINISHED_IDS, owner=request.user.pk)
    page = paginate(request, rows, 25)
    page.object_list = [
        {**dict(zip(FINISHED, row, strict=True)), "status_label": STATUS_LABELS[row[1]]}
        for row in page.object_list
    ]
    return page


_TURNED_DOWN = Prepared(
    lambda owner: (
        Opportunity.objects.filter(owner_id=owner)
        .filter(stage=Stage.TURNED_DOWN, debrief__isnull=True)
        .order_by("-stage_changed_at", "-id")
        .values_list("pk", "title", "organization__name")[:20]
    ),
    owner=int,
)


def _turned_down_without_debrief(user: Any) -> list[dict[str, Any]]:
    prefix = fixed_url("debriefs:list")
    # Built on the list URL rather than reversed per row (see urls.py: open/<pk>/).
    return [
        {"title": title, "organization": organization, "open_url": f"{prefix}open/{pk}/"}
        for pk, title, organization in _TURNED_DOWN(owner=user.pk)
    ]


@login_required
def debrief_list(request: MemberRequest) -> HttpResponse:
    user = request.user
    finished = _finished_page(request)
    return render(
        request,
        LIST,
        {
            "open_table": open_table(_open_rows(user, user.local_today())),
            "finished": finished,
            "finished_table": finished_table(finished.object_list),  # type: ignore[arg-type]
            "without_debrief": _turned_down_without_debrief(user),
            # Rendered once: a {% csrf_token %} per row costs more than the rest of the row.
            "csrf_input": csrf_input(request),
        },
    )


# Where the page's sections post, formatted from one reverse() per name (core.links).
SECTION_URLS = (
    "detail", "contact", "call-by", "attempts", "feedback", "thank-you", "close", "dismiss",
    "reopen",
)  # fmt: skip


def section_urls(debrief: Debrief) -> dict[str, str]:
    urls = {name.replace("-", "_"): pk_url(f"debriefs:{name}", debrief.pk) for name in SECTION_URLS}
    return {"list": fixed_url("debriefs:list"), **urls}


def page_context(request: MemberRequest, debrief: Debrief, **forms_: forms.Form) -> dict[str, Any]:
    today = request.user.local_today()
    # The debrief's actions come in one query, in their order: each theme shows its own.
    by_theme: dict[int | None, list[ImprovementAction]] = {}
    for action in debrief.actions.all():
        by_theme.setdefault(action.theme_id, []).append(action)
    themes = [(theme, by_theme.get(theme.pk, [])) for theme in debrief.themes.all()]
    context: dict[str, Any] = {
        "debrief": debrief,
        "urls": section_urls(debrief),
        "today": today,
        "editable": debrief.is_open,
        "steps": debrief.steps(),
        "plan": call_plan_for(debrief),
        "overdue": debrief.is_call_overdue(today),
        "due_today": debrief.is_call_due(today),
        "contact_url": (
            reverse("network:contact", args=[debrief.contact_id]) if debrief.contact_id else ""
        ),
        "opportunity_url": reverse("pipeline:detail", args=[debrief.opportunity_id]),
        "themes": themes,
        "loose_actions": by_theme.get(None, []),
        "contact_form": DebriefContactForm(
            debrief=debrief, all_contacts=request.GET.get("contacts") == "all"
        ),
        "call_by_form": CallByForm(debrief=debrief, today=today),
        "attempt_form": AttemptForm(),
        "feedback_form": FeedbackForm(debrief=debrief),
        "thank_you_form": ThankYouForm(debrief=debrief),
        "thank_you_mail": services.thank_you_mail(debrief),
        "close_form": CloseForm(debrief=debrief, today=today),
        "dismiss_form": DismissForm(),
    }
    context.update(forms_)
    return context


@login_required
def debrief_detail(request: MemberRequest, pk: int) -> HttpResponse:
    debrief = services.get_debrief_for(request.user, pk)
    return render(request, PAGE, page_context(request, debrief))


def _render_sections(request: MemberRequest, context: dict[str, Any], section: str) -> HttpResponse:
    html = render_to_string(f"{PAGE}#{section}", context, request)
    for other in ALSO_REFRESH[section]:
        html += render_to_string(f"{PAGE}#{other}", {**context, "oob": True}, request)
    return HttpResponse(html)


def _saved(request: MemberRequest, pk: int, section: str, message: str) -> HttpResponse:
    if request.htmx:
        fresh = services.get_debrief_for(request.user, pk)
        return _render_sections(request, page_context(request, fresh), section)
    messages.success(request, message)
    return redirect(f"{reverse('debriefs:detail', args=[pk])}#section-{section}")


def _finished(request: MemberRequest, pk: int, message: str) -> HttpResponse:
    """After a change of status the whole page changes: reload it."""
    messages.success(request, message)
    url = reverse("debriefs:detail", args=[pk])
    return client_redirect(request, url)


def _invalid(
    request: MemberRequest, debrief: Debrief, section: str, form_name: str, form: forms.Form
) -> HttpResponse:
    context = page_context(request, debrief, **{form_name: form})
    if request.htmx:
        return HttpResponse(render_to_string(f"{PAGE}#{section}", context, request))
    return render(request, PAGE, context)


def _apply(form: forms.Form, call: Callable[[dict[str, Any]], object]) -> bool:
    """Runs the service when the form is valid; its refusals become form errors."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@login_required
@require_POST
def set_contact(request: MemberRequest, pk: int) -> HttpResponse:
    debrief = services.get_debrief_for(request.user, pk)
    form = DebriefContactForm(request.POST, debrief=debrief)
    if _apply(form, lambda data: services.set_debrief_contact(debrief=debrief, **data)):
        return _saved(request, pk, "contact", f"You will call {debrief.contact}.")
    return _invalid(request, debrief, "contact", "contact_form", form)


@login_required
@require_POST
def set_call_by(request: MemberRequest, pk: int) -> HttpResponse:
    debrief = services.get_debrief_for(request.user, pk)
    today = request.user.local_today()
    form = CallByForm(request.POST, debrief=debrief, today=today)
    if _apply(
        form,
        lambda data: services.set_call_by(debrief=debrief, call_by=data["call_by"], today=today),
    ):
        return _saved(request, pk, "call_by", "Call-by date changed.")
    return _invalid(request, debrief, "call_by", "call_by_form", form)


@login_required
@require_POST
def log_attempt(request: MemberRequest, pk: int) -> HttpResponse:
    debrief = services.get_debrief_for(request.user, pk)
    form = AttemptForm(request.POST)

    def call(data: dict[str, Any]) -> object:
        return services.log_attempt(
            debrief=debrief,
            channel=data["channel"],
            outcome=data["outcome"],
            note=data["note"],
            when=data["attempted_at"],
        )

    if _apply(form, call):
        return _saved(request, pk, "call", "Attempt logged.")
    return _invalid(request, debrief, "call", "attempt_form", form)


@login_required
@require_POST
def record_feedback(request: MemberRequest, pk: int) -> HttpResponse:
    debrief = services.get_debrief_for(request.user, pk)
    form = FeedbackForm(request.POST, debrief=debrief)

    def call(data: dict[str, Any]) -> object:
        return services.record_feedback(
            debrief=debrief, feedback=data["feedback"], themes=form.chosen_themes()
        )

    if _apply(form, call):
        return _saved(request, pk, "feedback", "Feedback saved. New actions are on Today.")
    return _invalid(request, debrief, "feedback", "feedback_form", form)


def _thank_you_message(debrief: Debrief, channel: str) -> str:
    if channel == ThankYouChannel.EMAIL:
        return f"Your thank-you note is on its way to {debrief.contact}."
    if channel == ThankYouChannel.COPIED:
        return "Thank-you note marked as sent."
    return "Draft saved."


@login_required
@require_POST
def thank_you(request: MemberRequest, pk: int) -> HttpResponse:
    debrief = services.get_debrief_for(request.user, pk)
    form = ThankYouForm(request.POST)

    def call(data: dict[str, Any]) -> object:
        if data["channel"] == ThankYouForm.SAVE_DRAFT:
            return services.save_thank_you_draft(
                debrief=debrief, subject=data["subject"], body=data["body"]
            )
        return services.send_thank_you(
            debrief=debrief, subject=data["subject"], body=data["body"], channel=data["channel"]
        )

    if _apply(form, call):
        message = _thank_you_message(debrief, form.cleaned_data["channel"])
        return _saved(request, pk, "thank_you", message)
    return _invalid(request, debrief, "thank_you", "thank_you_form", form)


@login_required
@require_POST
def close(request: MemberRequest, pk: int) -> HttpResponse:
    debrief = services.get_debrief_for(request.user, pk)
    today = request.user.local_today()
    form = CloseForm(request.POST, debrief=debrief, today=today)

    def call(data: dict[str, Any]) -> object:
        return services.close_debrief(
            debrief=debrief,
            next_touch_on=data["next_touch_on"],
            meet_at=data["meet_at"],
            meet_at_name=data["meet_at_name"],
            note=data["note"],
            today=today,
        )

    if _apply(form, call):
        return _finished(request, pk, f"Debrief closed. {debrief.contact} is in your network.")
    return _invalid(request, debrief, "close", "close_form", form)


@login_required
@require_POST
def dismiss(request: MemberRequest, pk: int) -> HttpResponse:
    debrief = services.get_debrief_for(request.user, pk)
    form = DismissForm(request.POST)
    if _apply(form, lambda data: services.dismiss_debrief(debrief=debrief, reason=data["reason"])):
        return _finished(request, pk, "Debrief dismissed. You can reopen it at any time.")
    return _invalid(request, debrief, "dismiss", "dismiss_form", form)


@login_required
@require_POST
def reopen(request: MemberRequest, pk: int) -> HttpResponse:
    debrief = services.get_debrief_for(request.user, pk)
    services.reopen_debrief(debrief=debrief)
    return _finished(request, pk, "Debrief reopened.")


@login_required
@require_POST
def open_for_opportunity(request: MemberRequest, opportunity_pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, opportunity_pk)
    if hasattr(opportunity, "debrief"):
        messages.info(request, "This opportunity already has a debrief.")
        return redirect("debriefs:detail", opportunity.debrief.pk)
    debrief = services.open_debrief(opportunity=opportunity)
    messages.success(request, f"Debrief opened for {opportunity}.")
    return redirect("debriefs:detail", debrief.pk)


@login_required
@require_POST
def action_done(request: MemberRequest, pk: int) -> HttpResponse:
    """Marks an improvement action done (done=1, the default) or not done (done=0)."""
    action = services.get_action_for(request.user, pk)
    form = ActionDoneForm(request.POST)
    if form.is_valid():
        action = services.complete_action(action=action, done=form.cleaned_data["done"])
    if request.htmx:
        return render(request, f"{PAGE}#action", {"action": action, "editable": True})
    if form.is_valid():
        messages.success(request, "Action done." if action.is_done else "Action reopened.")
    else:
        messages.error(request, "That did not work: send done=1 or done=0.")
    fallback = f"{reverse('debriefs:detail', args=[action.debrief_id])}#section-feedback"
    return redirect(safe_next(request, fallback))
