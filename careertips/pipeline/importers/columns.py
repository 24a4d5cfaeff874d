"""What a tracker's columns and values mean: header presets, statuses, sources, pay and dates."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

from careertips.pipeline.models import CURRENCIES, Source, Stage, WorkMode

# What a column can hold, in the order the mapping form offers them.
FIELDS: dict[str, str] = {
    "organization": "Employer",
    "title": "Role title",
    "stage": "Stage (status)",
    "applied_on": "Date applied",
    "found_on": "Date found or added",
    "stage_date": "Date of the current stage",
    "posting_url": "Posting URL",
    "pay": "Pay (amount or range)",
    "pay_min": "Pay from",
    "pay_max": "Pay to",
    "currency": "Currency",
    "location": "Location",
    "work_mode": "Work mode (remote, hybrid, on-site)",
    "source": "Source",
    "notes": "Notes",
    "description": "Job description",
    "hiring_manager": "Hiring manager (a name)",
    "contacts": "Contacts (names)",
}
REQUIRED_FIELDS = ("organization", "title")
# Several columns may feed the notes (e.g. "Notes" and "Comments"); every other field takes one.
MULTI_COLUMN_FIELDS = {"notes"}


def header_key(header: str) -> str:
    """ "Min. Salary", "min salary " and "MIN_SALARY" are the same header."""
    text = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


# The usual headers of trackers' exports and home-made spreadsheets, by field.
HEADER_WORDS: dict[str, list[str]] = {
    "organization": [
        "company", "company name", "employer", "employer name", "organization", "organisation",
        "organization name", "org", "business", "hiring company",
    ],
    "title": [
        "job title", "title", "position", "role", "role title", "job position", "job",
        "job role", "position title", "job name", "opening",
    ],
    "stage": [
        "status", "stage", "list", "application status", "state", "current status",
        "pipeline stage", "progress",
    ],
    "applied_on": [
        "date applied", "applied on", "applied", "applied date", "application date",
        "date of application", "applied at", "date submitted", "submitted on",
    ],
    "found_on": [
        "date added", "date saved", "date created", "created at", "created", "added", "added on",
        "saved on", "date found", "found on", "date bookmarked",
    ],
    "stage_date": [
        "last updated", "updated", "updated at", "date updated", "status date", "stage date",
        "last status change", "date of status", "last activity", "moved on",
        "date of the current stage", "stage changed",
    ],
    "posting_url": [
        "url", "link", "job link", "job url", "posting url", "posting", "job posting",
        "posting link",
        "listing url", "listing", "application link", "job posting url", "website",
    ],
    "pay": [
        "salary", "pay", "compensation", "salary range", "pay range", "comp", "base salary",
        "expected salary", "salary expectation", "compensation range", "pay rate",
    ],
    "pay_min": [
        "min salary", "salary min", "minimum salary", "salary from", "pay from", "pay min",
        "min pay", "salary low", "min compensation",
    ],
    "pay_max": [
        "max salary", "salary max", "maximum salary", "salary to", "pay to", "pay max",
        "max pay", "salary high", "max compensation",
    ],
    "currency": ["currency", "salary currency", "pay currency"],
    "location": ["location", "city", "job location", "where", "office", "place"],
    "work_mode": ["work mode", "remote", "remote onsite", "workplace", "workplace type", "on site"],
    "source": ["source", "how found", "found via", "found through", "where found", "channel",
               "job board", "lead source"],
    "notes": ["notes", "note", "comments", "comment", "remarks", "next steps"],
    "description": ["description", "job description", "details"],
    "hiring_manager": ["hiring manager", "manager", "hiring manager name"],
    "contacts": [
        "contacts", "contact", "contact name", "contact person", "contact names", "people",
        "recruiter", "referrer", "referred by", "point of contact",
    ],
}  # fmt: skip
HEADER_FIELDS = {word: key for key, words in HEADER_WORDS.items() for word in words}


@dataclass(frozen=True)
class Preset:
    """A known export, recognised by headers only it has; its columns read as named."""

    name: str
    signature: frozenset[str]


PRESETS = [
    Preset("Huntr export", frozenset({"company", "job title", "list"})),
    Preset("Teal export", frozenset({"company", "job position", "status", "excitement"})),
    Preset("Career Tips export", frozenset({"employer", "role title", "stage", "pay from"})),
]


def guess_mapping(headers: list[str]) -> tuple[str, list[str]]:
    """The preset the headers match (or "") and each column's field ("" for none)."""
    keys = [header_key(h) for h in headers]
    preset = next((p.name for p in PRESETS if p.signature <= set(keys)), "")
    mapping: list[str] = []
    taken: set[str] = set()
    for key in keys:
        field = HEADER_FIELDS.get(key, "")
        if field in taken and field not in MULTI_COLUMN_FIELDS:
            field = ""  # the first column of that name wins; the member may pick another
        taken.add(field)
        mapping.append(field)
    return preset, mapping


