import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.tasks import task_backends
from django.utils import timezone

from careertips.core.testing import htmx
from careertips.newsletter.models import Delivery, Issue, Subscriber
from careertips.newsletter.tests.sending_factories import (
    deliveries,
    make_issue_to_send,
    make_subscribers,
    sending_issue,
)

DEFERRING_TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "mail"],
    }
}


@pytest.fixture
def staff_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def issue(db):
    return make_issue_to_send(title="Call the hiring manager")


def test_it_shows_the_send_page_with_the_audience_and_a_personal_preview(staff_client, issue):
    make_subscribers(3)
    make_subscribers(2, status=Subscriber.Status.BOUNCED, prefix="gone")

    response = staff_client.get(f"/newsletter/staff/issues/{issue.pk}/send/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Send to 3 now" in page
    assert "Hi Eddie," in response.context["preview_html"]
    assert 'srcdoc="' in page and "sandbox" in page
    assert f"/newsletter/staff/issues/{issue.pk}/send/test/" in page


def test_it_serves_the_email_preview_as_sandboxed_html_and_as_text(staff_client, issue):
    html = staff_client.get(f"/newsletter/staff/issues/{issue.pk}/email/html/")
    text = staff_client.get(f"/newsletter/staff/issues/{issue.pk}/email/text/")

    assert html["Content-Type"] == "text/html; charset=utf-8"
    assert html["Content-Security-Policy"].startswith("sandbox")
    assert b"<h1" in html.content and b"Call the hiring manager" in html.content
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert "Hi Eddie," in text.content.decode()
    assert "<" not in text.content.decode().split("Hi Eddie,")[1].split("Dear")[0]


def test_it_sends_a_test_copy_to_the_staff_member_only(staff_client, issue, editor):
    make_subscribers(2)

    response = staff_client.post(f"/newsletter/staff/issues/{issue.pk}/send/test/")

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["Eddie Editor <editor@example.com>"]
    assert message.subject == "[Test] Career Tips, April 2026: Call the hiring manager"
    assert "Hi Eddie," in message.body
    assert "Hi Eddie," in message.alternatives[0].content
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not Delivery.objects.exists()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_it_wants_a_confirmation_before_sending(staff_client, issue):
    make_subscribers(2)

    response = staff_client.post(f"/newsletter/staff/issues/{issue.pk}/send/now/")

    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Delivery.objects.exists() and not mail.outbox


def test_it_sends_now_once_however_often_the_button_is_pressed(
    staff_client, issue, django_capture_on_commit_callbacks
):
    make_subscribers(3)
    url = f"/newsletter/staff/issues/{issue.pk}/send/now/"

    with django_capture_on_commit_callbacks(execute=True):
        first = staff_client.post(url, {"confirm": "on"}, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        second = staff_client.post(url, {"confirm": "on"}, follow=True)

    assert "Sending has started." in first.content.decode()
    assert "This issue has already been sent." in second.content.decode()
    assert len(mail.outbox) == 3
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_it_schedules_a_send_for_later(
    staff_client, issue, settings, editor, django_capture_on_commit_callbacks
):
    settings.TASKS = DEFERRING_TASKS
    editor.time_zone = "America/Denver"
    editor.save(update_fields=["time_zone"])
    denver = zoneinfo.ZoneInfo("America/Denver")
    local = (
        (timezone.now() + dt.timedelta(days=2)).astimezone(denver).replace(second=0, microsecond=0)
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/newsletter/staff/issues/{issue.pk}/send/schedule/",
            {"scheduled_for": local.strftime("%Y-%m-%dT%H:%M")},
        )

    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SCHEDULED
    assert issue.scheduled_for == local  # read in the staff member's own time zone
    (result,) = task_backends["default"].results
    assert result.task.name == "start_scheduled_issue"
    assert result.task.run_after == issue.scheduled_for
    assert result.kwargs == {"issue_id": issue.pk, "scheduled_for": issue.scheduled_for.isoformat()}


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("2020-01-01T08:00", "at least a minute from now"),
        ("2999-01-01T08:00", "within the next year"),
        ("next tuesday", "Enter a date and time"),
        ("", "This field is required"),
    ],
)
def test_it_explains_a_bad_schedule_at_the_field(staff_client, issue, settings, value, error):
    settings.TASKS = DEFERRING_TASKS
    response = staff_client.post(
        f"/newsletter/staff/issues/{issue.pk}/send/schedule/", {"scheduled_for": value}
    )
    assert response.status_code == 400
    assert error in str(response.context["schedule_form"].errors["scheduled_for"])
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_it_cancels_a_schedule(staff_client, db):
    when = timezone.now() + dt.timedelta(days=1)
    issue = make_issue_to_send(status=Issue.Status.SCHEDULED, scheduled_for=when)

    staff_client.post(f"/newsletter/staff/issues/{issue.pk}/send/unschedule/")

    issue.refresh_from_db()
    assert (issue.status, issue.scheduled_for) == (Issue.Status.DRAFT, None)


