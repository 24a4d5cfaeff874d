"""Test helpers shared by every app: users, signing in, the access matrix, counting queries.

Factories of an app's own rows live in that app's `tests/helpers.py`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from careertips.core.models import User

PASSWORD = "correct horse battery staple"
# The authenticator-app secret of every practice test account (see `totp_code`).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def make_user(email: str, *, roles: Iterable[str] = (), **kw: Any) -> User:
    """An account with a confirmed address and these roles (core.roles)."""
    from allauth.account.models import EmailAddress

    from careertips.core.services import set_roles

    user = User.objects.create_user(email=email, password=PASSWORD, **kw)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if roles:
        set_roles(user=user, roles=roles, by=None)
    if user.is_staff:  # practice accounts must have a second factor
        give_second_factor(user)
    return user


def give_second_factor(user: User) -> None:
    """An authenticator app with TOTP_SECRET, as practice accounts must have one."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TOTP_SECRET)


def totp_code(secret: str = TOTP_SECRET, *, offset: int = 0) -> str:
    """The code an authenticator app shows now (or `offset` periods away) for `secret`."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD + offset
    return format_hotp_value(hotp_value(secret, counter))


def make_session(user: User) -> str:
    """A signed-in session for `user`, stored like a real login; returns its key."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if user.is_staff:
        from careertips.core import twofactor

        session[twofactor.HAS_SECOND_FACTOR] = twofactor.has_second_factor(user)
        session[twofactor.STAFF_SINCE] = time.time()
        session.set_expiry(0)
    session.save()
    return str(session.session_key)


def login(page: Any, live_server: Any, user: User) -> None:
    """Signs `user` in for a Playwright page by planting the session cookie: no login form."""
    from django.conf import settings

    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": make_session(user),
                "url": live_server.url,
            }
        ]
    )


@dataclass
class AccessCase:
    """One URL that takes an id: the owner gets `owner_status`, another member 404,
    an anonymous visitor a redirect to the login page."""

    path: str
    setup: Callable[[User], dict[str, Any]]
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)
    owner_status: int = 200
    # A practice page: "owner" is a holder of this role (core.roles); members and the
    # holders of every other role get 404.
    role: str | None = None
    # Public URLs (archive pages, emailed links): everyone, signed in or not, gets owner_status.
    public: bool = False

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def staff_only(self) -> bool:
        return self.role is not None


def check_access(
    case: AccessCase, *, owner: User, other: User, refused: Iterable[User] = ()
) -> None:
    """`other` (a member) and everyone in `refused` (holders of other roles) get 404."""
    kwargs = case.setup(owner)
    path = case.path.format(**kwargs)
    data = {k: (v.format(**kwargs) if isinstance(v, str) else v) for k, v in case.data.items()}

    def call(client: Client):
        return getattr(client, case.method)(path, data)

    if case.public:
        for who, client in (("anonymous", Client()), ("member", Client())):
            if who == "member":
                client.force_login(other)
            response = call(client)
            assert response.status_code == case.owner_status, (
                f"{who} {case}: {response.status_code}"
            )
        return

    anonymous = call(Client())
    assert anonymous.status_code == 302, f"anonymous {case}: {anonymous.status_code}"
    assert "/accounts/login/" in anonymous["Location"], anonymous["Location"]

    for someone in (other, *refused):
        client = Client()
        client.force_login(someone)
        response = call(client)
        assert response.status_code == 404, f"{someone.email} {case}: {response.status_code}"

    client = Client()
    client.force_login(owner)
    response = call(client)
    assert response.status_code == case.owner_status, (
        f"owner {case}: {response.status_code}, expected {case.owner_status}"
    )


def htmx(target: str = "") -> dict[str, str]:
    """The headers htmx sends with a request, for `client.get(url, headers=htmx())`."""
    headers = {"HX-Request": "true"}
    if target:
        headers["HX-Target"] = target
    return headers


def count_queries(client: Client, url: str, **extra: Any) -> int:
    """How many queries one successful GET of `url` runs."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    return len(queries)
