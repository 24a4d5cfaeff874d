"""The issue email, under the sending engine: rendered once per issue, personalised per recipient.

The subject / text / HTML templates are rendered once with stand-in markers where the
per-recipient parts go (greeting name, unsubscribe link). Each recipient's message is then
assembled from those pieces: as a Django `EmailMultiAlternatives` for any mail backend, or
as ready-to-send MIME bytes for the SMTP fast path, where the static pieces were encoded
once and only the short personal parts are encoded per message.
"""

from __future__ import annotations

import binascii
import email.policy
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from email.utils import format_datetime, formataddr, parseaddr
from html import escape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.encoding import punycode

from careertips.core.markdown import render_markdown
from careertips.core.text import first_name
from careertips.newsletter import tokens
from careertips.newsletter.models import Article, Issue, Subscriber

TEMPLATE = "newsletter/email/issue"
SLOTS = ("first_name", "unsubscribe_url")
MAX_NAME_LENGTH = 120
# Characters that end or fold a header line, or hide text: never allowed in a display name.
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


class InvalidRecipient(ValueError):
    """The address cannot be mailed at all (malformed, or an attempt at header injection)."""


# The everyday address, checked cheaply; anything else goes through Django's validator.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN_ADDRESS = re.compile(rf"{_ATOM}(\.{_ATOM})*@{_LABEL}(\.{_LABEL})+")


def clean_address(address: str) -> str:
    """The address if it is one plain, valid mailbox; raises InvalidRecipient otherwise."""
    address = (address or "").strip()
    if len(address) <= 254 and _PLAIN_ADDRESS.fullmatch(address):
        return address
    if _UNSAFE_NAME.search(address) or any(c in address for c in '<>,;"()[]\\ '):
        raise InvalidRecipient(f"Not a single plain address: {address[:80]!r}")
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidRecipient(f"Not a valid address: {address[:80]!r}") from None
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        raise InvalidRecipient(f"Not a deliverable address: {address[:80]!r}")
    return f"{local}@{punycode(domain)}"


def clean_display_name(name: str) -> str:
    """A display name that cannot break out of its header: control characters and line
    breaks become spaces, runs of spaces collapse, and the result is capped."""
    name = unicodedata.normalize("NFC", _UNSAFE_NAME.sub(" ", name or ""))
    return " ".join(name.split())[:MAX_NAME_LENGTH]


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    message_id: str
    unsubscribe_url: str
    headers: dict[str, str]
    # The envelope sender for a plain SMTP relay (VERP); empty sends from the From address.
    return_path: str = ""

    @property
    def first_name(self) -> str:
        return first_name(self.name) or "there"

    @property
    def to(self) -> str:
        return formataddr((self.name, self.email), charset="utf-8")


class UnsubscribeLinks:
    """The links of `tokens.unsubscribe_url` and `tokens.list_unsubscribe_headers`, made
    for many subscribers at once: the URL patterns are reversed once, and each subscriber
    costs one signed token instead of two tokens and two reversals."""

    MARKER = "0token0"

    def __init__(self) -> None:
        def around(name: str) -> tuple[str, str]:
            url = tokens.absolute(reverse(f"newsletter:{name}", args=[self.MARKER]))
            before, _, after = url.partition(self.MARKER)
            return before, after

        self.page = around("unsubscribe")
        self.one_click = around("one-click-unsubscribe")
        self.mailto = settings.NEWSLETTER_UNSUBSCRIBE_MAILTO
        self.list_id = settings.NEWSLETTER_LIST_ID

    def for_subscriber(self, subscriber: Subscriber) -> tuple[str, dict[str, str]]:
        token = tokens.make_token(purpose="unsubscribe", subscriber=subscriber)
        one_click = self.one_click[0] + token + self.one_click[1]
        headers = {
            "List-Unsubscribe": f"<{one_click}>, "
            f"<mailto:{self.mailto}?subject=unsubscribe%20{token}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": self.list_id,
        }
        return self.page[0] + token + self.page[1], headers


