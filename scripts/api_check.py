"""`make api-check`: the live API against its own OpenAPI schema, with Schemathesis.

Starts the app with gunicorn on a loopback port over a throwaway SQLite database holding the
demo data, creates a member token and an editor token, and runs Schemathesis on every
operation (schema examples, fuzzing and the stateful links) with the checks below. Exits
non-zero on any failure. API_CHECK_EXAMPLES sets the examples per operation (default 10);
API_CHECK_PHASES the phases (add `coverage` for Schemathesis' boundary-value sweep, which
sends several hundred requests per operation and takes many minutes on a small machine);
API_CHECK_ARGS adds Schemathesis options (e.g. `--include-operation-id getToday`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import (  # noqa: E402
    BIN,
    HOST,
    free_port,
    production_server,
    setup_django,
    throwaway_environment,
)

CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance"
)


def _tokens() -> tuple[str, str]:
    from django.core.management import call_command

    from careertips.api.services.tokens import create_token
    from careertips.core.demo import EDITOR_EMAIL, MEMBER_EMAIL
    from careertips.core.models import User

    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", verbosity=0)
    member = User.objects.get(email=MEMBER_EMAIL)
    editor = User.objects.get(email=EDITOR_EMAIL)
    member_secret = create_token(owner=member, name="api-check", scopes=["read", "write"])[1]
    editor_secret = create_token(
        owner=editor, name="api-check", scopes=["read", "write", "editor"]
    )[1]
    return member_secret, editor_secret


def _schemathesis(port: int, token: str, *filters: str) -> int:
    examples = os.environ.get("API_CHECK_EXAMPLES", "10")
    command = [
        str(BIN / "st"), "run", f"http://{HOST}:{port}/api/v1/openapi.json",
        "--header", f"Authorization: Bearer {token}",
        "--checks", CHECKS,
        "--phases", os.environ.get("API_CHECK_PHASES", "examples,fuzzing,stateful"),
        "--max-examples", examples, "--seed", "2026", "--workers", "1",
        "--generation-database", "none", "--no-color", "--request-timeout", "60",
        *filters, *os.environ.get("API_CHECK_ARGS", "").split(),
    ]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, check=False).returncode  # noqa: S603


def main() -> int:
    started = time.monotonic()
    with throwaway_environment() as env:
        # Schemathesis sends thousands of requests a minute; the limit is tested elsewhere.
        os.environ["API_RATE_LIMIT"] = env["API_RATE_LIMIT"] = "1000000"
        setup_django()
        member, editor = _tokens()
        from django.db import connections

        from careertips.core.management.commands.serve import gunicorn_command

        connections.close_all()
        port = free_port()
        command = gunicorn_command(bind=f"{HOST}:{port}", workers=2, threads=2, access_log=False)
        with production_server(command, port=port):
            member_run = _schemathesis(port, member, "--exclude-tag", "Newsletter (editors)")
            editor_run = _schemathesis(port, editor, "--include-tag", "Newsletter (editors)")
    took = time.monotonic() - started
    print(f"api-check: member run {member_run}, editor run {editor_run}, {took:.0f}s")
    return 1 if member_run or editor_run else 0


if __name__ == "__main__":
    sys.exit(main())
