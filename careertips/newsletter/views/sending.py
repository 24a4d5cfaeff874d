"""Staff pages for sending an issue: preview, test, send now or schedule, live progress,
retry failed."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from careertips.core.csp import MAIL_PREVIEW_CSP
from careertips.core.decorators import role_required
from careertips.core.forms import add_service_errors
from careertips.core.http import HtmxRequest
from careertips.core.models import User
from careertips.core.roles import Role
from careertips.newsletter import sending, services
from careertips.newsletter.forms import ScheduleForm, SendNowForm
from careertips.newsletter.models import Issue, Subscriber
from careertips.newsletter.tasks import send_test_issue

# Whatever the article Markdown holds, a preview opened on its own cannot run scripts.
PREVIEW_CSP = "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'"

START_MESSAGES = {
    sending.StartResult.STARTED: (messages.SUCCESS, "Sending has started."),
    sending.StartResult.ALREADY_SENDING: (messages.INFO, "This issue is already being sent."),
    sending.StartResult.ALREADY_SENT: (messages.INFO, "This issue has already been sent."),
}


def _page(request: HttpRequest, issue: Issue, status: int = 200, **forms: Any) -> HttpResponse:
    preview_html, _ = sending.preview_for(issue=issue, user=request.user)
    context = {
        "issue": issue,
        "audience": Subscriber.objects.active().count(),
        "progress": sending.get_send_progress(issue=issue),
        "preview_html": preview_html,
        "send_form": forms.get("send_form") or SendNowForm(),
        "schedule_form": forms.get("schedule_form")
        or ScheduleForm(initial={"scheduled_for": issue.scheduled_for}),
        "can_schedule": sending.can_schedule(),
    }
    response = render(request, "newsletter/sending/send.html", context, status=status)
    # The page shows the email itself in a srcdoc frame, which inherits this page's policy.
    response._csp_config = MAIL_PREVIEW_CSP  # type: ignore[attr-defined]
    return response


def _back(issue: Issue) -> HttpResponse:
    return redirect("newsletter:staff-send", pk=issue.pk)


@role_required(Role.EDITOR)
@require_GET
def send_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, services.get_issue_for(request.user, pk))


@role_required(Role.EDITOR)
@require_GET
def email_html(request: HttpRequest, pk: int) -> HttpResponse:
    issue = services.get_issue_for(request.user, pk)
    html, _ = sending.preview_for(issue=issue, user=request.user)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = PREVIEW_CSP
    return response


@role_required(Role.EDITOR)
@require_GET
def email_text(request: HttpRequest, pk: int) -> HttpResponse:
    issue = services.get_issue_for(request.user, pk)
    _, text = sending.preview_for(issue=issue, user=request.user)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@role_required(Role.EDITOR)
@require_POST
def send_test(request: HttpRequest, pk: int) -> HttpResponse:
    issue = services.get_issue_for(request.user, pk)
    user = cast(User, request.user)  # role_required: always a signed-in editor
    send_test_issue.enqueue(issue_id=issue.pk, user_id=user.pk)
    messages.success(request, f"A test copy is on its way to {request.user.email}.")
    return _back(issue)


@role_required(Role.EDITOR)
@require_POST
def send_now(request: HttpRequest, pk: int) -> HttpResponse:
    issue = services.get_issue_for(request.user, pk)
    form = SendNowForm(request.POST)
    if not form.is_valid():
        return _page(request, issue, status=400, send_form=form)
    level, text = START_MESSAGES[sending.send_issue_now(issue=issue)]
    messages.add_message(request, level, text)
    return _back(issue)


@role_required(Role.EDITOR)
@require_POST
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    issue = services.get_issue_for(request.user, pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            issue = sending.schedule_issue(issue=issue, when=form.cleaned_data["scheduled_for"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # about the issue, not the time picked
                messages.error(request, error.messages[0])
                return _back(issue)
            add_service_errors(form, error)
        else:
            messages.success(request, "Scheduled. The audience is taken when it goes out.")
            return _back(issue)
    return _page(request, issue, status=400, schedule_form=form)


@role_required(Role.EDITOR)
@require_POST
def unschedule(request: HttpRequest, pk: int) -> HttpResponse:
    issue = services.get_issue_for(request.user, pk)
    try:
        sending.cancel_schedule(issue=issue)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The schedule is cancelled; the issue is a draft again.")
    return _back(issue)


@role_required(Role.EDITOR)
@require_GET
def progress(request: HtmxRequest, pk: int) -> HttpResponse:
    issue = services.get_issue_for(request.user, pk)
    if not request.htmx:
        return _page(request, issue)
    context = {"issue": issue, "progress": sending.get_send_progress(issue=issue)}
    return render(request, "newsletter/sending/_progress.html", context)


@role_required(Role.EDITOR)
@require_POST
def retry_failed(request: HttpRequest, pk: int) -> HttpResponse:
    issue = services.get_issue_for(request.user, pk)
    try:
        count = sending.retry_failed(issue=issue)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if not count:
            messages.info(
                request, "Nothing to retry: no failed delivery is to a subscribed address."
            )
        else:
            queued = "1 failed delivery is" if count == 1 else f"{count} failed deliveries are"
            messages.success(request, f"{queued} queued again.")
    return _back(issue)
