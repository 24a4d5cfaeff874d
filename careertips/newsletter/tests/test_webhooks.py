"""Bounce and complaint reports posted by Postmark to anymail's tracking webhook."""

import base64
import json

import pytest

from careertips.newsletter.models import Subscriber

URL = "/anymail/postmark/tracking/"
SECRET = "postmark:s3cret-hook-password"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


@pytest.fixture
def reader():
    return Subscriber.objects.create(email="Robert@Example.com", name="Robert", status="active")


def post(client, payload: dict, auth: str = SECRET):
    credentials = base64.b64encode(auth.encode()).decode()
    return client.post(
        URL, json.dumps(payload), content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )  # fmt: skip


def bounce(email: str, kind: str = "HardBounce") -> dict:
    """A bounce webhook as Postmark sends it."""
    return {
        "RecordType": "Bounce",
        "ID": 4323372036854775807,
        "Type": kind,
        "TypeCode": 1 if kind == "HardBounce" else 4096,
        "Name": "Hard bounce",
        "Tag": "newsletter",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Metadata": {},
        "ServerID": 23,
        "MessageStream": "broadcast",
        "Description": "The server was unable to deliver your message (ex: unknown user).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": email,
        "From": "hello@careertips.example.com",
        "BouncedAt": "2026-04-02T16:33:54.9070259Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Career Tips, April 2026: Call the hiring manager",
    }


def complaint(email: str) -> dict:
    return bounce(email, "SpamComplaint") | {"RecordType": "SpamComplaint", "TypeCode": 512}


def test_it_suppresses_a_hard_bounce(client, reader):
    response = post(client, bounce("robert@example.com"))

    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.BOUNCED
    assert reader.suppressed_reason.startswith("Postmark reported bounced: The server was unable")


def test_it_suppresses_a_spam_complaint(client, reader):
    post(client, complaint("robert@example.com"))
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.COMPLAINED


def test_it_suppresses_an_unsubscribe_made_at_the_email_service(client, reader):
    payload = {
        "RecordType": "SubscriptionChange", "MessageID": "a4909a96-73d6-4c49-b148-a54522d3f70a",
        "ServerID": 23, "MessageStream": "broadcast", "ChangedAt": "2026-04-02T16:33:54Z",
        "Recipient": "robert@example.com", "Origin": "Recipient", "SuppressSending": True,
        "SuppressionReason": "ManualSuppression", "Tag": "newsletter", "Metadata": {},
    }  # fmt: skip
    post(client, payload)
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED
    assert reader.unsubscribed_at is not None


@pytest.mark.parametrize(
    "payload",
    [
        bounce("robert@example.com", "SoftBounce"),
        {"RecordType": "Delivery", "Recipient": "robert@example.com", "MessageID": "x",
         "DeliveredAt": "2026-04-02T16:33:54Z", "Details": "Test delivery", "Tag": ""},
        {"RecordType": "Open", "Recipient": "robert@example.com", "MessageID": "x",
         "ReceivedAt": "2026-04-02T16:33:54Z", "FirstOpen": True},
    ],
    ids=["soft-bounce", "delivery", "open"],
)  # fmt: skip
def test_it_ignores_events_that_do_not_mean_stop(client, reader, payload):
    assert post(client, payload).status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE


def test_it_rejects_calls_without_the_shared_secret(client, reader):
    response = post(client, bounce("robert@example.com"), auth="postmark:guess")

    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE


def test_it_accepts_reports_about_addresses_it_does_not_know(client, reader):
    assert post(client, bounce("stranger@example.net")).status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE


def test_it_rejects_all_calls_until_a_secret_is_configured(client, reader, settings):
    from careertips import settings as project

    settings.ANYMAIL = project.ANYMAIL  # as configured without ANYMAIL_WEBHOOK_SECRET
    for auth in ("", "unset:", "postmark:"):
        assert post(client, bounce("robert@example.com"), auth=auth).status_code == 400
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE
