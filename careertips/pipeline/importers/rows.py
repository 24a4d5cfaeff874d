"""Checking each row of an opportunity import against its mapping, and flagging duplicates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from careertips.core.uploads import unneutralise
from careertips.network.duplicates import organization_key
from careertips.pipeline.importers.columns import (
    CURRENCY_SYMBOLS,
    FIELDS,
    MULTI_COLUMN_FIELDS,
    REQUIRED_FIELDS,
    SOURCE_FIELDS,
    WORK_MODE_FIELDS,
    PayError,
    currency_in,
    header_key,
    known_stage,
    parse_amount,
    parse_date,
    parse_pay,
    stage_key,
)
from careertips.pipeline.models import CURRENCIES, Opportunity, Source, Stage, WorkMode

LENGTHS = {"organization": 200, "title": 200, "location": 200, "notes": 20_000,
           "description": 50_000, "hiring_manager": 200}  # fmt: skip
MAX_CONTACTS_PER_ROW = 20
_validate_url = URLValidator(schemes=["http", "https"])
# Query parameters that only say where a click came from: the same posting without them.
TRACKING_PARAMS = re.compile(r"^(utm_.*|ref|refid|trk|trackingid|src|source|gh_src|lever-source)$")
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0"}


def posting_key(url: str) -> str:
    """http://www.example.com/jobs/1/?utm_source=x and https://example.com/jobs/1 are one
    posting; other query parameters (?jk=…, ?gh_jid=…) name the posting and are kept."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    host = parts.netloc.casefold().removeprefix("www.")
    query = [(k, v) for k, v in parse_qsl(parts.query) if not TRACKING_PARAMS.match(k.casefold())]
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{urlencode(sorted(query))}" if query else "")


def role_key(organization: str, title: str) -> tuple[str, str]:
    return organization_key(organization), " ".join(title.casefold().split())


@dataclass
class Pipeline:
    """The member's opportunities as duplicate keys: by posting and by employer + title."""

    by_url: dict[str, str] = field(default_factory=dict)
    by_role: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def load(cls, owner: Any) -> Pipeline:
        pipeline = cls()
        rows = Opportunity.objects.owned_by(owner).values_list(
            "posting_url", "title", "organization__name"
        )
        for url, title, organization in rows.iterator(chunk_size=2000):
            label = f"{title} at {organization}"
            if key := posting_key(url):
                pipeline.by_url.setdefault(key, label)
            pipeline.by_role.setdefault(role_key(organization, title), label)
        return pipeline


def flag(row: dict[str, Any], level: str, column: str, message: str) -> None:
    row["problems"].append({"level": level, "column": column, "message": message})


