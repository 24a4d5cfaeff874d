"""Reading a job posting page: schema.org JobPosting (JSON-LD or microdata) first, then
OpenGraph and the page's <title>; the result prefills the opportunity form for review."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import extruct

from careertips.pipeline.models import CURRENCIES, WorkMode

MAX_DESCRIPTION_CHARS = 50_000
# Pay per period, made yearly (the opportunity form records yearly pay).
PER_YEAR = {"HOUR": 2080, "DAY": 260, "WEEK": 52, "MONTH": 12, "YEAR": 1}
_REMOTE = re.compile(r"telecommute|remote", re.IGNORECASE)


@dataclass
class CapturedPosting:
    """What a posting page says, in the opportunity form's terms (blank when not found)."""

    url: str = ""
    title: str = ""
    employer: str = ""
    location: str = ""
    work_mode: str = ""
    pay_min: int | None = None
    pay_max: int | None = None
    currency: str = ""
    pay_note: str = ""
    date_posted: str = ""  # ISO dates: this travels as JSON
    valid_through: str = ""
    description: str = ""
    structured: bool = False
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CapturedPosting:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)

    def form_initial(self) -> dict[str, Any]:
        """Initial values for OpportunityForm (only what was found)."""
        values: dict[str, Any] = {
            "title": self.title[:200],
            "organization_name": self.employer[:200],
            "posting_url": self.url[:1000],
            "location": self.location[:200],
            "work_mode": self.work_mode,
            "pay_min": self.pay_min,
            "pay_max": self.pay_max,
            "currency": self.currency,
            "description": self.description,
            "notes": "\n".join(self.notes),
        }
        return {name: value for name, value in values.items() if value not in ("", None)}


def extract_posting(page_html: str, *, url: str) -> CapturedPosting:
    """The posting on a page; never raises on odd markup (what cannot be read stays blank)."""
    try:
        data = extruct.extract(
            page_html,
            base_url=url,
            syntaxes=["json-ld", "microdata", "opengraph"],
            uniform=True,
            errors="ignore",
        )
    except Exception:  # extruct's parsers raise anything at all on broken pages
        data = {}
    postings = [
        node
        for syntax in ("json-ld", "microdata")
        for item in data.get(syntax) or []
        for node in job_postings(item)
    ]
    captured = from_job_posting(postings[0], url=url) if postings else CapturedPosting(url=url)
    _fill_from_page(captured, opengraph=data.get("opengraph") or [], page_html=page_html)
    return captured


def job_postings(item: Any) -> list[dict[str, Any]]:
    """Every JobPosting node in a JSON-LD value: a node, a list, or an @graph."""
    found: list[dict[str, Any]] = []
    if isinstance(item, list):
        for element in item:
            found.extend(job_postings(element))
    elif isinstance(item, dict):
        kinds = item.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(k, str) and k.rsplit("/", 1)[-1] == "JobPosting" for k in kinds):
            found.append(item)
        if "@graph" in item:
            found.extend(job_postings(item["@graph"]))
    return found


def parse_json_ld(texts: list[str]) -> list[dict[str, Any]]:
    """JobPosting nodes in raw JSON-LD texts (from the bookmarklet); bad JSON is skipped."""
    postings: list[dict[str, Any]] = []
    for text in texts:
        try:
            postings.extend(job_postings(json.loads(text)))
        except ValueError:
            continue
    return postings


def from_job_posting(node: dict[str, Any], *, url: str) -> CapturedPosting:
    captured = CapturedPosting(url=url, structured=True)
    captured.title = _text(node.get("title") or node.get("name"))
    captured.employer = _name(node.get("hiringOrganization"))
    captured.location = _locations(node.get("jobLocation"))
    if _REMOTE.search(_text(node.get("jobLocationType"))):
        captured.work_mode = WorkMode.REMOTE
        captured.location = captured.location or _remote_area(node)
    _set_pay(captured, node.get("baseSalary") or node.get("estimatedSalary"))
    captured.date_posted = _date(node.get("datePosted"))
    captured.valid_through = _date(node.get("validThrough"))
    if captured.date_posted:
        captured.notes.append(f"Posted on {captured.date_posted}.")
    if captured.valid_through:
        captured.notes.append(f"Open until {captured.valid_through}.")
    captured.description = description_text(_text(node.get("description"), join="\n"))
    return captured


def _fill_from_page(captured: CapturedPosting, *, opengraph: list[Any], page_html: str) -> None:
    og = opengraph[0] if opengraph and isinstance(opengraph[0], dict) else {}
    if not captured.title:
        captured.title = _text(og.get("og:title")) or _page_title(page_html)
    if not captured.employer:
        captured.employer = _text(og.get("og:site_name"))
    if not captured.description:
        captured.description = description_text(_text(og.get("og:description")))


def _page_title(page_html: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", page_html, re.IGNORECASE | re.DOTALL)
    return " ".join(html.unescape(match.group(1)).split())[:200] if match else ""


def description_text(raw: str) -> str:
    """The description as plain text lines (lists become "- " bullets)."""
    from careertips.stories.posting import looks_like_html, posting_to_text

    if not looks_like_html(raw) and "&lt;" in raw:
        raw = html.unescape(raw)  # some boards escape the HTML inside the JSON
    text = posting_to_text(raw) if looks_like_html(raw) else html.unescape(raw)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:MAX_DESCRIPTION_CHARS]


