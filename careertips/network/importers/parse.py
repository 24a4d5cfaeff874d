"""Reading an upload into rows: the bytes, LinkedIn's and Career Tips' CSV, vCards, and
checking each row's fields."""

from __future__ import annotations

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

from careertips.core.uploads import (
    HEADER_SEARCH_LINES,
    ImportFileError,
    check_size,
    decode_upload,
    encoding_note,
)
from careertips.core.uploads import unneutralise as _unneutralise
from careertips.network.models import Contact, Organization
from careertips.network.services import parse_tags

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


MAX_IMPORT_ROWS = 20_000


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


@dataclass
class ParsedFile:
    source: str
    encoding: str
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)


# --- reading the bytes --------------------------------------------------------------------------


def parse_upload(*, data: bytes, filename: str = "") -> ParsedFile:
    check_size(data, max_bytes=MAX_UPLOAD_BYTES)
    text, encoding = decode_upload(data)
    if re.search(r"^\s*BEGIN:VCARD", text, re.IGNORECASE | re.MULTILINE):
        parsed = ParsedFile("vcard", encoding, parse_vcards(text))
    elif filename.lower().endswith((".vcf", ".vcard")):
        raise ImportFileError("No vCards found: the file has no BEGIN:VCARD line.")
    else:
        source, rows = parse_csv(text)
        parsed = ParsedFile(source, encoding, rows)
    parsed.notes += encoding_note(encoding)
    if not parsed.rows:
        raise ImportFileError("The file has a header but no contacts.")
    return parsed


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
        flag_row(
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
            flag_row(row, "warning", f"“{connected}” under Connected On is not a date; left out.")
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
        flag_row(row, "warning", f"Tags left out: {error.messages[0]}")
    if value := cells.get("Next touch", ""):
        day = _parse_date(value)
        if day is None:
            flag_row(row, "warning", f"“{value}” under Next touch is not a date; left out.")
        else:
            fields["next_touch_on"] = day.isoformat()
    if value := cells.get("Cadence (days)", ""):
        if value.isdigit() and 1 <= int(value) <= 730:
            fields["cadence_days"] = int(value)
        else:
            flag_row(row, "warning", f"“{value}” is not a cadence of 1 to 730 days; left out.")


def _choice(row: dict[str, Any], key: str, value: str, choices: Any) -> None:
    if not value:
        return
    by_label = {str(label).casefold(): v for v, label in choices.choices}
    by_value = {str(v).casefold(): v for v in choices.values}
    found = by_label.get(value.casefold(), by_value.get(value.casefold()))
    if found is None:
        flag_row(row, "warning", f"“{value}” is not a known {key}; left out.")
    else:
        row["fields"][key] = found


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
            flag_row(row, "error", "This card has no END:VCARD line.")
        else:
            try:
                card = vobject.readOne(chunk)
            # The parser is third-party and the input untrusted: any failure is this card's.
            except Exception as error:  # noqa: BLE001
                flag_row(row, "error", f"This card could not be read: {_short(error)}")
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
        flag_row(row, "warning", f"Categories left out: {error.messages[0]}")


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


def flag_row(row: dict[str, Any], level: str, message: str) -> None:
    row["problems"].append({"level": level, "message": message})


def _check_fields(row: dict[str, Any]) -> None:
    fields = row["fields"]
    if not fields.get("name"):
        flag_row(row, "error", "No name: a contact needs at least a first or last name.")
    if email := fields.get("email"):
        try:
            validate_email(email)
        except ValidationError:
            flag_row(row, "warning", f"“{email[:80]}” is not a valid email address; left out.")
            fields["email"] = ""
    if url := fields.get("profile_url"):
        try:
            _validate_url(url)
        except ValidationError:
            flag_row(row, "warning", f"“{url[:80]}” is not a web address; left out.")
            fields["profile_url"] = ""
    for key, limit in LENGTHS.items():
        value = fields.get(key) or ""
        if limit and len(value) > limit:
            if key in ("email", "profile_url"):
                fields[key] = ""
                flag_row(row, "warning", f"The {key.replace('_', ' ')} is too long; left out.")
            else:
                fields[key] = value[:limit]
                flag_row(row, "warning", f"The {key.replace('_', ' ')} was cut to {limit} chars.")