@dataclass
class Checker:
    """Reads rows' cells into fields by one mapping; `stage_map` answers unknown statuses."""

    headers: list[str]
    mapping: list[str]
    stage_map: dict[str, str]
    today: dt.date

    def columns(self, key: str) -> list[int]:
        return [i for i, f in enumerate(self.mapping) if f == key]

    def label(self, key: str) -> str:
        indexes = self.columns(key)
        return self.headers[indexes[0]] if indexes else FIELDS[key]

    def check(self, row: dict[str, Any]) -> None:
        row["fields"], row["problems"] = {}, []
        cells = row["cells"]
        values: dict[str, str] = {}
        notes: list[tuple[str, str]] = []
        for index, key in enumerate(self.mapping):
            value = unneutralise(cells[index]) if key and index < len(cells) else ""
            if key in MULTI_COLUMN_FIELDS:
                if value:
                    notes.append((self.headers[index], value))
            elif key:
                values[key] = value.strip()
        if len(cells) > len(self.headers) and any(cells[len(self.headers) :]):
            flag(
                row,
                "warning",
                "",
                "This line has more values than the header; the extra "
                "ones were left out (a value with a comma may be missing its quotes).",
            )
        if len(notes) > 1:
            values["notes"] = "\n".join(f"{h}: {v}" for h, v in notes)
        elif notes:
            values["notes"] = notes[0][1]
        self._text(row, values)
        self._dates(row, values)
        self._stage(row, values)
        self._url(row, values)
        self._pay(row, values)
        self._kinds(row, values)
        self._people(row, values)

    def _text(self, row: dict[str, Any], values: dict[str, str]) -> None:
        fields = row["fields"]
        for key, limit in LENGTHS.items():
            value = values.get(key, "")
            if key not in ("notes", "description"):
                value = " ".join(value.split())
            if len(value) > limit:
                value = value[:limit]
                flag(row, "warning", self.label(key), f"Cut to {limit:,} characters.")
            if value:
                fields[key] = value
        for key in REQUIRED_FIELDS:
            if not fields.get(key):
                flag(
                    row, "error", self.label(key), f"No {FIELDS[key].lower()}: this row is skipped."
                )

    def _dates(self, row: dict[str, Any], values: dict[str, str]) -> None:
        for key in ("applied_on", "found_on", "stage_date"):
            if not (value := values.get(key, "")):
                continue
            day = parse_date(value)
            if day is None:
                flag(row, "warning", self.label(key), f"“{value[:40]}” is not a date; left out.")
            elif day > self.today:
                flag(
                    row, "warning", self.label(key), f"{day:%-d %b %Y} is in the future; left out."
                )
            else:
                row["fields"][key] = day.isoformat()

    def _stage(self, row: dict[str, Any], values: dict[str, str]) -> None:
        fields = row["fields"]
        raw = " ".join(values.get("stage", "").split())
        if not raw:
            fields["stage"] = Stage.APPLIED if fields.get("applied_on") else Stage.INTERESTED
            return
        stage = known_stage(raw) or self.stage_map.get(stage_key(raw))
        if stage is None:
            fields["raw_stage"] = raw[:100]
            flag(
                row,
                "ask",
                self.label("stage"),
                f"“{raw[:100]}” is not one of our stages: say above what it means.",
            )
        else:
            fields["stage"] = stage

    def _url(self, row: dict[str, Any], values: dict[str, str]) -> None:
        url = values.get("posting_url", "")
        if not url:
            return
        if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE) and "." in url:
            url = "https://" + url  # "www.example.com/jobs/1" as trackers often keep it
        try:
            if len(url) > 1000:
                raise ValidationError("too long")
            _validate_url(url)
        except ValidationError:
            flag(
                row,
                "warning",
                self.label("posting_url"),
                f"“{values['posting_url'][:80]}” is not a web address; left out.",
            )
        else:
            row["fields"]["posting_url"] = url

    def _pay(self, row: dict[str, Any], values: dict[str, str]) -> None:
        fields = row["fields"]
        low = high = None
        currency = None
        if text := values.get("pay", ""):
            try:
                low, high, currency = parse_pay(text)
            except PayError as error:
                flag(row, "warning", self.label("pay"), f"“{text[:60]}” {error}; left out.")
        for key in ("pay_min", "pay_max"):
            if not (text := values.get(key, "")):
                continue
            try:
                amount = parse_amount(text)
            except PayError as error:
                flag(row, "warning", self.label(key), f"“{text[:60]}” {error}; left out.")
                continue
            currency = currency or currency_in(text)
            low, high = (amount, high) if key == "pay_min" else (low, amount)
        if low is not None and high is not None and low > high:
            flag(
                row,
                "warning",
                self.label("pay_max"),
                "The pay range goes from a higher to a lower amount; left out.",
            )
            low = high = None
        if text := values.get("currency", ""):
            code = text.upper() if text.upper() in CURRENCIES else dict(CURRENCY_SYMBOLS).get(text)
            if code is None:
                flag(
                    row,
                    "warning",
                    self.label("currency"),
                    f"“{text[:20]}” is not a currency we know; left out.",
                )
            else:
                currency = code
        if low is not None:
            fields["pay_min"] = low
        if high is not None:
            fields["pay_max"] = high
        if currency and (low is not None or high is not None):
            fields["currency"] = currency

    def _kinds(self, row: dict[str, Any], values: dict[str, str]) -> None:
        fields = row["fields"]
        if value := values.get("work_mode", ""):
            key = header_key(value)
            if header_key(self.label("work_mode")) == "remote" and key in YES | NO:
                fields["work_mode"] = WorkMode.REMOTE if key in YES else WorkMode.ONSITE
            elif mode := WORK_MODE_FIELDS.get(key):
                fields["work_mode"] = mode
            else:
                flag(
                    row,
                    "warning",
                    self.label("work_mode"),
                    f"“{value[:40]}” is not remote, hybrid or on-site; left out.",
                )
        location = header_key(fields.get("location", ""))
        if "work_mode" not in fields and location:
            if "remote" in location.split():
                fields["work_mode"] = WorkMode.REMOTE
            elif "hybrid" in location.split():
                fields["work_mode"] = WorkMode.HYBRID
        if value := values.get("source", ""):
            source = SOURCE_FIELDS.get(header_key(value))
            if source is None:
                label = Source(Source.JOB_BOARD).label
                flag(
                    row,
                    "warning",
                    self.label("source"),
                    f"“{value[:60]}” is not one of our "
                    f"sources: recorded as {label}, and kept in the notes.",
                )
                note = f"Source: {value[:200]}"
                fields["notes"] = f"{fields['notes']}\n{note}" if fields.get("notes") else note
                source = Source.JOB_BOARD
            fields["source"] = source

    def _people(self, row: dict[str, Any], values: dict[str, str]) -> None:
        if value := values.get("contacts", ""):
            names = [
                " ".join(n.split())[:200]
                for n in re.split(r"[;\n]|,(?!\s*(?:jr|sr)\b)", value, flags=re.IGNORECASE)
            ]
            names = list(dict.fromkeys(n for n in names if n))
            if len(names) > MAX_CONTACTS_PER_ROW:
                flag(
                    row,
                    "warning",
                    self.label("contacts"),
                    f"Only the first {MAX_CONTACTS_PER_ROW} contacts are imported.",
                )
            row["fields"]["contacts"] = names[:MAX_CONTACTS_PER_ROW]


