"""System checks run by `careertips check --deploy`."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def demo_accounts_present(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The demo logins' passwords are published: on a real install they are open doors."""
    from careertips.core.demo import demo_accounts

    try:
        present = sorted(demo_accounts().filter(is_active=True).values_list("email", flat=True))
    except DatabaseError:  # not migrated yet: nothing to warn of
        return []
    if not present:
        return []
    return [
        Warning(
            f"The demo accounts exist: {', '.join(present)}. Their passwords are published.",
            hint="Before the install is used for real, sign in as each and delete it under "
            "Settings, Your data, or mark it inactive in the admin site's Users.",
            id="careertips.W001",
        )
    ]
