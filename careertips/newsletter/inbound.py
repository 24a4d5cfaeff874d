"""Mail that comes back: bounces, feedback-loop complaints and unsubscribe requests.

Every message — from the MTA pipe (`careertips receive_mail`) or the mailbox poller — is first
stored whole as a core InboundMessage, then read:

- an ARF feedback report (RFC 5965) suppresses the subscriber it names as a complaint;
- a mail whose subject is `unsubscribe <signed token>` (the List-Unsubscribe mailto:)
  unsubscribes the subscriber the token names;
- a delivery status notification, read by flufl.bounce and tied to the subscriber by the VERP
  return path it was sent to (or, failing that, by the failed addresses it lists): a hard
  bounce suppresses at once, a soft one after SOFT_LIMIT within SOFT_WINDOW;
- anything else stays for staff to read on the inbound mail page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.errors
import email.header
import email.policy
import hashlib
import logging
import re
from email.message import Message
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from flufl.bounce import all_failures

from careertips.core.models import InboundMessage
from careertips.newsletter import tokens
from careertips.newsletter.models import BounceEvent, Subscriber
from careertips.newsletter.sending.ledger import suppress_subscribers
from careertips.newsletter.services import unsubscribe

logger = logging.getLogger(__name__)

SOFT_LIMIT, SOFT_WINDOW = 3, dt.timedelta(days=14)
# Headers where MTAs put the address a message was delivered to (the VERP return path).
ENVELOPE_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To")
# Status codes of a failed delivery that may clear up by themselves: mailbox full, too big.
SOFT_STATUSES = re.compile(r"^(4\.|5\.2\.2|5\.3\.4)")
UNSUBSCRIBE_SUBJECT = re.compile(r"^\s*unsubscribe\s+(\S+)\s*$", re.IGNORECASE)

Kind = InboundMessage.Kind


def receive(raw: bytes, *, source: str, recipient: str = "") -> InboundMessage:
    """Stores the message, then acts on it. A message seen before is not acted on twice; a
    failure while acting leaves the message stored, marked for staff."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    record = _store(raw, message, source=source)
    if record.outcome:  # handled before: the poller fetched it again
        return record
    try:
        with transaction.atomic():
            kind, outcome = _act(message, record, recipient=recipient)
    except Exception as error:
        logger.exception("inbound message %s could not be handled", record.pk)
        kind, outcome = Kind.OTHER, f"Not handled ({type(error).__name__}: {error})"
    record.kind, record.outcome = kind, outcome[:1000]
    record.save(update_fields=["kind", "outcome"])
    logger.info("inbound message", extra={"id": record.pk, "kind": kind, "outcome": outcome})
    return record


def _store(raw: bytes, message: Message, *, source: str) -> InboundMessage:
    digest = hashlib.sha256(raw).hexdigest()
    fields = {
        "source": source,
        "mail_from": _header(message, "From"),
        "to": _header(message, "To"),
        "subject": _header(message, "Subject"),
        "message_id": _header(message, "Message-ID"),
        "raw": raw,
    }
    try:
        with transaction.atomic():
            return InboundMessage.objects.create(digest=digest, **fields)
    except IntegrityError:
        return InboundMessage.objects.get(digest=digest)


def _header(message: Message, name: str) -> str:
    """A header as text for the list of messages (NULs out: PostgreSQL text cannot hold them;
    the raw bytes keep everything)."""
    value = str(message.get(name, ""))
    with contextlib.suppress(ValueError, LookupError, email.errors.HeaderParseError):
        value = str(email.header.make_header(email.header.decode_header(value)))
    return value.replace("\x00", "")[:998]


def _act(message: Message, record: InboundMessage, *, recipient: str) -> tuple[str, str]:
    if _is_report(message, "feedback-report"):
        return _complaint(message, record)
    if match := UNSUBSCRIBE_SUBJECT.match(record.subject):
        return _unsubscribe_request(match.group(1), record)
    return _bounce(message, record, recipient=recipient)


def _is_report(message: Message, report_type: str) -> bool:
    return (
        message.get_content_type() == "multipart/report"
        and (message.get_param("report-type") or "").lower() == report_type
    )


# Complaints -----------------------------------------------------------------------------------


def _complaint(message: Message, record: InboundMessage) -> tuple[str, str]:
    original = _original_headers(message)
    subscriber = _subscriber_from_headers(original)
    if subscriber is None:
        report = _part(message, "message/feedback-report")
        rcpt = _report_fields(report).get("original-rcpt-to", "") if report else ""
        address = parseaddr(rcpt or original.get("To", ""))[1]
        subscriber = Subscriber.objects.filter(email__iexact=address).first() if address else None
    if subscriber is None:
        return Kind.COMPLAINT, "Complaint about an address that is not a subscriber: kept."
    _record(subscriber, BounceEvent.Kind.COMPLAINT, record, "Feedback-loop complaint")
    _suppress(subscriber, Subscriber.Status.COMPLAINED, "Complained (feedback loop)")
    return Kind.COMPLAINT, f"Complaint: {subscriber.email} suppressed."


def _original_headers(message: Message) -> Message:
    """The headers of the message a report is about (message/rfc822 or text/rfc822-headers)."""
    for part in message.walk():
        kind = part.get_content_type()
        payload = part.get_payload()
        if kind == "message/rfc822" and isinstance(payload, list) and payload:
            return payload[0]  # type: ignore[return-value]
        if kind == "text/rfc822-headers":
            return email.message_from_string(
                part.get_payload(decode=True).decode("utf-8", "replace")
            )
    return Message()


