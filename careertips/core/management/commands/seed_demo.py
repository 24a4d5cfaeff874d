from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo search once; never touches existing data."

    def handle(self, *args: Any, **options: Any) -> None:
        from careertips.core.demo import seed_demo

        created = seed_demo()
        self.stdout.write("Demo data loaded." if created else "Demo data already present.")
