import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from careertips.agenda.models import DigestLog, Metric
from careertips.agenda.services.digest import (
    SCAN_EVERY,
    claim_digest,
    members_due_for_digest,
    queue_due_digests,
    schedule_digest_scan,
    send_digest,
    update_digest_settings,
)
from careertips.agenda.services.goals import set_weekly_goals
from careertips.agenda.tasks import send_due_digests
from careertips.agenda.tests.helpers import NOW, TODAY, days, due_contact, make_action
from careertips.core.testing import make_user
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_interview, make_opportunity

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
}


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.SITE_URL = "https://careertips.example"
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def sam(db):
    """In Los Angeles it is 08:00 on Wednesday when it is 15:00 UTC."""
    user = make_user("sam@example.com", display_name="Sam Rivera", time_zone="America/Los_Angeles")
    update_digest_settings(owner=user, enabled=True, hour=8)
    return user


@pytest.fixture
def kiri(db):
    """In Auckland it is 04:00 on Thursday when it is 15:00 UTC."""
    user = make_user("kiri@example.com", time_zone="Pacific/Auckland")
    update_digest_settings(owner=user, enabled=True, hour=7)
    return user


def _scan(capture) -> int:
    with capture(execute=True):
        return queue_due_digests()


def test_it_sends_when_the_members_own_hour_comes(
    sam, kiri, frozen, django_capture_on_commit_callbacks
):
    make_action(owner=sam, due_on=dt.date(2026, 3, 11))
    make_action(owner=kiri, due_on=dt.date(2026, 3, 12))
    frozen.move_to(NOW - dt.timedelta(minutes=1))  # 07:59 in Los Angeles
    assert _scan(django_capture_on_commit_callbacks) == 0

    frozen.move_to(NOW)
    assert _scan(django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]

    frozen.move_to(NOW + dt.timedelta(hours=3))  # 07:00 Thursday in Auckland
    assert _scan(django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [["sam@example.com"], ["kiri@example.com"]]


def test_it_sends_once_per_local_day(sam, frozen, django_capture_on_commit_callbacks):
    make_action(owner=sam, due_on=TODAY - days(1))
    assert _scan(django_capture_on_commit_callbacks) == 1
    frozen.shift(dt.timedelta(hours=8))  # 16:00 the same day in Los Angeles
    assert _scan(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1

    frozen.shift(dt.timedelta(hours=9))  # 01:00 Thursday: before the hour
    assert _scan(django_capture_on_commit_callbacks) == 0
    frozen.shift(dt.timedelta(hours=7))  # 08:00 Thursday
    assert _scan(django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 2
    days_sent = list(DigestLog.objects.order_by("local_date").values_list("local_date", "status"))
    assert days_sent == [(TODAY, "sent"), (TODAY + days(1), "sent")]


def test_it_never_sends_twice_when_two_scans_race_for_the_same_day(sam):
    first = claim_digest(owner=sam, local_date=TODAY)
    second = claim_digest(owner=sam, local_date=TODAY)

    assert first is not None
    assert second is None
    assert DigestLog.objects.count() == 1


def test_it_skips_a_member_whose_day_is_claimed_already(sam, django_capture_on_commit_callbacks):
    make_action(owner=sam, due_on=TODAY)
    DigestLog.objects.create(owner=sam, local_date=TODAY)

    assert list(members_due_for_digest(now=NOW)) == []
    assert _scan(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_it_leaves_out_members_who_did_not_ask(alice, django_capture_on_commit_callbacks):
    make_action(owner=alice, due_on=TODAY)
    update_digest_settings(owner=alice, enabled=False, hour=0)

    assert _scan(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert not DigestLog.objects.exists()


def test_it_respects_an_opt_out_made_after_the_day_was_claimed(sam):
    make_action(owner=sam, due_on=TODAY)
    digest = claim_digest(owner=sam, local_date=TODAY)
    update_digest_settings(owner=sam, enabled=False, hour=8)

    assert send_digest(digest=digest) is False
    digest.refresh_from_db()
    assert digest.status == DigestLog.Status.OPTED_OUT
    assert mail.outbox == []


def test_it_sends_nothing_on_a_day_with_nothing_due(sam, django_capture_on_commit_callbacks):
    make_action(owner=sam, due_on=TODAY + days(3))  # coming up, not due

    assert _scan(django_capture_on_commit_callbacks) == 1
    assert mail.outbox == []
    assert DigestLog.objects.get().status == DigestLog.Status.NOTHING_DUE


def test_it_lists_what_is_due_in_text_and_html(sam, django_capture_on_commit_callbacks):
    late = make_action(owner=sam, due_on=TODAY - days(2), title="Rework the <budget> story")
    dana = due_contact(owner=sam, on=TODAY)
    make_action(owner=sam, due_on=TODAY + days(3), title="Research pay ranges")
    set_weekly_goals(owner=sam, targets={Metric.TOUCHES: 3})
    opp = make_opportunity(owner=sam, stage=Stage.INTERVIEWING, title="Ops Lead")
    make_interview(opportunity=opp, scheduled_at=NOW + dt.timedelta(hours=2))

    _scan(django_capture_on_commit_callbacks)

    message = mail.outbox[0]
    html = message.alternatives[0].content
    assert message.subject == "Today: 3 things to do (1 overdue), Wednesday, March 11"
    assert "- Video interview for Ops Lead at Acme Analytics at 10:00" in message.body  # PDT
    assert "Hello Sam, here is what is due on Wednesday, March 11." in message.body
    assert "OVERDUE (1)" in message.body
    assert "- Rework the <budget> story" in message.body
    assert f"https://careertips.example/debriefs/{late.debrief_id}/#action-{late.pk}" in (
        message.body
    )
    assert "- Get in touch with Dana Whitfield (Acme Analytics)" in message.body
    assert "COMING UP THIS WEEK: 1 more item." in message.body
    assert "- Network touches: 0 of 3" in message.body
    assert "Research pay ranges" not in message.body
    assert "Rework the &lt;budget&gt; story" in html
    assert f'href="https://careertips.example/network/contacts/{dana.pk}/"' in html
    assert "https://careertips.example/today/#reminders" in html
    assert DigestLog.objects.get().item_count == 3


def test_it_runs_as_a_task_and_queues_the_sending(sam, django_capture_on_commit_callbacks):
    make_action(owner=sam, due_on=TODAY)

    with django_capture_on_commit_callbacks(execute=True):
        result = send_due_digests.enqueue()

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert len(mail.outbox) == 1


# --- the schedule -------------------------------------------------------------------------


def _scans():
    return DBTaskResult.objects.filter(task_path=send_due_digests.module_path)


def test_it_books_the_next_scan_a_few_minutes_on(settings):
    settings.TASKS = DATABASE_TASKS

    assert schedule_digest_scan() == "scheduled"
    assert schedule_digest_scan() == "pending"

    scan = _scans().get()
    assert scan.status == TaskResultStatus.READY
    assert scan.run_after == NOW + SCAN_EVERY
    assert scan.queue_name == "default"


def test_it_books_the_next_scan_even_after_a_scan_of_its_own(settings, sam):
    settings.TASKS = DATABASE_TASKS

    send_due_digests.call()

    assert _scans().get().run_after == NOW + SCAN_EVERY
    assert DBTaskResult.objects.filter(queue_name="mail").count() == 0  # nothing due for sam


def test_it_does_not_count_a_scan_that_died_while_running(settings):
    settings.TASKS = DATABASE_TASKS
    schedule_digest_scan()
    _scans().update(status=TaskResultStatus.RUNNING, started_at=NOW - dt.timedelta(hours=1))

    assert schedule_digest_scan(include_running=True) == "scheduled"
    assert _scans().count() == 2


def test_it_counts_a_scan_that_is_running_now(settings):
    settings.TASKS = DATABASE_TASKS
    schedule_digest_scan()
    _scans().update(status=TaskResultStatus.RUNNING, started_at=NOW)

    assert schedule_digest_scan(include_running=True) == "pending"
    assert schedule_digest_scan() == "scheduled"  # the running scan books its own next one


def test_it_says_so_when_the_backend_cannot_run_work_later():
    assert schedule_digest_scan() == "unsupported"
