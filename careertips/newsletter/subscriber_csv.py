"""Subscriber CSV import (previewed, nothing written until confirmed) and export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from careertips.core.spreadsheet import safe_cell
from careertips.newsletter.models import Subscriber
from careertips.newsletter.services import normalize_email

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_FIELD = 10_000
PAYLOAD_MAX_AGE = 3600
EMAIL_HEADERS = {"email", "e-mail", "email address", "e-mail address", "mail", "emailaddress"}
NAME_HEADERS = {"name", "full name", "fullname", "display name"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class ImportRow:
    line: int
    email: str
    name: str
    action: str  # add | exists | suppressed | duplicate | error
    message: str = ""


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)

    def of(self, action: str) -> list[ImportRow]:
        return [row for row in self.rows if row.action == action]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("add", "exists", "suppressed", "duplicate", "error"), 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts


def decode(data: bytes) -> str:
    """Spreadsheets export UTF-8 (with or without BOM), UTF-16 or Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _reader(text: str) -> Any:  # a csv reader: iterates rows, knows its line number
    if "\x00" in text:
        raise ImportFileError(
            "The file contains binary data: save it from your spreadsheet as CSV."
        )
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text, newline=""), dialect)


def _columns(header: list[str]) -> tuple[int, int | None, bool]:
    """(email column, name column, whether the first row is a header)."""
    cells = [cell.strip().lower() for cell in header]
    for index, cell in enumerate(cells):
        if cell in EMAIL_HEADERS:
            name = next((i for i, c in enumerate(cells) if c in NAME_HEADERS), None)
            return index, name, True
    for index, cell in enumerate(cells):
        if "@" in cell:
            return index, (index + 1 if index + 1 < len(cells) else None), False
    raise ImportFileError('No email column found: add a header row with a column named "email".')


def _rows(data: bytes) -> Iterator[tuple[int, str, str]]:
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    reader = _reader(decode(data))
    try:
        first = next(reader, None)
        if first is None:
            raise ImportFileError("The file is empty.")
        email_col, name_col, has_header = _columns(first)
        records = reader if has_header else _chain([first], reader)
        for count, record in enumerate(records, start=1):
            if count > MAX_ROWS:
                raise ImportFileError(
                    f"More than {MAX_ROWS:,} rows: split the file and import each part."
                )
            if not any(cell.strip() for cell in record):
                continue
            email = record[email_col] if email_col < len(record) else ""
            name = record[name_col] if name_col is not None and name_col < len(record) else ""
            yield reader.line_num, email, name
    except csv.Error as error:
        raise ImportFileError(f"Line {reader.line_num} cannot be read: {error}.") from None


def _chain(*iterables: Iterable[list[str]]) -> Iterator[list[str]]:
    for iterable in iterables:
        yield from iterable


def _check(line: int, raw_email: str, raw_name: str) -> ImportRow:
    email = normalize_email(raw_email[:MAX_FIELD])
    name = " ".join(raw_name[:MAX_FIELD].split())
    row = ImportRow(line=line, email=email[:254], name=name[:120], action="add")
    if not email:
        row.action, row.message = "error", "No email address."
    elif len(email) > 254:
        row.action, row.message = "error", "Email address is longer than 254 characters."
    elif len(name) > 120:
        row.action, row.message = "error", "Name is longer than 120 characters."
    else:
        try:
            validate_email(email)
        except ValidationError:
            row.action, row.message = "error", "Not a valid email address."
    return row


def preview_import(data: bytes) -> ImportPreview:
    """Reads the file and says what importing it would do; writes nothing."""
    preview = ImportPreview()
    seen: dict[str, int] = {}
    for line, raw_email, raw_name in _rows(data):
        row = _check(line, raw_email, raw_name)
        if row.action == "add" and row.email in seen:
            row.action, row.message = "duplicate", f"Same address as line {seen[row.email]}."
        elif row.action == "add":
            seen[row.email] = line
        preview.rows.append(row)
    _mark_existing(preview.of("add"))
    return preview


def _existing_statuses(emails: list[str]) -> dict[str, str]:
    statuses: dict[str, str] = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        rows = (
            Subscriber.objects.annotate(lower_email=Lower("email"))
            .filter(lower_email__in=chunk)
            .values_list("lower_email", "status")
        )
        statuses.update(rows)
    return statuses


def _mark_existing(rows: list[ImportRow]) -> None:
    statuses = _existing_statuses([row.email for row in rows])
    for row in rows:
        status = statuses.get(row.email)
        if status in Subscriber.SUPPRESSED:
            label = Subscriber.Status(status).label.lower()
            row.action, row.message = "suppressed", f"Left alone: {label}."
        elif status is not None:
            label = Subscriber.Status(status).label.lower()
            row.action, row.message = "exists", f"Already on the list ({label})."


def sign_payload(*, preview: ImportPreview, filename: str) -> str:
    rows = [[row.email, row.name] for row in preview.of("add")]
    return signing.dumps(
        {"rows": rows, "file": filename[:40]}, salt="newsletter.import", compress=True
    )


def read_payload(payload: str) -> dict | None:
    try:
        return signing.loads(payload, salt="newsletter.import", max_age=PAYLOAD_MAX_AGE)
    except (signing.BadSignature, ValueError):
        return None


@transaction.atomic
def import_subscribers(
    *, rows: list[list[str]], filename: str, by: Any, ask_to_confirm: bool
) -> int:
    """Adds only addresses that are still unknown; existing rows (and their status) stay as
    they are, so an import never resubscribes anyone who left or bounced."""
    from careertips.newsletter.tasks import send_subscription_notice

    statuses = _existing_statuses([normalize_email(email) for email, _ in rows])
    now = timezone.now()
    status = Subscriber.Status.PENDING if ask_to_confirm else Subscriber.Status.ACTIVE
    source = f"Import {filename} by {by.email}"[:60]
    new = [
        Subscriber(
            email=normalize_email(email),
            name=name[:120],
            status=status,
            consent_at=now,
            consent_source=source,
            confirmed_at=None if ask_to_confirm else now,
        )
        for email, name in rows
        if normalize_email(email) not in statuses
    ]
    # Two imports at once may race on an address; the unique index keeps the first one.
    Subscriber.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    if ask_to_confirm:
        emails = [subscriber.email for subscriber in new]
        ids = list(
            Subscriber.objects.filter(
                email__in=emails, status=status, consent_source=source
            ).values_list("pk", flat=True)
        )

        def enqueue_all() -> None:
            for pk in ids:
                send_subscription_notice.enqueue(subscriber_id=pk)

        transaction.on_commit(enqueue_all)
    return len(new)


# Export ------------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "email",
    "name",
    "status",
    "consent_at",
    "consent_ip",
    "consent_source",
    "confirmed_at",
    "confirmed_ip",
    "unsubscribed_at",
    "suppressed_reason",
    "created_at",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_lines(subscribers: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # lets spreadsheet programs recognise UTF-8
    yield writer.writerow(EXPORT_COLUMNS)
    for subscriber in subscribers.order_by("id").iterator(chunk_size=2000):
        yield writer.writerow([safe_cell(getattr(subscriber, name)) for name in EXPORT_COLUMNS])
