"""The practice's roles. Each is a Django auth Group of the same name (created by a
migration, with the model permissions the role needs in the admin site); a person may hold
several. Everyone with an account is a member: that needs no role.

- coach: reads the searches of the members who share with them, and nothing else;
- editor: the public site, the newsletter, reader questions, testimonials, subscribers;
- administrator: accounts and roles, the Mailbox, settings. Never a member's search.

`User.is_staff` is True exactly when the user holds at least one role; `set_roles` keeps it so.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import models


class Role(models.TextChoices):
    COACH = "coach", "Coach"
    EDITOR = "editor", "Editor"
    ADMINISTRATOR = "administrator", "Administrator"


ROLE_DESCRIPTIONS = {
    Role.COACH: "Reads the searches of members who share with them.",
    Role.EDITOR: "Public site, newsletter, reader questions, testimonials, subscribers.",
    Role.ADMINISTRATOR: "Accounts and roles, the Mailbox, settings.",
}


def parse_roles(text: str) -> list[Role]:
    """Roles named in a comma-separated list ("coach,editor"); ValueError names a bad one."""
    roles: list[Role] = []
    for name in (part.strip().lower() for part in text.split(",")):
        if not name:
            continue
        if name not in Role.values:
            raise ValueError(f"No such role: {name!r}. Roles are {', '.join(Role.values)}.")
        if Role(name) not in roles:
            roles.append(Role(name))
    return roles


def role_groups(roles: Iterable[str]) -> list[Group]:
    """The Group of each role, created if a database somehow lacks it."""
    return [Group.objects.get_or_create(name=str(role))[0] for role in roles]