def mapping_problems(headers: list[str], mapping: list[str]) -> list[str]:
    """What is wrong with a mapping as a whole: a required field with no column, a field
    taken by two columns."""
    problems = [
        f"Choose the column that holds the {FIELDS[key].lower()}."
        for key in REQUIRED_FIELDS
        if key not in mapping
    ]
    for key in FIELDS:
        used = [headers[i] for i, f in enumerate(mapping) if f == key]
        if len(used) > 1 and key not in MULTI_COLUMN_FIELDS:
            problems.append(
                f"{FIELDS[key]} is chosen for {len(used)} columns ("
                + ", ".join(f"“{u}”" for u in used)
                + "); choose one."
            )
    return problems


def classify_rows(*, rows: list[dict[str, Any]], pipeline: Pipeline) -> None:
    """Each row's action: create, skip (a duplicate), ask (an unknown status) or error."""
    by_url: dict[str, int] = {}
    by_role: dict[tuple[str, str], int] = {}
    for row in rows:
        levels = {p["level"] for p in row["problems"]}
        if "error" in levels:
            row["action"] = "error"
            continue
        fields = row["fields"]
        url, role = (
            posting_key(fields.get("posting_url", "")),
            role_key(fields["organization"], fields["title"]),
        )
        if url and url in by_url:
            row["action"] = "skip"
            flag(row, "duplicate", "", f"Same posting as line {by_url[url]} (same URL).")
        elif role in by_role:
            row["action"] = "skip"
            flag(
                row,
                "duplicate",
                "",
                f"Same opportunity as line {by_role[role]} (same employer and role title).",
            )
        elif url and url in pipeline.by_url:
            row["action"] = "skip"
            flag(
                row,
                "duplicate",
                "",
                f"Already in your pipeline: {pipeline.by_url[url]} (same posting URL).",
            )
        elif role in pipeline.by_role:
            row["action"] = "skip"
            flag(
                row,
                "duplicate",
                "",
                f"Already in your pipeline: {pipeline.by_role[role]} "
                "(same employer and role title).",
            )
        else:
            row["action"] = "ask" if "ask" in levels else "create"
            if url:
                by_url.setdefault(url, row["line"])
            by_role.setdefault(role, row["line"])


def check_rows(
    *,
    rows: list[dict[str, Any]],
    headers: list[str],
    mapping: list[str],
    stage_map: dict[str, str],
    pipeline: Pipeline,
    today: dt.date,
) -> None:
    checker = Checker(headers, mapping, stage_map, today)
    for row in rows:
        checker.check(row)
    classify_rows(rows=rows, pipeline=pipeline)


def unknown_stages(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Statuses of the file we do not know and the member has not yet explained, with counts."""
    found: dict[str, int] = {}
    for row in rows:
        if raw := row["fields"].get("raw_stage"):
            found[raw] = found.get(raw, 0) + 1
    return found


def summarize(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"create": 0, "skip": 0, "error": 0, "ask": 0, "warning": 0, "duplicate": 0}
    for row in rows:
        counts[row["action"]] += 1
        levels = {p["level"] for p in row["problems"]}
        counts["warning"] += "warning" in levels
        counts["duplicate"] += "duplicate" in levels
    return counts


ROW_FILTERS = {
    "all": ("All rows", lambda row: True),
    "problems": ("Errors and warnings", lambda row: bool(row["problems"])),
    "create": ("New", lambda row: row["action"] == "create"),
    "skip": ("Duplicates", lambda row: row["action"] == "skip"),
}
ROW_FILTER_LABELS = [(key, label) for key, (label, _) in ROW_FILTERS.items()]


def rows_to_show(batch: Any, show: str) -> tuple[str, list[dict[str, Any]]]:
    """The rows a preview's filter asks for; by default the problems while any wait."""
    if show not in ROW_FILTERS:
        has_problems = any(row["problems"] for row in batch.rows)
        show = "problems" if has_problems and batch.is_pending else "all"
    return show, [row for row in batch.rows if ROW_FILTERS[show][1](row)]


def label_stages(rows: Any) -> None:
    """Each row's stage as the page shows it: our label, or the file's unknown status."""
    for row in rows:
        fields = row.get("fields", {})
        stage = fields.get("stage")
        row["stage_label"] = (
            Stage(stage).label if stage in Stage.values else fields.get("raw_stage", "—")
        )
