"""Demo data for `careertips seed_demo`: a coach, an editor and an administrator of the
practice, and a member ten weeks into a job search.

This module makes the demo accounts; each app adds its own part of the demo in its
`demo` module (`seed(*, staff, member)`, taking only the accounts it needs), found through
the app registry. An app whose part builds on another's names it in `SEED_AFTER`, so the
network is there before the pipeline that refers to it. Loaded once: when the demo member
exists nothing is touched.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import zoneinfo
from collections.abc import Callable
from types import ModuleType

from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from careertips.core.models import User
from careertips.core.roles import Role
from careertips.core.services import set_roles

COACH_EMAIL = "coach@careertips.local"
COACH_PASSWORD = "coach-password-2026"  # noqa: S105 -- published demo login
EDITOR_EMAIL = "editor@careertips.local"
EDITOR_PASSWORD = "editor-password-2026"  # noqa: S105 -- published demo login
ADMINISTRATOR_EMAIL = "admin@careertips.local"
ADMINISTRATOR_PASSWORD = "admin-password-2026"  # noqa: S105 -- published demo login
MEMBER_EMAIL = "demo@careertips.local"
MEMBER_PASSWORD = "demo-password-2026"  # noqa: S105 -- published demo login
# (role, email, password) of each published demo login, as `careertips serve` prints them.
DEMO_LOGINS = [
    ("member", MEMBER_EMAIL, MEMBER_PASSWORD),
    ("coach", COACH_EMAIL, COACH_PASSWORD),
    ("editor", EDITOR_EMAIL, EDITOR_PASSWORD),
    ("admin", ADMINISTRATOR_EMAIL, ADMINISTRATOR_PASSWORD),
]
MEMBER_TIME_ZONE = "America/Chicago"


@transaction.atomic
def seed_demo() -> bool:
    """Creates the demo accounts and search; False when the demo member already exists."""
    if User.objects.filter(email=MEMBER_EMAIL).exists():
        return False
    coach = _ensure_account(COACH_EMAIL, COACH_PASSWORD, "Robin Hale", roles=[Role.COACH])
    _ensure_account(EDITOR_EMAIL, EDITOR_PASSWORD, "Casey Editor", roles=[Role.EDITOR])
    _ensure_account(
        ADMINISTRATOR_EMAIL, ADMINISTRATOR_PASSWORD, "Morgan Admin", roles=[Role.ADMINISTRATOR]
    )
    member = _ensure_account(MEMBER_EMAIL, MEMBER_PASSWORD, "Jordan Avery")
    member.time_zone = MEMBER_TIME_ZONE
    member.save(update_fields=["time_zone"])
    _run_optional_seeders(staff=coach, member=member)
    return True


def _ensure_account(
    email: str, password: str, display_name: str, *, roles: list[Role] | None = None
) -> User:
    """An existing account with this address is used as it is: its password and roles are
    never changed. A new one gets these roles and nothing more (nobody is a superuser)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, display_name=display_name)
        if roles:
            set_roles(user=user, roles=roles, by=None)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def demo_accounts() -> QuerySet[User]:
    """The published demo logins present in the database (a deploy check warns of them)."""
    return User.objects.filter(email__in=[email for _, email, _ in DEMO_LOGINS])


def _run_optional_seeders(**accounts: User) -> None:
    for seed in app_seeders():
        params = inspect.signature(seed).parameters
        takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        seed(**{k: v for k, v in accounts.items() if takes_any or k in params})


def app_seeders() -> list[Callable[..., None]]:
    """Every app's `demo.seed`, an app after those named in its `SEED_AFTER`."""
    return [module.seed for module in in_seeding_order(_demo_modules()) if hasattr(module, "seed")]


def _demo_modules() -> dict[str, ModuleType]:
    """Each of our apps' `demo` module by app label, in the order of INSTALLED_APPS."""
    modules = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("careertips."):
            continue
        name = f"{config.name}.demo"
        try:
            modules[config.label] = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:  # a broken import inside the module must surface
                raise
    return modules


def in_seeding_order(modules: dict[str, ModuleType]) -> list[ModuleType]:
    """The modules with every one after those its `SEED_AFTER` names; otherwise as given."""
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(label: str) -> None:
        if label in ordered or label not in modules:
            return
        if label in visiting:
            raise ValueError(f"The demo parts of {label!r} and another app wait for each other.")
        visiting.add(label)
        for before in getattr(modules[label], "SEED_AFTER", ()):
            visit(before)
        visiting.discard(label)
        ordered.append(label)

    for label in modules:
        visit(label)
    return [modules[label] for label in ordered]


class DemoClock:
    """The demo member's today, and moments relative to it on their wall clock."""

    def __init__(self, member: User) -> None:
        self.tz = zoneinfo.ZoneInfo(member.time_zone)
        self.now = timezone.now()
        self.today = self.now.astimezone(self.tz).date()

    def at(self, days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
        """A moment `days` from today (negative: in the past) at a local wall-clock time."""
        moment = dt.datetime.combine(
            self.today + dt.timedelta(days=days), dt.time(hour, minute), tzinfo=self.tz
        )
        return min(moment, self.now - dt.timedelta(minutes=5)) if days <= 0 else moment
