import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.tasks import task_backends

from careertips.newsletter.models import Delivery, Issue
from careertips.newsletter.tasks import (
    send_issue_deliveries,
    send_test_issue,
    start_scheduled_issue,
)
from careertips.newsletter.tests.sending_factories import make_issue_to_send, sending_issue

pytestmark = pytest.mark.django_db

DEFERRING_TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "mail"],
    }
}


@pytest.fixture
def queue(settings):
    settings.TASKS = DEFERRING_TASKS
    return task_backends["default"]


def test_it_queues_its_successor_before_sending_so_a_killed_worker_is_taken_over(queue):
    issue = sending_issue(recipients=3)
    now = dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.UTC)

    with time_machine.travel(now, tick=False):
        report = send_issue_deliveries.call(issue_id=issue.pk)

    (successor,) = queue.results
    assert successor.task.name == "send_issue_deliveries"
    assert successor.kwargs == {"issue_id": issue.pk}
    assert successor.task.run_after == now + dt.timedelta(seconds=240)
    assert report["sent"] == 3 and report["finished"]
    assert len(mail.outbox) == 3


def test_it_ends_the_chain_once_nothing_is_pending(queue):
    issue = sending_issue(recipients=1)
    Delivery.objects.filter(issue=issue).update(status=Delivery.Status.SENT)

    assert send_issue_deliveries.call(issue_id=issue.pk) == {"finished": True}

    assert queue.results == []
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_it_sends_a_test_copy_to_the_staff_member(editor):
    issue = make_issue_to_send(title="Know your number")

    send_test_issue.call(issue_id=issue.pk, user_id=editor.pk)

    (message,) = mail.outbox
    assert message.to == ["Eddie Editor <editor@example.com>"]
    assert message.subject.startswith("[Test] Career Tips")


def test_it_waits_for_the_scheduled_time_even_if_picked_up_early(queue):
    when = dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.UTC)
    issue = make_issue_to_send(status=Issue.Status.SCHEDULED, scheduled_for=when)

    with time_machine.travel(when - dt.timedelta(seconds=30), tick=False):
        started = start_scheduled_issue.call(issue_id=issue.pk, scheduled_for=when.isoformat())

    (again,) = queue.results
    assert started is False
    assert again.task.run_after == when
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SCHEDULED

    with time_machine.travel(when, tick=False):
        assert start_scheduled_issue.call(issue_id=issue.pk, scheduled_for=when.isoformat())
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING
