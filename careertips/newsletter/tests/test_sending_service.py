import datetime as dt
import smtplib
from dataclasses import replace

import pytest
import time_machine
from django.core import mail
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ValidationError
from django.utils import timezone

from careertips.newsletter import sending
from careertips.newsletter.models import Delivery, Issue, Subscriber
from careertips.newsletter.sending import worker
from careertips.newsletter.tests.sending_factories import (
    deliveries,
    make_issue_to_send,
    make_subscribers,
    sending_issue,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_stop_request():
    yield
    worker._stop.clear()


CONFIG = sending.SendSettings(
    rate=0, batch_size=50, lease_seconds=300, max_attempts=3, retry_seconds=300,
    mark_every=1, workers=2, task_seconds=60,
)  # fmt: skip


class FakeTransport:
    """Accepts everything except the addresses it is told to refuse, and notes what it saw."""

    def __init__(self, refuse=None, clock=None):
        self.refuse = refuse or {}
        self.clock = clock
        self.sent = []  # (address, message id)
        self.times = []
        self.closed = False

    def send(self, email, recipient):
        if self.clock:
            self.times.append(self.clock.now())
        if recipient.email in self.refuse:
            raise self.refuse[recipient.email]
        self.sent.append((recipient.email, recipient.message_id))

    def close(self):
        self.closed = True


def refused(code: int, address: str) -> smtplib.SMTPRecipientsRefused:
    return smtplib.SMTPRecipientsRefused({address: (code, b"No thanks")})


def tomorrow() -> dt.datetime:
    """A fixed moment after the test's rows were created, for time_machine."""
    return timezone.now().replace(microsecond=0) + dt.timedelta(days=1)


def run(issue, transport, **kw):
    return sending.send_pending(
        issue_id=issue.pk,
        config=kw.pop("config", CONFIG),
        transport_factory=lambda: transport,
        **kw,
    )


# Freezing the audience ----------------------------------------------------------------------


def test_it_freezes_one_delivery_per_active_subscriber():
    issue = make_issue_to_send()
    active = make_subscribers(3)
    for status in (*Subscriber.SUPPRESSED, Subscriber.Status.PENDING):
        make_subscribers(1, status=status, prefix=f"{status}-")

    assert sending.freeze_audience(issue=issue) == 3

    rows = deliveries(issue)
    assert [row.subscriber for row in rows] == active
    assert {row.status for row in rows} == {Delivery.Status.PENDING}
    assert len({row.message_id for row in rows}) == 3
    assert all(row.message_id.startswith(f"<ct.{issue.pk}.") for row in rows)


def test_it_freezes_again_without_duplicates_or_new_message_ids():
    issue = make_issue_to_send()
    make_subscribers(3)
    sending.freeze_audience(issue=issue)
    before = {row.pk: row.message_id for row in deliveries(issue)}
    make_subscribers(1, prefix="late")

    assert sending.freeze_audience(issue=issue) == 4
    after = {row.pk: row.message_id for row in deliveries(issue)}
    assert {pk: after[pk] for pk in before} == before


def test_it_freezes_a_large_audience_in_a_few_queries(django_assert_max_num_queries):
    issue = make_issue_to_send()
    make_subscribers(2_500)
    with django_assert_max_num_queries(6):
        assert sending.freeze_audience(issue=issue) == 2_500


def test_it_sends_nobody_twice_when_send_is_pressed_twice(django_capture_on_commit_callbacks):
    issue = make_issue_to_send()
    make_subscribers(3)

    with django_capture_on_commit_callbacks(execute=True):
        first = sending.send_issue_now(issue=issue)
    with django_capture_on_commit_callbacks(execute=True):
        second = sending.send_issue_now(issue=issue)

    assert (first, second) == (sending.StartResult.STARTED, sending.StartResult.ALREADY_SENT)
    assert len(mail.outbox) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"Reader {i} <reader{i}@example.com>" for i in range(3)
    )
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert Delivery.objects.filter(issue=issue).count() == 3


def test_it_leaves_a_sending_issue_alone_when_pressed_again():
    issue = sending_issue(recipients=2)
    assert sending.send_issue_now(issue=issue) == sending.StartResult.ALREADY_SENDING
    assert Delivery.objects.filter(issue=issue).count() == 2


# Claiming -----------------------------------------------------------------------------------


def claim(issue, limit=2, lease=300, worker="w"):
    return sending.claim_deliveries(
        issue_id=issue.pk, worker=worker, limit=limit, lease_seconds=lease
    )


