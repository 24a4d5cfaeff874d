"""`careertips doctor`: is this install healthy? Prints each check and what to fix."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from careertips.core import doctor


class Command(BaseCommand):
    help = (
        "Check a running install: production settings, database and migrations, the task "
        "worker, mail, the site through its proxy, backups. Exits non-zero when one fails."
    )
    # The settings check runs the system checks itself and reports them as one result.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        for check in doctor.CHECKS:
            try:
                result = check()
            except Exception as error:  # noqa: BLE001 -- a broken check is reported, not fatal
                name = check.__name__.removeprefix("check_")
                result = doctor.Result(name, doctor.FAIL, f"the check itself failed: {error!r}")
            failed += result.status == doctor.FAIL
            self._print(result)
        if failed:
            raise CommandError(
                f"{failed} check(s) failed: fix them and run `careertips doctor` again."
            )
        self.stdout.write(self.style.SUCCESS("All checks passed."))

    def _print(self, result: doctor.Result) -> None:
        style = {
            doctor.OK: self.style.SUCCESS,
            doctor.WARN: self.style.WARNING,
            doctor.FAIL: self.style.ERROR,
        }.get(result.status, str)
        first, *rest = result.summary.splitlines()
        self.stdout.write(f"{style(result.status.ljust(4))}  {result.name:<9} {first}")
        for line in rest:
            self.stdout.write(f"{'':16}{line}")
        if result.fix and result.status != doctor.OK:
            self.stdout.write(f"{'':16}fix: {result.fix}")
