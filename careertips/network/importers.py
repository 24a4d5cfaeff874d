"""Importing contacts: LinkedIn's connections export, Career Tips' own CSV, and vCards.

An upload is parsed into rows, each checked and matched against the member's network, and kept
as an ImportBatch for the member to review. Nothing touches their contacts until they confirm;
confirming matches again against the network as it is then, so importing a file twice adds
nothing the second time.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import re
from dataclasses import dataclass, field
from typing import Any

import vobject
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from careertips.core.spreadsheet import FORMULA_PREFIXES
from careertips.network.duplicates import DuplicateIndex, PersonKeys, organization_key
from careertips.network.models import Contact, ImportBatch, Organization
from careertips.network.services import parse_tags, tags_named

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
# An import still "importing" after this long lost its worker, and may be started again.
IMPORT_STALE_AFTER = dt.timedelta(minutes=10)
# LinkedIn's export starts with a few "Notes:" lines; the header is within the first lines.
HEADER_SEARCH_LINES = 30
LINKEDIN_COLUMNS = [
    "First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On",
]  # fmt: skip
# Exports made before LinkedIn added profile links have no URL column.
LINKEDIN_OPTIONAL = {"URL"}
CAREERTIPS_COLUMNS = [
    "Name", "Title", "Organization", "Email", "Phone", "Profile URL", "Relationship", "Warmth",
    "Tags", "How we met", "Next touch", "Cadence (days)", "Notes",
]  # fmt: skip
DATE_FORMATS = ["%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%y", "%m/%d/%Y"]
LENGTHS = {
    name: Contact._meta.get_field(name).max_length
    for name in ("name", "title", "email", "phone", "profile_url", "how_we_met", "notes")
}
LENGTHS["organization"] = Organization._meta.get_field("name").max_length

_validate_url = URLValidator(schemes=["http", "https"])


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, for the member."""


@dataclass
class ParsedFile:
    source: str
    encoding: str
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)


# --- reading the bytes --------------------------------------------------------------------------


def decode_upload(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with: UTF-8 first, then Windows-1252, Latin-1."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ImportFileError("This file claims to be UTF-16 but is damaged.") from None
    if b"\x00" in data:
        raise ImportFileError(
            "This looks like a binary file, e.g. a spreadsheet. Save it as CSV or vCard first."
        )
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileError("The file's text encoding could not be read.")  # pragma: no cover


def parse_upload(*, data: bytes, filename: str = "") -> ParsedFile:
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB. Split it and import each part."
        )
    if not data.strip():
        raise ImportFileError("The file is empty.")
    text, encoding = decode_upload(data)
    if re.search(r"^\s*BEGIN:VCARD", text, re.IGNORECASE | re.MULTILINE):
        parsed = ParsedFile("vcard", encoding, parse_vcards(text))
    elif filename.lower().endswith((".vcf", ".vcard")):
        raise ImportFileError("No vCards found: the file has no BEGIN:VCARD line.")
    else:
        source, rows = parse_csv(text)
        parsed = ParsedFile(source, encoding, rows)
    if encoding not in ("utf-8-sig", "utf-16"):
        parsed.notes.append(
            f"The file is not UTF-8; it was read as {_ENCODING_NAMES[encoding]}. "
            "Check that accented names look right below."
        )
    if not parsed.rows:
        raise ImportFileError("The file has a header but no contacts.")
    return parsed


_ENCODING_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO-8859-1)"}


# --- CSV ----------------------------------------------------------------------------------------