def test_it_never_gives_the_same_delivery_to_two_claimers():
    issue = sending_issue(recipients=5)

    token_a, _, a = claim(issue, worker="a")
    token_b, _, b = claim(issue, worker="b")
    _, _, c = claim(issue, worker="c")
    _, _, d = claim(issue, worker="d")

    ids = [row.pk for row in a + b + c]
    assert len(ids) == len(set(ids)) == 5
    assert d == []
    assert {row.claimed_by for row in a} == {token_a}
    assert {row.claimed_by for row in b} == {token_b}
    assert token_a.startswith("a/") and token_a != token_b


def test_it_reclaims_deliveries_whose_lease_ran_out():
    issue = sending_issue(recipients=2)
    _, lease_until, first = claim(issue, lease=60)
    assert claim(issue)[2] == []
    assert {row.lease_until for row in first} == {lease_until}

    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        token, _, again = claim(issue, worker="rescuer")

    assert [row.pk for row in again] == [row.pk for row in first]
    assert {row.claimed_by for row in Delivery.objects.filter(issue=issue)} == {token}


def test_it_only_claims_its_own_issue():
    issue = sending_issue(recipients=2)
    other = sending_issue(recipients=1)
    _, _, rows = claim(issue, limit=10)
    assert {row.issue_id for row in rows} == {issue.pk}
    assert len(claim(other, limit=10)[2]) == 3  # all subscribers are on every issue's list


# Sending and recording outcomes -------------------------------------------------------------


def test_it_sends_each_delivery_with_its_stored_message_id_and_finishes_the_issue():
    issue = sending_issue(recipients=3)
    transport = FakeTransport()

    report = run(issue, transport)

    rows = deliveries(issue)
    assert transport.sent == [(row.subscriber.email, row.message_id) for row in rows]
    assert {row.status for row in rows} == {Delivery.Status.SENT}
    assert all(row.sent_at and row.attempts == 1 and not row.claimed_by for row in rows)
    assert (report.sent, report.finished, transport.closed) == (3, True, True)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.sent_at and issue.published_at


def test_it_retries_a_temporary_failure_later_with_the_same_message_id():
    issue = sending_issue(recipients=3)
    address = deliveries(issue)[1].subscriber.email
    transport = FakeTransport(refuse={address: refused(451, address)})

    start = tomorrow()
    with time_machine.travel(start, tick=False):
        report = run(issue, transport)
    row = Delivery.objects.get(issue=issue, subscriber__email=address)
    assert (report.sent, report.retried, report.finished) == (2, 1, False)
    assert row.status == Delivery.Status.PENDING and row.attempts == 1
    assert row.next_attempt_at == start + dt.timedelta(minutes=5)
    assert "451" in row.last_error and row.claimed_by == ""

    transport.refuse = {}
    with time_machine.travel(start + dt.timedelta(minutes=4), tick=False):
        assert run(issue, transport).sent == 0  # not yet due
    with time_machine.travel(start + dt.timedelta(minutes=6), tick=False):
        assert run(issue, transport).finished

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Delivery.Status.SENT, 2)
    assert transport.sent[-1] == (address, row.message_id)


def test_it_backs_off_longer_each_time_then_gives_up():
    issue = sending_issue(recipients=1)
    address = deliveries(issue)[0].subscriber.email
    transport = FakeTransport(refuse={address: smtplib.SMTPServerDisconnected("gone")})
    start = tomorrow()
    waits = []
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(CONFIG.max_attempts):
            run(issue, transport)
            row = Delivery.objects.get(issue=issue)
            waits.append(row.next_attempt_at - timezone.now())
            clock.move_to(row.next_attempt_at)

    assert waits[:2] == [dt.timedelta(minutes=5), dt.timedelta(minutes=10)]
    assert (row.status, row.attempts) == (Delivery.Status.FAILED, 3)
    assert row.subscriber.status == Subscriber.Status.ACTIVE  # a lost connection is not a bounce
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_it_fails_a_permanent_refusal_and_suppresses_the_subscriber():
    issue = sending_issue(recipients=2)
    address = deliveries(issue)[0].subscriber.email
    transport = FakeTransport(refuse={address: refused(550, address)})

    report = run(issue, transport)

    row = Delivery.objects.select_related("subscriber").get(subscriber__email=address)
    assert (row.status, row.attempts) == (Delivery.Status.FAILED, 1)
    assert row.subscriber.status == Subscriber.Status.BOUNCED
    assert "550" in row.subscriber.suppressed_reason
    assert (report.sent, report.failed, report.finished) == (1, 1, True)


