"""Every page of the seeded demo, as a visitor, the demo member, the coach, the editor and the
administrator see it: a crawl that follows the links each of them is shown, starting from
their home pages. Shared by the HTML validity and the browser accessibility tests.

One page per URL pattern and person: a pattern's other instances render the same
template with other data, and visiting each once keeps the checks fast."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from careertips.coaching.models import Sharing
from careertips.core import demo, twofactor
from careertips.core.models import User
from careertips.core.testing import give_second_factor, make_session

START = {
    "visitor": ["/", "/accounts/login/", "/accounts/signup/", "/newsletter/", "/contact/"],
    "member": ["/", "/today/", "/settings/"],
    "coach": ["/", "/coaching/clients/"],
    "editor": ["/", "/staff/"],
    "administrator": ["/", "/mailbox/", "/practice/accounts/"],
}
# Links that change state on GET, end the session, or leave the rendered pages behind.
SKIP_PREFIXES = ("/accounts/logout", "/admin/", "/static/", "/media/", "/api/")
SKIP_VIEW_NAMES = {"account_logout"}
LIMIT = 400


@dataclass(frozen=True)
class Page:
    who: str
    path: str
    html: str


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _local(href: str) -> str | None:
    href, _ = urldefrag(href)
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def demo_people() -> dict[str, User | None]:
    """Seeds the demo (once) and returns who crawls; the coach is shared with the member."""
    demo.seed_demo()
    member = User.objects.get(email=demo.MEMBER_EMAIL)
    coach = User.objects.get(email=demo.COACH_EMAIL)
    Sharing.objects.get_or_create(member=member, coach=coach)
    people: dict[str, User | None] = {
        "visitor": None,
        "member": member,
        "coach": coach,
        "editor": User.objects.get(email=demo.EDITOR_EMAIL),
        "administrator": User.objects.get(email=demo.ADMINISTRATOR_EMAIL),
    }
    for user in people.values():
        if user is not None and user.is_staff and not twofactor.has_second_factor(user):
            give_second_factor(user)  # practice accounts sign in with a second factor
    return people


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = make_session(user)
    return client


def crawl(who: str, user: User | None) -> Iterator[Page]:
    """The HTML pages `who` reaches by following links, one per URL pattern."""
    client = client_for(user)
    queue = list(START[who])
    seen_patterns: set[str] = set()
    seen_paths: set[str] = set()
    while queue and len(seen_patterns) < LIMIT:
        path = queue.pop(0)
        if path in seen_paths:
            continue
        seen_paths.add(path)
        try:
            match = resolve(urlsplit(path).path)
        except Resolver404:
            continue
        if match.view_name in SKIP_VIEW_NAMES:
            continue
        pattern = f"{match.view_name}:{match.route}"
        if pattern in seen_patterns:
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        seen_patterns.add(pattern)
        html = response.content.decode()
        yield Page(who, path, html)
        parser = _Links()
        parser.feed(html)
        for href in parser.hrefs:
            local = _local(href)
            if local and local not in seen_paths:
                queue.append(local)


def every_demo_page() -> list[Page]:
    return [page for who, user in demo_people().items() for page in crawl(who, user)]