def recipient_for(
    subscriber: Subscriber, *, message_id: str, links: UnsubscribeLinks | None = None
) -> Recipient:
    """Raises InvalidRecipient for an address that must not be mailed."""
    unsubscribe_url, headers = (links or UnsubscribeLinks()).for_subscriber(subscriber)
    return Recipient(
        email=clean_address(subscriber.email),
        name=clean_display_name(subscriber.name),
        message_id=message_id,
        unsubscribe_url=unsubscribe_url,
        headers=headers,
        return_path=tokens.verp_address(subscriber),
    )


def new_message_id(issue_id: int, *, domain: str = "") -> str:
    """A Message-ID for one delivery; stored with it so a retry reuses it."""
    return f"<ct.{issue_id}.{secrets.token_hex(10)}@{domain or message_id_domain()}>"


def message_id_domain() -> str:
    address = parseaddr(newsletter_from_email())[1]
    return address.rpartition("@")[2] or "careertips.local"


def newsletter_from_email() -> str:
    return getattr(settings, "NEWSLETTER_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL


# Rendering ----------------------------------------------------------------------------------


@dataclass
class Piece:
    """A run of template output: fixed text, or the name of a per-recipient slot."""

    text: str = ""
    slot: str = ""


def _split(rendered: str, markers: dict[str, str]) -> list[Piece]:
    by_marker = {marker: slot for slot, marker in markers.items()}
    pattern = re.compile("|".join(re.escape(m) for m in by_marker))
    pieces: list[Piece] = []
    last = 0
    for match in pattern.finditer(rendered):
        pieces.append(Piece(text=rendered[last : match.start()]))
        pieces.append(Piece(slot=by_marker[match.group()]))
        last = match.end()
    pieces.append(Piece(text=rendered[last:]))
    return [piece for piece in pieces if piece.slot or piece.text]


def _web_url(issue: Issue) -> str:
    try:
        return tokens.absolute(issue.get_absolute_url())
    except NoReverseMatch:
        return ""


def issue_context(issue: Issue) -> dict:
    articles = list(issue.articles.all())
    for article in articles:
        article.body_html = render_markdown(article.body)  # type: ignore[attr-defined]
    return {
        "issue": issue,
        "introduction_html": render_markdown(issue.introduction),
        "letters": [a for a in articles if a.kind == Article.Kind.LETTER],
        "features": [a for a in articles if a.kind == Article.Kind.FEATURE],
        "tips": [a for a in articles if a.kind == Article.Kind.TIP],
        "web_url": _web_url(issue),
        "archive_url": tokens.absolute("/newsletter/"),
        "SITE_URL": settings.SITE_URL,
    }


def render_issue_email(issue: Issue, *, subject_prefix: str = "") -> IssueEmail:
    """Renders the issue's templates once; personalise with `message_for` / `bytes_for`."""
    markers = {slot: f"ctslot{secrets.token_hex(8)}{slot.replace('_', '')}" for slot in SLOTS}
    context = issue_context(issue) | markers
    subject = " ".join(render_to_string(f"{TEMPLATE}_subject.txt", context).split())
    return IssueEmail(
        subject=subject_prefix + subject,
        from_email=newsletter_from_email(),
        text=_split(render_to_string(f"{TEMPLATE}.txt", context), markers),
        html=_split(render_to_string(f"{TEMPLATE}.html", context), markers),
    )


# Assembly -----------------------------------------------------------------------------------


def _slot_values(recipient: Recipient) -> dict[str, str]:
    return {"first_name": recipient.first_name, "unsubscribe_url": recipient.unsubscribe_url}


def _join(pieces: list[Piece], values: dict[str, str], *, html: bool) -> str:
    out = []
    for piece in pieces:
        if piece.slot:
            out.append(escape(values[piece.slot]) if html else values[piece.slot])
        else:
            out.append(piece.text)
    return "".join(out)


def _qp(text: str) -> bytes:
    """Quoted-printable with CRLF line ends (binascii's encoder is C, hence fast)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return binascii.b2a_qp(text.encode("utf-8"), istext=True).replace(b"\n", b"\r\n")


def _qp_piece(text: str) -> bytes:
    encoded = _qp(text)
    # A soft line break after a run that ends mid-line keeps every line short; it decodes
    # to nothing, so the runs join back into the exact text.
    return encoded if encoded.endswith(b"\r\n") else encoded + b"=\r\n"


def _fold(name: str, value: str) -> bytes:
    return email.policy.SMTP.fold_binary(name, value)


def _plain_header(name: str, value: str) -> bytes:
    """An ASCII header we built ourselves (URLs, tokens): folded after its commas, cheaply."""
    if not value.isascii() or _UNSAFE_NAME.search(value):
        return _fold(name, value)
    return f"{name}: {value.replace(', ', ',\r\n ')}\r\n".encode("ascii")


@dataclass
class IssueEmail:
    subject: str
    from_email: str
    text: list[Piece]
    html: list[Piece]
    links: UnsubscribeLinks = field(default_factory=UnsubscribeLinks)
    _encoded: dict[str, list[bytes | str]] = field(default_factory=dict, repr=False)
    _head: bytes = b""
    _boundary: str = ""

    def text_for(self, recipient: Recipient) -> str:
        return _join(self.text, _slot_values(recipient), html=False)

    def html_for(self, recipient: Recipient) -> str:
        return _join(self.html, _slot_values(recipient), html=True)

    def message_for(self, recipient: Recipient) -> EmailMultiAlternatives:
        """The message for any mail backend (captured, console, an email service...)."""
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text_for(recipient),
            from_email=self.from_email,
            to=[recipient.to],
            headers={"Message-ID": recipient.message_id, **recipient.headers},
        )
        message.attach_alternative(self.html_for(recipient), "text/html")
        return message

    def bytes_for(self, recipient: Recipient) -> bytes:
        """The same message as MIME bytes with CRLF line ends, ready for SMTP DATA."""
        if not self._head:
            self._prepare()
        values = _slot_values(recipient)
        parts = [
            self._head,
            b"To: " + recipient.to.encode("ascii") + b"\r\n",
            b"Date: " + format_datetime(timezone.now()).encode("ascii") + b"\r\n",
            b"Message-ID: " + recipient.message_id.encode("ascii") + b"\r\n",
        ]
        for name, value in recipient.headers.items():
            if name != "List-Id":
                parts.append(_plain_header(name, value))
        parts.append(b"\r\n")
        for kind in ("plain", "html"):
            parts.append(self._part_head(kind))
            for piece in self._encoded[kind]:
                if isinstance(piece, bytes):
                    parts.append(piece)
                else:
                    value = escape(values[piece]) if kind == "html" else values[piece]
                    parts.append(_qp_piece(value))
            parts.append(b"\r\n")
        parts.append(f"--{self._boundary}--\r\n".encode("ascii"))
        return b"".join(parts)

    def _part_head(self, kind: str) -> bytes:
        return (
            f'--{self._boundary}\r\nContent-Type: text/{kind}; charset="utf-8"\r\n'
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        ).encode("ascii")

    def _prepare(self) -> None:
        """Encodes everything that is the same for every recipient, once."""
        self._boundary = f"===============ct{secrets.token_hex(12)}=="
        for kind, pieces in (("plain", self.text), ("html", self.html)):
            self._encoded[kind] = [p.slot if p.slot else _qp_piece(p.text) for p in pieces]
        self._head = b"".join(
            [
                _fold("From", self.from_email),
                _fold("Subject", self.subject),
                _fold("List-Id", settings.NEWSLETTER_LIST_ID),
                b"MIME-Version: 1.0\r\n",
                f'Content-Type: multipart/alternative; boundary="{self._boundary}"\r\n'.encode(),
            ]
        )


def staff_test_recipient(*, email_address: str, name: str, issue_id: int) -> Recipient:
    """A staff member's test copy: their own address, and links that show how they look
    without unsubscribing anybody."""
    stand_in = Subscriber(pk=0, email=email_address, name=name)
    return Recipient(
        email=clean_address(email_address),
        name=clean_display_name(name),
        message_id=new_message_id(issue_id),
        unsubscribe_url=tokens.unsubscribe_url(stand_in),
        headers=tokens.list_unsubscribe_headers(stand_in),
    )