def test_it_polls_progress_while_sending(staff_client, db):
    issue = sending_issue(recipients=4)
    rows = deliveries(issue)
    Delivery.objects.filter(pk=rows[0].pk).update(status="sent", sent_at=timezone.now())
    Delivery.objects.filter(pk=rows[1].pk).update(status="failed")

    response = staff_client.get(f"/newsletter/staff/issues/{issue.pk}/progress/", headers=htmx())

    page = response.content.decode()
    assert response.templates[0].name == "newsletter/sending/_progress.html"
    assert 'data-hx-trigger="every 2s"' in page
    assert '<progress class="send-bar" max="4" value="2"' in page
    progress = response.context["progress"]
    assert (progress.sent, progress.failed, progress.pending) == (1, 1, 2)
    assert progress.rate == pytest.approx(1 / 60)
    assert progress.seconds_left == 120
    assert "Retry" not in page  # not while sending


def test_it_stops_polling_and_offers_a_retry_once_sent(staff_client, db):
    issue = sending_issue(recipients=2)
    Delivery.objects.filter(issue=issue).update(status="failed")
    Issue.objects.filter(pk=issue.pk).update(status="sent", sent_at=timezone.now())

    response = staff_client.get(f"/newsletter/staff/issues/{issue.pk}/progress/", headers=htmx())

    page = response.content.decode()
    assert "data-hx-trigger" not in page
    assert "Retry 2 failed" in page


def test_it_shows_the_whole_page_for_progress_without_javascript(staff_client, db):
    issue = sending_issue(recipients=2)
    response = staff_client.get(f"/newsletter/staff/issues/{issue.pk}/progress/")
    assert "newsletter/sending/send.html" in [t.name for t in response.templates]
    assert "Sending…" in response.content.decode()


def test_it_counts_progress_in_the_same_queries_for_any_audience(
    staff_client, db, django_assert_num_queries
):
    small, large = sending_issue(recipients=2), sending_issue(recipients=40)
    url = "/newsletter/staff/issues/{}/progress/"
    staff_client.get(url.format(small.pk), headers=htmx())  # warm the session

    with django_assert_num_queries(5) as small_queries:  # session, user, roles, issue, counts
        staff_client.get(url.format(small.pk), headers=htmx())
    with django_assert_num_queries(len(small_queries)):
        staff_client.get(url.format(large.pk), headers=htmx())


def test_it_retries_failed_deliveries(staff_client, db, django_capture_on_commit_callbacks):
    issue = sending_issue(recipients=2)
    Delivery.objects.filter(issue=issue).update(status="failed", attempts=5)
    Issue.objects.filter(pk=issue.pk).update(status="sent")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/newsletter/staff/issues/{issue.pk}/retry-failed/", follow=True
        )

    assert "2 failed deliveries are queued again." in response.content.decode()
    assert len(mail.outbox) == 2
    assert {row.status for row in deliveries(issue)} == {Delivery.Status.SENT}
