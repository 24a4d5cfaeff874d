from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "careertips.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from careertips.core import (
            checks,  # noqa: F401 -- registers the deploy checks
            twofactor,  # noqa: F401 -- connects the sign-in receivers
        )

    def upkeep_tasks(self) -> list:
        """Periodic tasks `schedule_upkeep` starts; each re-queues itself."""
        from django.conf import settings

        from careertips.core.tasks import backup_if_due, heartbeat, refresh_statistics

        every = [heartbeat, refresh_statistics]
        return [*every, backup_if_due] if settings.BACKUP_DIR else every
