"""Test helpers shared by every app: fixed users, small factories, the access matrix."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.utils import timezone

from careertips.core.models import User
from careertips.network.models import Contact, Organization
from careertips.pipeline.models import Interview, Opportunity, Stage

PASSWORD = "correct horse battery staple"


def make_user(email: str, *, roles: Iterable[str] = (), **kw: Any) -> User:
    """An account with a confirmed address and these roles (core.roles)."""
    from allauth.account.models import EmailAddress

    from careertips.core.services import set_roles

    user = User.objects.create_user(email=email, password=PASSWORD, **kw)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if roles:
        set_roles(user=user, roles=roles, by=None)
    return user


def make_session(user: User) -> str:
    """A signed-in session for `user`, stored like a real login; returns its key."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
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


def make_organization(*, owner: User, name: str = "Acme Analytics", **kw: Any) -> Organization:
    org, _ = Organization.objects.get_or_create(owner=owner, name=name, defaults=kw)
    return org


def make_contact(*, owner: User, name: str = "Dana Whitfield", **kw: Any) -> Contact:
    kw.setdefault("organization", make_organization(owner=owner))
    return Contact.objects.create(owner=owner, name=name, **kw)


def make_opportunity(
    *, owner: User, stage: str = Stage.APPLIED, title: str = "Operations Manager", **kw: Any
) -> Opportunity:
    from careertips.pipeline.services import create_opportunity

    organization = kw.pop("organization", None) or make_organization(owner=owner)
    if stage != Stage.INTERESTED:
        kw.setdefault("applied_on", timezone.localdate() - dt.timedelta(days=3))
        kw.setdefault("found_on", kw["applied_on"] - dt.timedelta(days=2))
    return create_opportunity(
        owner=owner, organization=organization, title=title, stage=stage, **kw
    )


def make_interview(*, opportunity: Opportunity, **kw: Any) -> Interview:
    kw.setdefault("scheduled_at", timezone.now() + dt.timedelta(days=2))
    return Interview.objects.create(opportunity=opportunity, **kw)


def make_debrief(*, owner: User, **kw: Any):  # -> Debrief
    from careertips.debriefs.services import open_debrief

    opportunity = kw.pop("opportunity", None) or make_opportunity(
        owner=owner, stage=Stage.INTERVIEWING
    )
    debrief = open_debrief(opportunity=opportunity)
    for key, value in kw.items():
        setattr(debrief, key, value)
    if kw:
        debrief.save()
    return debrief


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