def parse_csv(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Finds the header below any preamble, then reads rows as LinkedIn or Career Tips."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        source, header = _find_header(reader)
        rows: list[dict[str, Any]] = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_IMPORT_ROWS:
                raise ImportFileError(
                    f"The file has more than {MAX_IMPORT_ROWS:,} contacts; import at most "
                    f"{MAX_IMPORT_ROWS:,} at a time. Split the file and import each part."
                )
            rows.append(_csv_row(source, header, values, reader.line_num))
    except csv.Error as error:
        raise ImportFileError(f"Line {reader.line_num}: the CSV is malformed ({error}).") from None
    return source, rows


def _find_header(reader: Any) -> tuple[str, list[str]]:
    best: list[str] = []
    for values in reader:
        cells = [v.strip().lstrip("\ufeff") for v in values]
        for source, columns in (("linkedin", LINKEDIN_COLUMNS), ("careertips", CAREERTIPS_COLUMNS)):
            found = set(cells) & set(columns)
            if len(found) >= 2:
                missing = [c for c in columns if c not in found and c not in LINKEDIN_OPTIONAL]
                if missing and source == "linkedin":
                    raise ImportFileError(
                        "The LinkedIn file is missing these columns: " + ", ".join(missing) + "."
                    )
                if "Name" not in found and source == "careertips":
                    raise ImportFileError("The file is missing the column: Name.")
                return source, cells
        best = best or cells
        if reader.line_num >= HEADER_SEARCH_LINES:
            break
    raise ImportFileError(
        "No header row found. A LinkedIn connections export needs these columns: "
        + ", ".join(LINKEDIN_COLUMNS)
        + ". Export your connections again from LinkedIn (Settings → Data privacy)."
    )


def _csv_row(source: str, header: list[str], values: list[str], line: int) -> dict[str, Any]:
    row: dict[str, Any] = {"line": line, "fields": {}, "problems": []}
    if len(values) > len(header):
        _problem(
            row,
            "error",
            f"This line has {len(values)} values but the header has {len(header)}; "
            "a value with a comma is probably missing its quotes.",
        )
        return row
    cells = dict(zip(header, (v.strip() for v in values), strict=False))
    if source == "linkedin":
        _linkedin_fields(row, cells)
    else:
        _careertips_fields(row, cells)
    _check_fields(row)
    return row


def _linkedin_fields(row: dict[str, Any], cells: dict[str, str]) -> None:
    fields = row["fields"]
    fields["name"] = " ".join(f"{cells.get('First Name', '')} {cells.get('Last Name', '')}".split())
    fields["profile_url"] = cells.get("URL", "")
    fields["email"] = cells.get("Email Address", "")
    fields["organization"] = cells.get("Company", "")
    fields["title"] = cells.get("Position", "")
    if connected := cells.get("Connected On", ""):
        day = _parse_date(connected)
        if day is None:
            _problem(row, "warning", f"“{connected}” under Connected On is not a date; left out.")
        else:
            fields["how_we_met"] = f"Connected on LinkedIn, {day:%-d %b %Y}"


def _careertips_fields(row: dict[str, Any], cells: dict[str, str]) -> None:
    cells = {k: _unneutralise(v) for k, v in cells.items()}
    fields = row["fields"]
    plain = [
        ("name", "Name"), ("title", "Title"), ("organization", "Organization"),
        ("email", "Email"), ("phone", "Phone"), ("profile_url", "Profile URL"),
        ("how_we_met", "How we met"), ("notes", "Notes"),
    ]  # fmt: skip
    for key, column in plain:
        fields[key] = cells.get(column, "")
    _choice(row, "relationship", cells.get("Relationship", ""), Contact.Relationship)
    _choice(row, "warmth", cells.get("Warmth", ""), Contact.Warmth)
    try:
        fields["tags"] = parse_tags(cells.get("Tags", ""))
    except ValidationError as error:
        _problem(row, "warning", f"Tags left out: {error.messages[0]}")
    if value := cells.get("Next touch", ""):
        day = _parse_date(value)
        if day is None:
            _problem(row, "warning", f"“{value}” under Next touch is not a date; left out.")
        else:
            fields["next_touch_on"] = day.isoformat()
    if value := cells.get("Cadence (days)", ""):
        if value.isdigit() and 1 <= int(value) <= 730:
            fields["cadence_days"] = int(value)
        else:
            _problem(row, "warning", f"“{value}” is not a cadence of 1 to 730 days; left out.")


def _choice(row: dict[str, Any], key: str, value: str, choices: Any) -> None:
    if not value:
        return
    by_label = {str(label).casefold(): v for v, label in choices.choices}
    by_value = {str(v).casefold(): v for v in choices.values}
    found = by_label.get(value.casefold(), by_value.get(value.casefold()))
    if found is None:
        _problem(row, "warning", f"“{value}” is not a known {key}; left out.")
    else:
        row["fields"][key] = found


def _unneutralise(value: str) -> str:
    """Our exports quote risky cells with a leading ' ; reading them back removes it."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


@functools.lru_cache(maxsize=4096)  # exports repeat the same few hundred dates
def _parse_date(value: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007 -- a date
        except ValueError:
            continue
    return None


# --- vCard --------------------------------------------------------------------------------------


def parse_vcards(text: str) -> list[dict[str, Any]]:
    """One row per card; a card that cannot be read becomes an error row, not a failed file."""
    rows: list[dict[str, Any]] = []
    for line, chunk in _vcard_chunks(text):
        if len(rows) >= MAX_IMPORT_ROWS:
            raise ImportFileError(
                f"The file has more than {MAX_IMPORT_ROWS:,} cards; import at most "
                f"{MAX_IMPORT_ROWS:,} at a time. Split the file and import each part."
            )
        row: dict[str, Any] = {"line": line, "fields": {}, "problems": []}
        if chunk is None:
            _problem(row, "error", "This card has no END:VCARD line.")
        else:
            try:
                card = vobject.readOne(chunk)
            # The parser is third-party and the input untrusted: any failure is this card's.
            except Exception as error:  # noqa: BLE001
                _problem(row, "error", f"This card could not be read: {_short(error)}")
            else:
                _vcard_fields(row, card)
                _check_fields(row)
        rows.append(row)
    return rows


def _vcard_chunks(text: str) -> list[tuple[int, str | None]]:
    chunks: list[tuple[int, str | None]] = []
    start, lines = 0, list[str]()
    for number, line in enumerate(text.splitlines(), start=1):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if lines:
                chunks.append((start, None))
            start, lines = number, [line]
        elif lines:
            lines.append(line)
            if upper == "END:VCARD":
                chunks.append((start, "\r\n".join(lines) + "\r\n"))
                lines = []
    if lines:
        chunks.append((start, None))
    return chunks


def _short(error: Exception) -> str:
    return " ".join(str(error).split())[:200] or error.__class__.__name__


def _vcard_values(card: Any, name: str) -> list[Any]:
    return [item.value for item in card.contents.get(name, [])]


def _vcard_fields(row: dict[str, Any], card: Any) -> None:
    fields = row["fields"]
    name = _text(_first(_vcard_values(card, "fn")))
    if not name and (n := _first(_vcard_values(card, "n"))) is not None:
        name = " ".join(_text(getattr(n, part, "")) for part in ("given", "additional", "family"))
    fields["name"] = " ".join(name.split())
    fields["organization"] = _text(_first(_vcard_values(card, "org")))
    fields["title"] = _text(_first(_vcard_values(card, "title")))
    fields["email"] = _text(_preferred(card, "email"))
    fields["phone"] = _text(_preferred(card, "tel")).removeprefix("tel:")
    fields["profile_url"] = _text(_first(_vcard_values(card, "url")))
    fields["notes"] = "\n".join(_text(v) for v in _vcard_values(card, "note")).strip()
    categories = [_text(c) for value in _vcard_values(card, "categories") for c in _list(value)]
    try:
        fields["tags"] = parse_tags(",".join(categories))
    except ValidationError as error:
        _problem(row, "warning", f"Categories left out: {error.messages[0]}")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _first(values: list[Any]) -> Any:
    return values[0] if values else None


def _text(value: Any) -> str:
    """vCard values may be lists (ORG: company;unit) or structured; the first part counts."""
    while isinstance(value, list | tuple):
        value = value[0] if value else ""
    return " ".join(str(value or "").split()) if not isinstance(value, str) else value.strip()


def _preferred(card: Any, name: str) -> Any:
    """The entry marked preferred (3.0: TYPE=PREF, 4.0: PREF=1), else the first."""
    items = card.contents.get(name, [])
    for item in items:
        types = ",".join(item.params.get("TYPE", [])).lower()
        if "pref" in types.split(",") or item.params.get("PREF"):
            return item.value
    return items[0].value if items else ""


# --- checking rows ------------------------------------------------------------------------------


def _problem(row: dict[str, Any], level: str, message: str) -> None:
    row["problems"].append({"level": level, "message": message})


def _check_fields(row: dict[str, Any]) -> None:
    fields = row["fields"]
    if not fields.get("name"):
        _problem(row, "error", "No name: a contact needs at least a first or last name.")
    if email := fields.get("email"):
        try:
            validate_email(email)
        except ValidationError:
            _problem(row, "warning", f"“{email[:80]}” is not a valid email address; left out.")
            fields["email"] = ""
    if url := fields.get("profile_url"):
        try:
            _validate_url(url)
        except ValidationError:
            _problem(row, "warning", f"“{url[:80]}” is not a web address; left out.")
            fields["profile_url"] = ""
    for key, limit in LENGTHS.items():
        value = fields.get(key) or ""
        if limit and len(value) > limit:
            if key in ("email", "profile_url"):
                fields[key] = ""
                _problem(row, "warning", f"The {key.replace('_', ' ')} is too long; left out.")
            else:
                fields[key] = value[:limit]
                _problem(row, "warning", f"The {key.replace('_', ' ')} was cut to {limit} chars.")


# --- matching against the network ---------------------------------------------------------------


@dataclass
class Network:
    """The member's contacts as the importer needs them: keys to match, values to fill."""

    index: DuplicateIndex
    contacts: dict[int, dict[str, Any]]
    tags: dict[int, set[str]]

    @classmethod
    def load(cls, owner: Any) -> Network:
        index = DuplicateIndex()
        contacts: dict[int, dict[str, Any]] = {}
        columns = [
            "pk", "name", "title", "email", "phone", "profile_url", "how_we_met", "notes",
            "relationship", "next_touch_on", "cadence_days", "organization__name",
        ]  # fmt: skip
        for values in Contact.objects.owned_by(owner).order_by("pk").values(*columns):
            values["organization"] = values.pop("organization__name") or ""
            contacts[values["pk"]] = values
            keys = PersonKeys.of(
                name=values["name"],
                email=values["email"],
                profile_url=values["profile_url"],
                org_name=values["organization"],
            )
            index.add(values["pk"], keys)
        tags: dict[int, set[str]] = {}
        links = Contact.tags.through.objects.filter(contact__owner=owner)
        for contact_id, tag_name in links.values_list("contact_id", "tag__name"):
            tags.setdefault(contact_id, set()).add(tag_name.casefold())
        return cls(index, contacts, tags)


FILL_FIELDS = [
    "title", "organization", "email", "phone", "profile_url", "how_we_met", "notes",
    "next_touch_on", "cadence_days",
]  # fmt: skip


def fills_for(existing: dict[str, Any], fields: dict[str, Any], tags: set[str]) -> dict[str, Any]:
    """What a row adds to an existing contact: blanks filled, never a value overwritten."""
    fills = {
        key: fields[key]
        for key in FILL_FIELDS
        if fields.get(key) not in (None, "") and existing.get(key) in (None, "")
    }
    if existing.get("relationship") == "other" and fields.get("relationship", "other") != "other":
        fills["relationship"] = fields["relationship"]
    if new_tags := [t for t in fields.get("tags", []) if t.casefold() not in tags]:
        fills["tags"] = new_tags
    return fills


def classify_rows(*, rows: list[dict[str, Any]], network: Network) -> None:
    """Sets each row's action: create, update (fill blanks), skip (nothing new) or error."""
    seen = DuplicateIndex()
    for row in rows:
        row["problems"] = [p for p in row["problems"] if p["level"] != "duplicate"]
        row.pop("match", None)
        row.pop("fills", None)
        if any(p["level"] == "error" for p in row["problems"]):
            row["action"] = "error"
            continue
        keys = _keys(row["fields"])
        if earlier := seen.match(keys):
            row["action"] = "skip"
            _problem(row, "duplicate", f"Same person as line {earlier[0]} ({earlier[1]}).")
            continue
        seen.add(row["line"], keys)
        if hit := network.index.match(keys):
            _classify_existing(row, network, *hit)
        else:
            row["action"] = "create"


def _keys(fields: dict[str, Any]) -> PersonKeys:
    return PersonKeys.of(
        name=fields.get("name", ""),
        email=fields.get("email", ""),
        profile_url=fields.get("profile_url", ""),
        org_name=fields.get("organization", ""),
    )


def _classify_existing(row: dict[str, Any], network: Network, pk: int, why: str) -> None:
    existing = network.contacts[pk]
    fills = fills_for(existing, row["fields"], network.tags.get(pk, set()))
    row["match"] = {"pk": pk, "name": existing["name"]}
    if fills:
        row["action"], row["fills"] = "update", sorted(fills)
        added = ", ".join(k.replace("_", " ") for k in sorted(fills))
        message = f"Already in your network as {existing['name']} ({why}); adds {added}."
    else:
        row["action"] = "skip"
        message = f"Already in your network as {existing['name']} ({why}); nothing new."
    _problem(row, "duplicate", message)


def summarize(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"create": 0, "update": 0, "skip": 0, "error": 0, "warning": 0, "duplicate": 0}
    for row in rows:
        counts[row["action"]] += 1
        levels = {p["level"] for p in row["problems"]}
        counts["warning"] += "warning" in levels
        counts["duplicate"] += "duplicate" in levels
    return counts


# --- the workflow -------------------------------------------------------------------------------


@transaction.atomic
def preview_import(*, owner: Any, data: bytes, filename: str = "") -> ImportBatch:
    """Parses an upload and keeps it, checked, for review; raises ImportFileError."""
    parsed = parse_upload(data=data, filename=filename)
    classify_rows(rows=parsed.rows, network=Network.load(owner))
    # Unconfirmed uploads are only worth keeping for a day.
    ImportBatch.objects.owned_by(owner).filter(
        status=ImportBatch.Status.PREVIEW, created_at__lt=timezone.now() - dt.timedelta(days=1)
    ).delete()
    return ImportBatch.objects.create(
        owner=owner,
        source=parsed.source,
        filename=filename[:255],
        encoding=parsed.encoding,
        notes=parsed.notes,
        rows=parsed.rows,
    )


@transaction.atomic
def apply_import(*, batch: ImportBatch) -> ImportBatch:
    """Writes a reviewed import in one transaction; re-checks against the network first."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not (batch.is_pending or batch.is_applying):
        raise ValidationError("This import was already confirmed or discarded.")
    owner = batch.owner
    rows = batch.rows
    network = Network.load(owner)
    classify_rows(rows=rows, network=network)
    creates = [r for r in rows if r["action"] == "create"]
    updates = [r for r in rows if r["action"] == "update"]
    orgs = _organizations_for(owner=owner, rows=creates + updates)
    created = _create_contacts(owner=owner, rows=creates, orgs=orgs)
    updated = _update_contacts(rows=updates, orgs=orgs)
    _add_tags(owner=owner, tagged={**created, **updated})
    batch.status = ImportBatch.Status.APPLIED
    batch.applied_at = timezone.now()
    batch.created_count, batch.updated_count = len(creates), len(updates)
    batch.skipped_count = len(rows) - len(creates) - len(updates)
    batch.save(
        update_fields=[
            "rows", "status", "applied_at", "created_count", "updated_count", "skipped_count",
            "updated_at",
        ]
    )  # fmt: skip
    return batch


def queue_import(*, batch: ImportBatch, now: dt.datetime | None = None) -> None:
    """Hands a reviewed import to the task worker, which writes it in one transaction while
    the batch's page shows it under way. An import left "importing" for IMPORT_STALE_AFTER
    (its worker was stopped) may be queued again; it cannot be written twice, as the writing
    re-checks the batch under a lock."""
    from careertips.network.tasks import apply_import_batch

    now = now or timezone.now()
    # Until the rows are written the counts are the preview's plan; the writing replaces them.
    planned = summarize(batch.rows)
    waiting = Q(status=ImportBatch.Status.PREVIEW) | Q(
        status=ImportBatch.Status.APPLYING, updated_at__lt=now - IMPORT_STALE_AFTER
    )
    with transaction.atomic():
        queued = (
            ImportBatch.objects.filter(pk=batch.pk)
            .filter(waiting)
            .update(
                status=ImportBatch.Status.APPLYING,
                updated_at=now,
                created_count=planned["create"],
                updated_count=planned["update"],
            )
        )
        if not queued:
            status = ImportBatch.objects.filter(pk=batch.pk).values_list("status", flat=True)
            if status.first() == ImportBatch.Status.APPLYING:
                raise ValidationError("This import is already under way.")
            raise ValidationError("This import was already confirmed or discarded.")
        transaction.on_commit(functools.partial(apply_import_batch.enqueue, batch_id=batch.pk))


def is_stale(batch: ImportBatch, *, now: dt.datetime | None = None) -> bool:
    """True when an import has been "importing" so long that its worker must have stopped."""
    return batch.is_applying and batch.updated_at < (now or timezone.now()) - IMPORT_STALE_AFTER


def reopen_import(*, batch_id: int, note: str) -> None:
    """An import whose writing failed goes back to waiting for confirmation, with why."""
    applying = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.APPLYING)
    batch = applying.defer("rows").first()
    if batch is None:
        return
    batch.status = ImportBatch.Status.PREVIEW
    batch.notes = [*batch.notes, note]
    batch.save(update_fields=["status", "notes", "updated_at"])


def discard_import(*, batch: ImportBatch) -> None:
    """Drops an upload still waiting for confirmation. One conditional update, so it can
    never undo an import the task worker is writing or has written."""
    discarded = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
        status=ImportBatch.Status.DISCARDED, rows=[], notes=[], updated_at=timezone.now()
    )
    if discarded:
        return
    if ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.APPLYING).exists():
        raise ValidationError("This import is under way; it cannot be discarded now.")
    raise ValidationError("This import was already confirmed; it cannot be discarded.")


def _organizations_for(*, owner: Any, rows: list[dict[str, Any]]) -> dict[str, Organization]:
    names: dict[str, str] = {}
    for row in rows:
        if name := " ".join(row["fields"].get("organization", "").split()):
            names.setdefault(organization_key(name), name)
    existing = {organization_key(o.name): o for o in Organization.objects.owned_by(owner)}
    missing = [Organization(owner=owner, name=n) for k, n in names.items() if k not in existing]
    if missing:
        Organization.objects.bulk_create(missing, batch_size=500, ignore_conflicts=True)
        existing = {organization_key(o.name): o for o in Organization.objects.owned_by(owner)}
    return existing


def _contact_values(fields: dict[str, Any], orgs: dict[str, Organization]) -> dict[str, Any]:
    values = {k: v for k, v in fields.items() if k not in ("organization", "tags")}
    if "next_touch_on" in values:
        values["next_touch_on"] = dt.date.fromisoformat(values["next_touch_on"])
    if org := fields.get("organization"):
        values["organization"] = orgs[organization_key(org)]
    return values


def _create_contacts(
    *, owner: Any, rows: list[dict[str, Any]], orgs: dict[str, Organization]
) -> dict[int, list[str]]:
    now = timezone.now()
    contacts = [
        Contact(owner=owner, created_at=now, **_contact_values(r["fields"], orgs)) for r in rows
    ]
    Contact.objects.bulk_create(contacts, batch_size=500)
    tagged = {}
    for row, contact in zip(rows, contacts, strict=True):
        row["match"] = {"pk": contact.pk, "name": contact.name}
        if row["fields"].get("tags"):
            tagged[contact.pk] = row["fields"]["tags"]
    return tagged


def _update_contacts(
    *, rows: list[dict[str, Any]], orgs: dict[str, Organization]
) -> dict[int, list[str]]:
    """Fills blanks row by row: each row fills different fields, and one small UPDATE each is
    faster than bulk_update's CASE expressions over many columns."""
    now = timezone.now()
    tagged = {}
    for row in rows:
        pk = row["match"]["pk"]
        fields = {k: row["fields"][k] for k in row["fills"] if k != "tags"}
        if fields:
            Contact.objects.filter(pk=pk).update(**_contact_values(fields, orgs), updated_at=now)
        if "tags" in row["fills"]:
            tagged[pk] = row["fields"]["tags"]
    return tagged


def _add_tags(*, owner: Any, tagged: dict[int, list[str]]) -> None:
    if not tagged:
        return
    names = {t.casefold(): t for names in tagged.values() for t in names}
    tags = {t.name.casefold(): t for t in tags_named(owner=owner, names=names.values())}
    through = Contact.tags.through
    links = [
        through(contact_id=pk, tag_id=tags[name.casefold()].pk)
        for pk, names in tagged.items()
        for name in names
    ]
    through.objects.bulk_create(links, batch_size=500, ignore_conflicts=True)
