"""Webhooks against a real HTTP server on loopback (allowed here by API_WEBHOOK_ALLOW_PRIVATE)."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from careertips.api.models import WebhookDelivery, WebhookEndpoint
from careertips.api.services import webhooks
from careertips.api.tasks import deliver_webhook
from careertips.pipeline.models import Stage
from careertips.pipeline.services import move_opportunity
from careertips.pipeline.tests.helpers import make_opportunity

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
}


class Receiver:
    """A loopback HTTP server answering every POST with `status`, keeping what it received."""

    def __init__(self) -> None:
        self.status = 204
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                receiver.received.append((dict(self.headers), self.rfile.read(length)))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks?source=careertips"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.API_WEBHOOK_ALLOW_PRIVATE = True
    server = Receiver()
    yield server
    server.close()


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver in docs/api.md, word for word: hashlib, hmac and base64 only."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(expected, sig.split(",", 1)[1])
        for sig in headers["webhook-signature"].split()
        if sig.startswith("v1,")
    )


def _endpoint(user, url, events=("opportunity.stage_changed",)):
    return webhooks.create_endpoint(owner=user, url=url, events=list(events))


def test_it_posts_a_signed_event_a_receiver_can_verify(
    alice, receiver, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(alice, receiver.url)
    opportunity = make_opportunity(owner=alice, stage=Stage.APPLIED)
    with django_capture_on_commit_callbacks(execute=True):
        move_opportunity(opportunity=opportunity, to_stage=Stage.SCREENING)

    [(headers, body)] = receiver.received
    headers = {k.lower(): v for k, v in headers.items()}
    assert verify(endpoint.secret, headers, body)
    assert not verify(endpoint.secret, headers, body.replace(b"screening", b"offer"))
    event = json.loads(body)
    assert event["type"] == "opportunity.stage_changed"
    assert event["data"]["opportunity_id"] == opportunity.pk
    assert event["data"]["to_stage"] == "screening"
    assert headers["content-type"] == "application/json"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert headers["webhook-id"] == delivery.message_id
    assert delivery.attempt_log.get().status_code == 204


def test_it_sends_a_members_events_to_their_own_endpoints_only(
    alice, bob, receiver, django_capture_on_commit_callbacks
):
    _endpoint(bob, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        move_opportunity(
            opportunity=make_opportunity(owner=alice, stage=Stage.APPLIED),
            to_stage=Stage.SCREENING,
        )
    assert receiver.received == []


def test_it_sends_practice_events_to_editors_only(
    alice, editor, receiver, settings, django_capture_on_commit_callbacks
):
    from careertips.newsletter.services import unsubscribe
    from careertips.newsletter.tests.helpers import make_subscriber

    with pytest.raises(ValidationError):
        _endpoint(alice, receiver.url, events=["subscriber.unsubscribed"])
    _endpoint(editor, receiver.url, events=["subscriber.unsubscribed"])
    with django_capture_on_commit_callbacks(execute=True):
        unsubscribe(subscriber=make_subscriber(email="reader@example.com"), how="test")
    [(_, body)] = receiver.received
    assert json.loads(body)["data"]["email"] == "reader@example.com"


def test_it_retries_with_back_off_then_gives_up_after_about_a_day(alice, receiver, settings):
    settings.API_WEBHOOK_DISABLE_AFTER = 100
    receiver.status = 500
    endpoint = _endpoint(alice, receiver.url)
    webhooks.queue_delivery(endpoint=endpoint, kind="debrief.opened", data={"debrief_id": 1})
    delivery = WebhookDelivery.objects.get()
    start = timezone.now()
    waits = []
    with time_machine.travel(start, tick=False) as clock:
        while delivery.status == WebhookDelivery.Status.PENDING:
            webhooks.attempt_delivery(delivery=delivery)
            if delivery.next_attempt_at:
                waits.append(delivery.next_attempt_at - timezone.now())
                clock.move_to(delivery.next_attempt_at)
    assert waits == webhooks.RETRY_DELAYS
    assert waits == sorted(waits)  # each wait longer than the one before
    assert dt.timedelta(hours=12) < sum(waits, dt.timedelta()) <= dt.timedelta(days=1)
    assert delivery.status == WebhookDelivery.Status.FAILED
    codes = list(delivery.attempt_log.values_list("status_code", flat=True))
    assert codes == [500] * (len(webhooks.RETRY_DELAYS) + 1)
    assert len(receiver.received) == len(codes)


def test_it_succeeds_on_a_retry_and_resets_the_failure_count(alice, receiver):
    receiver.status = 503
    endpoint = _endpoint(alice, receiver.url)
    webhooks.queue_delivery(endpoint=endpoint, kind="debrief.opened", data={})
    delivery = WebhookDelivery.objects.get()
    webhooks.attempt_delivery(delivery=delivery)
    receiver.status = 200
    assert webhooks.attempt_delivery(delivery=delivery)
    endpoint.refresh_from_db()
    assert endpoint.failure_streak == 0
    assert list(delivery.attempt_log.values_list("status_code", flat=True)) == [503, 200]


def test_it_books_each_retry_on_the_task_worker(alice, receiver, settings):
    settings.TASKS = DATABASE_TASKS
    receiver.status = 500
    endpoint = _endpoint(alice, receiver.url)
    webhooks.queue_delivery(endpoint=endpoint, kind="debrief.opened", data={})
    delivery = WebhookDelivery.objects.get()
    deliver_webhook.call(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    booked = DBTaskResult.objects.filter(task_path=deliver_webhook.module_path).get()
    assert booked.run_after == delivery.next_attempt_at


def test_it_disables_an_endpoint_after_repeated_failures_and_tells_the_owner(
    alice, receiver, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.API_WEBHOOK_DISABLE_AFTER = 3
    receiver.status = 410
    endpoint = _endpoint(alice, receiver.url)
    for n in range(3):
        webhooks.queue_delivery(endpoint=endpoint, kind="debrief.opened", data={"n": n})
    with django_capture_on_commit_callbacks(execute=True):
        for delivery in WebhookDelivery.objects.order_by("id"):
            webhooks.attempt_delivery(delivery=delivery)
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "3 failed deliveries" in endpoint.disabled_reason
    assert [m.to for m in mailoutbox] == [[alice.email]]
    assert endpoint.url in mailoutbox[0].body
    # Nothing more is sent to it, and nothing waits to be.
    assert not WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).exists()
    webhooks.queue_delivery(endpoint=endpoint, kind="debrief.opened", data={})
    assert not webhooks.attempt_delivery(delivery=WebhookDelivery.objects.latest("id"))
    assert len(receiver.received) == 3


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8000/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "ftp://example.com/hook",
        "file:///etc/passwd",
        "http://user:secret@example.com/hook",
    ],
)
def test_it_refuses_addresses_that_are_not_public(alice, settings, url):
    settings.API_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as error:
        webhooks.create_endpoint(owner=alice, url=url, events=["debrief.opened"])
    assert "url" in error.value.message_dict
    assert not WebhookEndpoint.objects.exists()


def test_it_checks_the_address_again_when_delivering(alice, settings, receiver):
    endpoint = _endpoint(alice, receiver.url)
    settings.API_WEBHOOK_ALLOW_PRIVATE = False
    webhooks.queue_delivery(endpoint=endpoint, kind="debrief.opened", data={})
    delivery = WebhookDelivery.objects.get()
    assert not webhooks.attempt_delivery(delivery=delivery)
    assert "private" in delivery.last_error
    assert receiver.received == []