def test_it_fails_a_5xx_after_the_data_without_retrying():
    issue = sending_issue(recipients=1)
    address = deliveries(issue)[0].subscriber.email
    transport = FakeTransport(refuse={address: smtplib.SMTPDataError(554, b"Rejected")})
    run(issue, transport)
    assert Delivery.objects.get(issue=issue).status == Delivery.Status.FAILED


def test_it_gives_the_batch_back_when_the_server_refuses_our_sender():
    issue = sending_issue(recipients=3)
    address = deliveries(issue)[0].subscriber.email
    error = smtplib.SMTPSenderRefused(530, b"Authentication required", "hello@careertips.local")
    transport = FakeTransport(refuse={address: error})

    report = run(issue, transport)

    rows = deliveries(issue)
    assert {row.status for row in rows} == {Delivery.Status.PENDING}
    assert {row.attempts for row in rows} == {0}
    assert all("530" in row.last_error and row.claimed_by == "" for row in rows)
    assert all(row.next_attempt_at > timezone.now() for row in rows)
    assert "530" in report.stopped and report.released == 3
    assert {row.subscriber.status for row in rows} == {Subscriber.Status.ACTIVE}


def test_it_skips_subscribers_who_left_after_the_audience_was_frozen():
    issue = sending_issue(recipients=2)
    gone = deliveries(issue)[0].subscriber
    Subscriber.objects.filter(pk=gone.pk).update(status=Subscriber.Status.UNSUBSCRIBED)
    transport = FakeTransport()

    report = run(issue, transport)

    assert [address for address, _ in transport.sent] == [deliveries(issue)[1].subscriber.email]
    assert Delivery.objects.get(subscriber=gone).status == Delivery.Status.SKIPPED
    assert (report.skipped, report.finished) == (1, True)


def test_it_hands_back_the_rest_of_a_batch_when_its_lease_is_nearly_over():
    issue = sending_issue(recipients=3)
    config = replace(CONFIG, lease_seconds=60)
    start = tomorrow()

    with time_machine.travel(start, tick=False) as clock:

        class SlowTransport(FakeTransport):
            def send(self, email, recipient):
                super().send(email, recipient)
                clock.shift(dt.timedelta(seconds=50))  # a very slow server

        transport = SlowTransport()
        report = run(issue, transport, config=config)

    rows = deliveries(issue)
    assert len(transport.sent) == 3  # sent one per fresh claim, never past a lease
    assert report.batches == 3 and report.released == 3
    assert {row.status for row in rows} == {Delivery.Status.SENT}


def test_it_refuses_a_hostile_address_without_sending_and_suppresses_it():
    issue = make_issue_to_send()
    make_subscribers(1)
    Subscriber.objects.create(
        email="victim@example.com\r\nRCPT TO:<spam@example.net>", status="active"
    )
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)
    sending.freeze_audience(issue=issue)
    transport = FakeTransport()

    run(issue, transport)

    assert [address for address, _ in transport.sent] == ["reader0@example.com"]
    hostile = Delivery.objects.select_related("subscriber").get(subscriber__email__startswith="v")
    assert hostile.status == Delivery.Status.FAILED
    assert hostile.subscriber.status == Subscriber.Status.BOUNCED


# Rate limit ---------------------------------------------------------------------------------


class FakeClock:
    def __init__(self, start=1_000_000.0):
        self.time = start
        self.slept = 0.0

    def now(self):
        return self.time

    def sleep(self, seconds):
        self.slept += seconds
        self.time += seconds


def busiest_second(times):
    return max(sum(1 for t in times if start <= t < start + 1) for start in times)


def test_it_holds_several_workers_together_to_the_rate():
    clock = FakeClock()
    store = LocMemCache("throttle-test", {})
    workers = [sending.Throttle(rate=20, clock=clock, store=store) for _ in range(3)]
    times = []
    for i in range(120):
        workers[i % 3].take()
        times.append(clock.now())

    assert workers[0].chunk == 2
    assert clock.now() - times[0] >= (120 - 2) / 20
    assert busiest_second(times) <= 20 + 2


def test_it_sends_no_faster_than_the_configured_rate(settings):
    issue = sending_issue(recipients=30)
    clock = FakeClock()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    transport = FakeTransport(clock=clock)

    report = run(issue, transport, config=replace(CONFIG, rate=10, batch_size=7), clock=clock)

    assert report.sent == 30
    assert transport.times[-1] - transport.times[0] >= 2.9
    assert busiest_second(transport.times) <= 11
    assert clock.slept > 0


