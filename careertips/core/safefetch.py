"""Calling addresses a member typed, safely: a posting page to read, a webhook to notify.

Only http and https; every address the host name resolves to must be public (not loopback,
private, link-local, multicast, reserved or unspecified), checked again on every redirect;
the connection goes to the address that was checked, so a second DNS answer cannot swap in
an internal one. A page fetch has a total time limit, a size cap and reads only HTML.
Each refusal is a `FetchRefused` subclass whose message can be shown to the member as is.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

from django.conf import settings

MAX_REDIRECTS = 5
HTML_TYPES = {"text/html", "application/xhtml+xml"}
USER_AGENT = "CareerTips-PostingReader/1 (+reads one page a member asked for)"
REDIRECTS = {301, 302, 303, 307, 308}


class FetchRefused(Exception):
    """A fetch that was refused or failed; `message` is written for the member."""

    message = "This page could not be read."

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)


class InvalidAddress(FetchRefused):
    message = "Enter a valid web address."


class UnsupportedScheme(FetchRefused):
    message = "Use an http:// or https:// address."


class CredentialsInAddress(FetchRefused):
    message = "Leave the user name and password out of the address."


class UnresolvableHost(FetchRefused):
    message = "This host name does not resolve."


class ForbiddenAddress(FetchRefused):
    message = "This address is on a private or local network, which cannot be read from here."


class TooManyRedirects(FetchRefused):
    message = f"The page redirected more than {MAX_REDIRECTS} times; paste its final address."


class TooLarge(FetchRefused):
    message = "The page is too large to read (over 2 MB)."


class FetchTimeout(FetchRefused):
    message = "The site took too long to answer; try again later."


class NotHtml(FetchRefused):
    message = "This address is not a web page (HTML); paste the posting page's address."


class BadStatus(FetchRefused):
    message = "The site refused the request."


class ConnectionFailed(FetchRefused):
    message = "The site could not be reached; check the address or try again later."


@dataclass(frozen=True)
class Target:
    """A URL that passed the checks, and the address to connect to."""

    url: str
    scheme: str
    host: str
    address: str
    port: int

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects
    content_type: str
    charset: str | None
    body: bytes

    @property
    def text(self) -> str:
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know
            return self.body.decode("utf-8", errors="replace")


def is_public_address(address: str, *, allow_loopback: bool = False) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if allow_loopback and ip.is_loopback:
        return True
    return ip.is_global and not ip.is_multicast


def check_url(
    url: str, *, allow_private: bool = False, allow_loopback: bool | None = None
) -> Target:
    """The checked target of `url`, or a FetchRefused saying why it may not be called.

    `allow_loopback` defaults to the SAFE_FETCH_ALLOW_LOOPBACK setting; `allow_private`
    lets every address through (an operator's own network, for webhooks)."""
    if allow_loopback is None:
        allow_loopback = settings.SAFE_FETCH_ALLOW_LOOPBACK
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise InvalidAddress from None
    if scheme not in ("http", "https"):
        raise UnsupportedScheme
    if not parts.hostname:
        raise InvalidAddress
    if parts.username or parts.password:
        raise CredentialsInAddress
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnresolvableHost from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise UnresolvableHost
    if not allow_private and not all(
        is_public_address(a, allow_loopback=allow_loopback) for a in addresses
    ):
        raise ForbiddenAddress
    return Target(url.strip(), scheme, parts.hostname, addresses[0], port)


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Sends the host name (Host header) but connects to the address that was checked."""

    pinned = ""
    # Kept past getresponse(), which drops `sock` when the server closes after the answer.
    held: socket.socket | None = None

    def connect(self) -> None:
        self.sock = self.held = socket.create_connection((self.pinned, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Verifies the certificate for the host name but connects to the checked address."""

    pinned = ""
    held: socket.socket | None = None

    def connect(self) -> None:
        sock = socket.create_connection((self.pinned, self.port), self.timeout)
        context = self._context  # type: ignore[attr-defined]
        self.sock = self.held = context.wrap_socket(sock, server_hostname=self.host)


def connect_to(target: Target, *, timeout: float) -> http.client.HTTPConnection:
    conn: http.client.HTTPConnection
    if target.scheme == "https":
        context = ssl.create_default_context()
        conn = PinnedHTTPSConnection(target.host, target.port, timeout=timeout, context=context)
    else:
        conn = PinnedHTTPConnection(target.host, target.port, timeout=timeout)
    conn.pinned = target.address  # type: ignore[attr-defined]
    return conn


def fetch_html(
    url: str, *, timeout: float | None = None, max_bytes: int | None = None
) -> FetchedPage:
    """GETs an HTML page, following at most MAX_REDIRECTS redirects, each one checked."""
    timeout = settings.SAFE_FETCH_TIMEOUT if timeout is None else timeout
    max_bytes = settings.SAFE_FETCH_MAX_BYTES if max_bytes is None else max_bytes
    deadline = time.monotonic() + timeout
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            target = check_url(url)
            page, location = _get(target, deadline=deadline, max_bytes=max_bytes)
            if page is not None:
                return page
            url = urljoin(target.url, location)
    except TimeoutError:
        raise FetchTimeout from None
    except ssl.SSLError:
        raise ConnectionFailed(
            "The site's secure connection (HTTPS) could not be verified."
        ) from None
    except (OSError, http.client.HTTPException):
        raise ConnectionFailed from None
    raise TooManyRedirects


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchTimeout
    return left


def _get(target: Target, *, deadline: float, max_bytes: int) -> tuple[FetchedPage | None, str]:
    """The page, or (None, the redirect's Location)."""
    conn = connect_to(target, timeout=_remaining(deadline))
    try:
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9",
            # Identity only: the size cap counts the bytes the page really has.
            "Accept-Encoding": "identity",
        }
        conn.request("GET", target.path, headers=headers)
        response = conn.getresponse()
        if response.status in REDIRECTS:
            location = response.getheader("Location", "")
            if not location:
                raise BadStatus("The site redirected without saying where to.")
            return None, location
        if response.status >= 400:
            raise BadStatus(f"The site answered {response.status} {response.reason}.".strip())
        content_type, charset = _content_type(response.getheader("Content-Type", ""))
        if content_type not in HTML_TYPES:
            raise NotHtml
        length = response.getheader("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise TooLarge(_too_large(max_bytes))
        body = _read_capped(conn, response, deadline=deadline, max_bytes=max_bytes)
        return FetchedPage(target.url, content_type, charset, body), ""
    finally:
        conn.close()
        if (held := getattr(conn, "held", None)) is not None:
            held.close()


def _read_capped(
    conn: http.client.HTTPConnection,
    response: http.client.HTTPResponse,
    *,
    deadline: float,
    max_bytes: int,
) -> bytes:
    """Reads in chunks and stops at the cap or the deadline, whichever comes first."""
    chunks: list[bytes] = []
    size = 0
    # The response closes its socket once the body is complete.
    while not response.isclosed():
        held = getattr(conn, "held", None)
        if held is not None:
            held.settimeout(_remaining(deadline))
        chunk = response.read1(64 * 1024)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(_too_large(max_bytes))
        chunks.append(chunk)
        _remaining(deadline)
    return b"".join(chunks)


def _content_type(header: str) -> tuple[str, str | None]:
    message = Message()
    message["Content-Type"] = header or "application/octet-stream"
    charset = message.get_content_charset()
    return message.get_content_type(), charset


def _too_large(max_bytes: int) -> str:
    size = f"{max_bytes / 1024 / 1024:g} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes:,} bytes"
    return f"The page is too large to read (over {size})."