def find_header(rows: list[list[str]], *, search: int) -> int:
    """The index of the header row: the first of the first rows naming an employer and a role."""
    for index, cells in enumerate(rows[:search]):
        fields = {HEADER_FIELDS.get(header_key(c)) for c in cells}
        if {"organization", "title"} <= fields:
            return index
    # No row names both: the first row with several filled cells is taken as the header.
    for index, cells in enumerate(rows[:search]):
        if sum(bool(c) for c in cells) >= 2:
            return index
    return 0


# --- stages -------------------------------------------------------------------------------------

STAGE_WORDS: dict[str, list[str]] = {
    Stage.INTERESTED: [
        "wishlist", "wish list", "bookmarked", "saved", "interested", "to apply", "applying",
        "prospect", "researching", "want to apply", "not applied", "not yet applied", "idea",
        "lead", "planning to apply", "draft",
    ],
    Stage.APPLIED: [
        "applied", "application sent", "submitted", "application submitted", "sent",
        "waiting", "awaiting response", "in review", "under review",
    ],
    Stage.SCREENING: [
        "screening", "phone screen", "screen", "recruiter screen", "recruiter call", "hr screen",
        "phone interview", "assessment", "take home", "online assessment",
    ],
    Stage.INTERVIEWING: [
        "interview", "interviewing", "interviews", "onsite", "on site", "final round",
        "second round", "first round", "technical interview", "final interview",
    ],
    Stage.OFFER: ["offer", "offer received", "offered", "negotiating", "negotiation"],
    Stage.ACCEPTED: ["accepted", "offer accepted", "hired", "signed", "accepted offer"],
    Stage.TURNED_DOWN: [
        "rejected", "not selected", "turned down", "no offer", "unsuccessful", "rejection",
        "declined by employer", "not moving forward",
    ],
    Stage.WITHDRAWN: ["withdrawn", "withdrew", "i withdrew", "withdrew application"],
    Stage.OFFER_DECLINED: ["offer declined", "declined offer", "i declined", "declined the offer"],
    Stage.NO_RESPONSE: ["no response", "ghosted", "no reply", "no answer", "unanswered"],
}  # fmt: skip
STAGE_FIELDS = {word: stage for stage, words in STAGE_WORDS.items() for word in words}
STAGE_FIELDS |= {header_key(str(label)): value for value, label in Stage.choices}
STAGE_FIELDS |= {header_key(value): value for value in Stage.values}


def stage_key(value: str) -> str:
    return header_key(value)


def known_stage(value: str) -> str | None:
    """Our stage for a tracker's status, or None when the member must say what it means."""
    return STAGE_FIELDS.get(stage_key(value))


# --- sources and work modes ---------------------------------------------------------------------

SOURCE_WORDS: dict[str, list[str]] = {
    Source.REFERRAL: ["referral", "referred", "employee referral", "friend referral"],
    Source.JOB_BOARD: [
        "job board", "linkedin", "linkedin jobs", "indeed", "glassdoor", "monster",
        "ziprecruiter", "wellfound", "angellist", "otta", "dice", "welcome to the jungle",
        "stepstone", "seek", "reed", "handshake", "builtin", "built in", "job site",
    ],
    Source.RECRUITER: [
        "recruiter", "agency", "headhunter", "recruitment agency", "inbound recruiter",
    ],
    Source.NETWORK: ["network", "networking", "friend", "event", "meetup", "conference", "alumni"],
    Source.DIRECT: [
        "direct", "company site", "company website", "careers page", "career page", "website",
        "company careers", "cold application", "direct company site",
    ],
}  # fmt: skip
SOURCE_FIELDS = {word: source for source, words in SOURCE_WORDS.items() for word in words}
SOURCE_FIELDS |= {header_key(str(label)): value for value, label in Source.choices}
SOURCE_FIELDS |= {header_key(value): value for value in Source.values}