def _text(value: Any, *, join: str = ", ") -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return join.join(t for t in (_text(v) for v in value) if t)
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value"))
    return " ".join(str(value).split()) if join == ", " else str(value).strip()


def _name(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    return _text(value)


def _locations(value: Any) -> str:
    places = value if isinstance(value, list) else [value]
    names = [name for name in (_place(p) for p in places[:3]) if name]
    return "; ".join(dict.fromkeys(names))


def _place(place: Any) -> str:
    if not isinstance(place, dict):
        return _text(place)
    address = place.get("address")
    if isinstance(address, list):
        address = address[0] if address else None
    if not isinstance(address, dict):
        return _text(address) or _text(place.get("name"))
    parts = [address.get(k) for k in ("addressLocality", "addressRegion", "addressCountry")]
    return ", ".join(dict.fromkeys(t for t in (_text(p) for p in parts) if t))


def _remote_area(node: dict[str, Any]) -> str:
    area = _text(node.get("applicantLocationRequirements"))
    return f"Remote ({area})" if area else "Remote"


def _set_pay(captured: CapturedPosting, salary: Any) -> None:
    if isinstance(salary, list):
        salary = salary[0] if salary else None
    if not isinstance(salary, dict):
        amount = _number(salary)
        if amount is not None:
            captured.pay_min = captured.pay_max = int(amount)
        return
    value = salary.get("value")
    unit = _text(salary.get("unitText")).upper()
    if isinstance(value, dict):
        unit = _text(value.get("unitText")).upper() or unit
        low = _number(value.get("minValue"))
        high = _number(value.get("maxValue"))
        if low is None and high is None:
            low = high = _number(value.get("value"))
    else:
        low = high = _number(value)
    currency = _text(salary.get("currency")).upper()
    if low is None and high is None:
        return
    _record_pay(captured, low, high, currency, unit)


def _record_pay(
    captured: CapturedPosting,
    low: Decimal | None,
    high: Decimal | None,
    currency: str,
    unit: str,
) -> None:
    factor = PER_YEAR.get(unit, 1)
    shown = "–".join(f"{v:,.2f}".removesuffix(".00") for v in (low, high) if v is not None)
    if low == high:
        shown = f"{low:,.2f}".removesuffix(".00")
    per = f" per {unit.lower()}" if unit else ""
    captured.pay_note = f"Posted pay: {shown} {currency}{per}".replace("  ", " ").strip()
    captured.notes.append(captured.pay_note + (" (made yearly above)." if factor != 1 else "."))
    captured.pay_min = int(low * factor) if low is not None else None
    captured.pay_max = int(high * factor) if high is not None else None
    if currency in CURRENCIES:
        captured.currency = currency
    elif currency:
        captured.notes.append(f"Pay is in {currency}, which is not in the currency list.")


def _number(value: Any) -> Decimal | None:
    if isinstance(value, dict):
        value = value.get("value") or value.get("@value")
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() and 0 <= number < 10**9 else None


def _date(value: Any) -> str:
    text = _text(value)[:25]
    for candidate in (text, text[:10]):
        try:
            return dt.date.fromisoformat(candidate).isoformat()
        except ValueError:
            try:
                return dt.datetime.fromisoformat(candidate).date().isoformat()
            except ValueError:
                continue
    return ""


def posting_from_page(
    *, url: str, title: str, selection: str, jsonld: list[str]
) -> CapturedPosting:
    """What the bookmarklet sent: the page's JobPosting JSON-LD if any, else its title and
    the text the member selected."""
    postings = parse_json_ld(jsonld)
    captured = from_job_posting(postings[0], url=url) if postings else CapturedPosting(url=url)
    captured.title = captured.title or " ".join(title.split())[:200]
    if not captured.description and selection.strip():
        captured.description = description_text(selection)
    return captured


# The bookmarklet: a form built on the posting's page, posted to our landing in a new tab
# (a top-level form post, which the posting site's own scripts cannot read back).
_BOOKMARKLET = (
    "javascript:(function(){var d=document,f=d.createElement('form'),"
    "a=function(n,v){var i=d.createElement('input');i.type='hidden';i.name=n;i.value=v;"
    "f.appendChild(i)};f.method='post';f.action=%s;f.target='_blank';"
    "f.acceptCharset='utf-8';a('url',location.href);a('title',d.title);"
    "a('selection',String(window.getSelection()).slice(0,%d));var n=0;"
    "d.querySelectorAll('script[type=\"application/ld+json\"]').forEach(function(s){"
    "var t=s.textContent||'';if(n<%d&&t.indexOf('JobPosting')>=0){a('jsonld',t.slice(0,%d));"
    "n++}});d.body.appendChild(f);f.submit();f.remove()})()"
)


def bookmarklet_code(landing_url: str) -> str:
    return _BOOKMARKLET % (json.dumps(landing_url), MAX_DESCRIPTION_CHARS, 5, 200_000)
