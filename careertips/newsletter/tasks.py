"""Background work (django.tasks, queue "mail"): notices to one person, and sending issues.

Notices: each task mails what the subscriber's or reader's state calls for at run time.


A send task works for at most NEWSLETTER_SEND_TASK_SECONDS and, before it starts, enqueues
its own successor to run when that time is up. A worker killed mid-task therefore leaves the
next link waiting in the queue: the send carries on, and the killed worker's claims come
back when their lease runs out. The chain ends when the issue has nothing pending.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.tasks import task
from django.utils import timezone

from careertips.core.abuse import hit_limit
from careertips.core.models import User
from careertips.newsletter import sending
from careertips.newsletter.emails import (
    send_already_subscribed,
    send_confirmation,
    send_letter_published_email,
    send_welcome_email,
)
from careertips.newsletter.models import Issue, ReaderQuestion, Subscriber

# One address gets at most this many subscription mails a day, however often it is entered.
NOTICES_PER_ADDRESS_PER_DAY = 3


@task(queue_name="mail")
def send_subscription_notice(*, subscriber_id: int) -> str:
    """Mails what the address's state calls for; suppressed addresses get nothing."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.is_suppressed:
        return "skipped"
    if hit_limit(
        scope="subscribe-mail",
        identity=subscriber.email.lower(),
        limit=NOTICES_PER_ADDRESS_PER_DAY,
        window=24 * 3600,
    ):
        return "throttled"
    if subscriber.status == Subscriber.Status.PENDING:
        send_confirmation(subscriber)
        return "confirm"
    send_already_subscribed(subscriber)
    return "already-subscribed"


@task(queue_name="mail")
def send_welcome(*, subscriber_id: int) -> str:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status != Subscriber.Status.ACTIVE:
        return "skipped"
    send_welcome_email(subscriber)
    return "sent"


@task(queue_name="mail")
def send_letter_published(*, question_id: int) -> str:
    question = (
        ReaderQuestion.objects.select_related("article__issue").filter(pk=question_id).first()
    )
    if question is None or getattr(question, "article", None) is None:
        return "skipped"
    send_letter_published_email(question)
    return "sent"


# Sending issues ----------------------------------------------------------------------------


@task(queue_name="mail")
def send_issue_deliveries(*, issue_id: int) -> dict[str, Any]:
    if not sending.has_pending(issue_id=issue_id):
        return {"finished": sending.finish_issue_if_done(issue_id=issue_id)}
    config = sending.SendSettings.load()
    if send_issue_deliveries.get_backend().supports_defer:
        send_issue_deliveries.using(
            run_after=timezone.now() + dt.timedelta(seconds=config.task_seconds)
        ).enqueue(issue_id=issue_id)
    report = sending.send_pending(
        issue_id=issue_id, until=time.time() + config.task_seconds, config=config
    )
    return report.as_dict()


@task(queue_name="mail")
def start_scheduled_issue(*, issue_id: int, scheduled_for: str) -> bool:
    when = dt.datetime.fromisoformat(scheduled_for)
    if when > timezone.now():
        # Picked up early (clocks differ between machines): come back at the time itself.
        start_scheduled_issue.using(run_after=when).enqueue(
            issue_id=issue_id, scheduled_for=scheduled_for
        )
        return False
    return sending.start_scheduled_send(issue_id=issue_id, scheduled_for=when)


@task(queue_name="mail")
def send_test_issue(*, issue_id: int, user_id: int) -> None:
    issue = Issue.objects.filter(pk=issue_id).first()
    user = User.objects.filter(pk=user_id).first()
    if issue is not None and user is not None:
        sending.send_test_email(issue=issue, email_address=user.email, name=user.display_name)


@task(queue_name="mail")
def poll_inbound_mailbox() -> int:
    """Every INBOUND_POLL_SECONDS: bounces, complaints and unsubscribe mails from the mailbox."""
    import imaplib
    import logging
    import poplib

    from django.conf import settings

    from careertips.core.periodic import schedule_unless_pending
    from careertips.newsletter.mailbox import poll_mailbox

    if not settings.INBOUND_MAILBOX_URL:
        return 0
    try:
        return poll_mailbox()
    except (OSError, ValueError, EOFError, poplib.error_proto, imaplib.IMAP4.error) as error:
        # Unreachable server, refused login: logged, and the next poll tries again.
        logging.getLogger(__name__).warning("polling the inbound mailbox failed: %s", error)
        return 0
    finally:
        delay = dt.timedelta(seconds=settings.INBOUND_POLL_SECONDS)
        schedule_unless_pending(poll_inbound_mailbox, delay=delay)