WORK_MODE_FIELDS = {
    "remote": WorkMode.REMOTE, "fully remote": WorkMode.REMOTE, "wfh": WorkMode.REMOTE,
    "hybrid": WorkMode.HYBRID, "on site": WorkMode.ONSITE, "onsite": WorkMode.ONSITE,
    "office": WorkMode.ONSITE, "in office": WorkMode.ONSITE, "in person": WorkMode.ONSITE,
}  # fmt: skip


# --- pay ----------------------------------------------------------------------------------------


class PayError(ValueError):
    """A pay cell that cannot be read as a yearly amount or range; the message says why."""


# Longest first: "CA$" before "$".
CURRENCY_SYMBOLS = [
    ("US$", "USD"), ("CA$", "CAD"), ("C$", "CAD"), ("AU$", "AUD"), ("A$", "AUD"),
    ("NZ$", "NZD"), ("HK$", "HKD"), ("S$", "SGD"), ("R$", "BRL"), ("€", "EUR"), ("£", "GBP"),
    ("¥", "JPY"), ("₹", "INR"), ("₩", "KRW"), ("₺", "TRY"), ("₪", "ILS"), ("zł", "PLN"),
    ("$", "USD"),
]  # fmt: skip
PER_PERIOD = re.compile(
    r"(/|\bper\s*|\ban?\s+)(hr|hour|h|day|d|week|wk|month|mo)\b|\bhourly\b|\bdaily\b|\bmonthly\b",
    re.IGNORECASE,
)
AMOUNT = re.compile(r"(\d+(?:[.,\s]\d{3})*(?:[.,]\d+)?)\s*([kKmM])?(?![A-Za-z])")
# The largest amount a PositiveIntegerField keeps.
MAX_PAY = 2_147_483_647


def currency_in(text: str) -> str | None:
    for word in re.findall(r"\b[A-Za-z]{3}\b", text):
        if word.upper() in CURRENCIES:
            return word.upper()
    for symbol, code in CURRENCY_SYMBOLS:
        if symbol in text:
            return code
    return None


def _number(text: str) -> float:
    text = text.strip()
    if re.fullmatch(r"\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*", text):
        return float(re.sub(r"[.,\s]", "", text))
    return float(text.replace(" ", "").replace(",", "."))


def parse_pay(text: str) -> tuple[int | None, int | None, str | None]:
    """ "$90k–110k" -> (90000, 110000, "USD"); "90,000 - 110,000 EUR" -> (…, "EUR")."""
    if not text.strip():
        return None, None, None
    if PER_PERIOD.search(text):
        raise PayError("looks like pay per hour, day or month; only yearly pay is imported")
    found = AMOUNT.findall(text)
    if not found:
        raise PayError("has no amount")
    if len(found) > 2:
        raise PayError("has more than two amounts")
    suffixes = [s.lower() for _, s in found]
    values = [_number(n) for n, _ in found]
    if len(values) == 2 and not suffixes[0] and suffixes[1] and values[0] < 1000:
        suffixes[0] = suffixes[1]  # "90–110k": the k is meant for both
    scale = {"k": 1_000, "m": 1_000_000, "": 1}
    amounts = [round(v * scale[s]) for v, s in zip(values, suffixes, strict=True)]
    low, high = amounts[0], amounts[-1]
    if low > high:
        raise PayError("goes from a higher to a lower amount")
    if high > MAX_PAY:
        raise PayError("is too large")
    return low, high, currency_in(text)


def parse_amount(text: str) -> int:
    low, high, _ = parse_pay(text)
    if low is None or low != high:
        raise PayError("is not one amount")
    return low


# --- dates --------------------------------------------------------------------------------------

DATE_FORMATS = [
    "%m/%d/%Y", "%m/%d/%y", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d.%m.%y", "%Y/%m/%d",
    "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y", "%d-%b-%Y",
    "%d-%b-%y", "%a, %d %b %Y", "%A, %B %d, %Y",
]  # fmt: skip


@functools.lru_cache(maxsize=4096)  # trackers repeat the same few hundred dates
def parse_date(value: str) -> dt.date | None:
    """A date from ISO (with or without a time), US, European and written-out forms."""
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 -- a date
        except ValueError:
            continue
    return None