def test_it_does_not_wait_at_all_without_a_rate():
    clock = FakeClock()
    throttle = sending.Throttle(rate=0, clock=clock)
    for _ in range(1_000):
        throttle.take()
    assert clock.slept == 0


# Finishing, retrying failed, suppression -----------------------------------------------------


def test_it_finishes_the_issue_exactly_once_and_tells_the_askers(
    monkeypatch, django_capture_on_commit_callbacks
):
    from careertips.newsletter import services

    issue = sending_issue(recipients=1)
    calls = []
    monkeypatch.setattr(services, "notify_published_askers", lambda issue: calls.append(issue.pk))
    Delivery.objects.filter(issue=issue).update(status=Delivery.Status.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        results = [sending.finish_issue_if_done(issue_id=issue.pk) for _ in range(3)]

    assert results == [True, False, False]
    assert calls == [issue.pk]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT and issue.published_at == issue.sent_at


def test_it_does_not_finish_while_a_delivery_is_pending():
    issue = sending_issue(recipients=2)
    Delivery.objects.filter(pk=deliveries(issue)[0].pk).update(status=Delivery.Status.SENT)
    assert not sending.finish_issue_if_done(issue_id=issue.pk)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING


def test_it_queues_failed_deliveries_again_except_to_suppressed_addresses(
    django_capture_on_commit_callbacks,
):
    issue = sending_issue(recipients=3)
    rows = deliveries(issue)
    Delivery.objects.filter(issue=issue).update(status=Delivery.Status.FAILED, attempts=3)
    Subscriber.objects.filter(pk=rows[2].subscriber_id).update(status=Subscriber.Status.BOUNCED)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENT)
    issue.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        assert sending.retry_failed(issue=issue) == 2

    statuses = [row.status for row in deliveries(issue)]
    assert statuses == [Delivery.Status.SENT, Delivery.Status.SENT, Delivery.Status.FAILED]
    assert len(mail.outbox) == 2


def test_it_refuses_to_retry_a_draft():
    with pytest.raises(ValidationError):
        sending.retry_failed(issue=make_issue_to_send())


def test_it_suppresses_a_reported_address_whatever_its_case():
    subscriber = make_subscribers(1)[0]
    changed = sending.suppress_address(
        email=subscriber.email.upper(), reason="complained", detail="Marked as spam"
    )
    subscriber.refresh_from_db()
    assert changed == 1
    assert subscriber.status == Subscriber.Status.COMPLAINED
    assert subscriber.suppressed_reason == "Marked as spam"
    assert sending.suppress_address(email="nobody@example.com", reason="bounced") == 0


def test_it_keeps_the_first_reason_an_address_was_suppressed_for():
    subscriber = make_subscribers(1, status=Subscriber.Status.UNSUBSCRIBED)[0]
    assert sending.suppress_address(email=subscriber.email, reason="bounced") == 0
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


# Scheduling ---------------------------------------------------------------------------------


def test_it_starts_a_scheduled_issue_only_at_the_time_it_still_has(
    django_capture_on_commit_callbacks,
):
    when = timezone.now() + dt.timedelta(hours=1)
    issue = make_issue_to_send(status=Issue.Status.SCHEDULED, scheduled_for=when)
    make_subscribers(2)

    assert not sending.start_scheduled_send(issue_id=issue.pk, scheduled_for=when)  # too early
    with time_machine.travel(when + dt.timedelta(seconds=1)):
        moved = when - dt.timedelta(minutes=5)
        assert not sending.start_scheduled_send(issue_id=issue.pk, scheduled_for=moved)
        with django_capture_on_commit_callbacks(execute=True):
            assert sending.start_scheduled_send(issue_id=issue.pk, scheduled_for=when)

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert len(mail.outbox) == 2


def test_it_records_what_went_out_and_hands_back_the_rest_when_asked_to_stop():
    issue = sending_issue(recipients=5)

    class StoppingTransport(FakeTransport):
        def send(self, email, recipient):
            super().send(email, recipient)
            if len(self.sent) == 2:
                sending.request_stop()  # as the worker's SIGTERM handler does

    transport = StoppingTransport()
    report = run(issue, transport, config=replace(CONFIG, mark_every=10))

    rows = deliveries(issue)
    assert [row.status for row in rows] == ["sent"] * 2 + ["pending"] * 3
    assert all(row.claimed_by == "" and row.lease_until is None for row in rows[2:])
    assert (report.sent, report.released, report.stopped) == (2, 3, "asked to stop")
