import os
import sys
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from careertips.newsletter.inbound import receive

# sysexits.h: the mail server keeps the message and tries again later.
EX_TEMPFAIL = 75
MAX_BYTES = 25 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Read one message on standard input (from a mail server's pipe or alias) and handle it: "
        "bounces, feedback-loop complaints and unsubscribe requests; anything else is kept for "
        "staff. Exits 75 (try again later) when it cannot be stored."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--recipient", default="",
            help="The envelope recipient (the VERP address); default $ORIGINAL_RECIPIENT.",
        )  # fmt: skip

    def handle(self, *args: Any, recipient: str, **options: Any) -> None:
        raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        if not raw.strip():
            self.stderr.write("No message on standard input.")
            sys.exit(EX_TEMPFAIL if raw else 0)
        recipient = (
            recipient or os.environ.get("ORIGINAL_RECIPIENT", "") or os.environ.get("RECIPIENT", "")
        )
        try:
            record = receive(raw[:MAX_BYTES], source="pipe", recipient=recipient)
        except DatabaseError as error:
            self.stderr.write(f"Could not store the message: {error}")
            sys.exit(EX_TEMPFAIL)
        self.stdout.write(f"{record.get_kind_display()}: {record.outcome}")