def _part(message: Message, content_type: str) -> Message | None:
    return next((p for p in message.walk() if p.get_content_type() == content_type), None)


def _report_fields(part: Message) -> dict[str, str]:
    """Fields of a message/feedback-report or message/delivery-status part, lower-cased."""
    payload = part.get_payload()
    blocks = payload if isinstance(payload, list) else [email.message_from_string(str(payload))]
    return {k.lower(): str(v) for block in blocks for k, v in block.items()}


def _subscriber_from_headers(headers: Message) -> Subscriber | None:
    """The subscriber an original message of ours was for: by its VERP return path, else by the
    token in its List-Unsubscribe mailto: subject."""
    if (path := headers.get("Return-Path")) and (found := tokens.read_verp_address(str(path))):
        return found
    unsubscribe_header = str(headers.get("List-Unsubscribe", ""))
    if match := re.search(r"subject=unsubscribe%20([^>\s&]+)", unsubscribe_header):
        return tokens.read_token(purpose="unsubscribe", token=match.group(1))
    return None


# Unsubscribe requests -------------------------------------------------------------------------


def _unsubscribe_request(token: str, record: InboundMessage) -> tuple[str, str]:
    subscriber = tokens.read_token(purpose="unsubscribe", token=token)
    if subscriber is None:
        return Kind.OTHER, "An unsubscribe request with an unknown or altered token: kept."
    unsubscribe(subscriber=subscriber, how="mailto: request")
    _record(subscriber, BounceEvent.Kind.UNSUBSCRIBE, record, f"From {record.mail_from}")
    return Kind.UNSUBSCRIBE, f"Unsubscribed {subscriber.email}."


# Bounces --------------------------------------------------------------------------------------


def _bounce(message: Message, record: InboundMessage, *, recipient: str) -> tuple[str, str]:
    verp = _verp_subscriber(message, recipient)
    temporary, permanent = (
        {a.decode("utf-8", "replace").lower() for a in found} for found in all_failures(message)
    )
    statuses = _dsn_statuses(message)
    soft = temporary | {a for a in permanent if SOFT_STATUSES.match(statuses.get(a, ""))}
    hard = permanent - soft
    if not (soft or hard):
        who = f" (sent to {verp.email})" if verp else ""
        return Kind.OTHER, f"Not a bounce this site can read{who}: kept for staff."
    outcomes = []
    for address, is_hard in [
        *((a, True) for a in sorted(hard)),
        *((a, False) for a in sorted(soft)),
    ]:
        subscriber = verp if verp else Subscriber.objects.filter(email__iexact=address).first()
        if subscriber is None:
            outcomes.append(f"{address}: not a subscriber")
            continue
        detail = f"{address} {statuses.get(address, '')}".strip()
        outcomes.append(
            _hard(subscriber, record, detail) if is_hard else _soft(subscriber, record, detail)
        )
        if verp:
            break  # the return path names one subscriber; one event per bounce
    return Kind.BOUNCE, "; ".join(outcomes)


def _verp_subscriber(message: Message, recipient: str) -> Subscriber | None:
    if not getattr(settings, "NEWSLETTER_BOUNCE_ADDRESS", ""):
        return None
    candidates = [recipient] + [
        address
        for name in ENVELOPE_HEADERS
        for _, address in getaddresses(message.get_all(name, []))
    ]
    local = settings.NEWSLETTER_BOUNCE_ADDRESS.rpartition("@")[0].lower()
    for address in candidates:
        found = address.lower().startswith(f"{local}+") and tokens.read_verp_address(address)
        if found:
            return found
    return None


def _dsn_statuses(message: Message) -> dict[str, str]:
    """Final-Recipient address → Status code, from an RFC 3464 delivery-status part."""
    part = _part(message, "message/delivery-status")
    if part is None:
        return {}
    payload = part.get_payload()
    statuses = {}
    for block in payload if isinstance(payload, list) else []:
        rcpt = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
        address = rcpt.partition(";")[2].strip().strip("<>").lower()
        if address:
            statuses[address] = str(block.get("Status", "")).strip()
    return statuses


def _hard(subscriber: Subscriber, record: InboundMessage, detail: str) -> str:
    _record(subscriber, BounceEvent.Kind.HARD, record, detail)
    _suppress(subscriber, Subscriber.Status.BOUNCED, f"Bounced: {detail}")
    return f"hard bounce: {subscriber.email} suppressed"


def _soft(subscriber: Subscriber, record: InboundMessage, detail: str) -> str:
    _record(subscriber, BounceEvent.Kind.SOFT, record, detail)
    recent = subscriber.bounce_events.filter(
        kind=BounceEvent.Kind.SOFT, occurred_at__gte=timezone.now() - SOFT_WINDOW
    ).count()
    if recent >= SOFT_LIMIT:
        _suppress(
            subscriber, Subscriber.Status.BOUNCED, f"{recent} soft bounces in 14 days: {detail}"
        )
        return f"soft bounce {recent} of {SOFT_LIMIT}: {subscriber.email} suppressed"
    return f"soft bounce {recent} of {SOFT_LIMIT} for {subscriber.email}"


def _record(subscriber: Subscriber, kind: str, record: InboundMessage, detail: str) -> None:
    BounceEvent.objects.create(
        subscriber=subscriber, kind=kind, message=record, detail=detail[:500]
    )


def _suppress(subscriber: Subscriber, status: str, detail: str) -> None:
    suppress_subscribers(Subscriber.objects.filter(pk=subscriber.pk), status=status, detail=detail)
