from django.core.management.base import BaseCommand

from careertips.stories.services import rebuild_search_index


class Command(BaseCommand):
    help = "Rebuilds the full-text index of stories and posting requirements from the tables."

    def handle(self, *args: object, **options: object) -> None:
        stories, requirements = rebuild_search_index()
        self.stdout.write(f"Indexed {stories} stories and {requirements} requirements.")
