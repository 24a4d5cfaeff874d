"""What the deployment tests share: a real site (migrated SQLite database, collected static
files, a signed-in member) served by gunicorn the way careertips-web.service serves it, and
a small HTTP client that can speak from another loopback address than the proxy's."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from careertips.core.management.commands.serve import gunicorn_command

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
# The visitor's address: the proxy listens on 127.0.0.1 and gunicorn sees the proxy there, so
# a client speaking from 127.0.0.2 shows whether the app reads the forwarded address.
VISITOR = "127.0.0.2"
SCRUBBED = {
    "SECRET_KEY", "DEBUG", "HTTPS", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_HOST",
    "CAREERTIPS_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND", "BEHIND_PROXY",
    "SITE_URL", "STATIC_ROOT", "CAREERTIPS_VAR_DIR",
}  # fmt: skip
MEMBER_SCRIPT = """
from careertips.core.testing import make_session, make_user
print(make_session(make_user("deploy@example.com", display_name="Dee Ploy")))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_program(name: str) -> str | None:
    """Debian puts nginx in /usr/sbin, which is not on every user's PATH."""
    return shutil.which(name, path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")


def wait_for_port(port: int, process: subprocess.Popen, *, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on port {port} within {seconds} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Site:
    root: Path
    port: int
    session: str
    static_root: Path
    access_log: Path
    process: subprocess.Popen
    env: dict[str, str] = field(default_factory=dict)

    def hashed_static(self, name: str) -> str:
        manifest = json.loads((self.static_root / "staticfiles.json").read_text())
        return str(manifest["paths"][name])

    def served_paths(self) -> str:
        """Every request gunicorn has logged so far."""
        return self.access_log.read_text() if self.access_log.exists() else ""


def start_site(root: Path) -> Site:
    """Migrates a fresh SQLite database, collects static files and starts gunicorn with the
    production settings a proxy expects (BEHIND_PROXY=true, DEBUG off)."""
    var = root / "var"
    var.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update(
        DJANGO_SETTINGS_MODULE="careertips.settings",
        CAREERTIPS_VAR_DIR=str(var),
        STATIC_ROOT=str(root / "static"),
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BEHIND_PROXY="true",
        DATABASE_URL=f"sqlite:///{var / 'careertips.sqlite3'}",
    )
    careertips = str(BIN / "careertips")
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([careertips, *command], env=env, check=True, timeout=300)  # noqa: S603
    session = subprocess.run(  # noqa: S603
        [careertips, "shell", "-c", MEMBER_SCRIPT],
        env=env, check=True, timeout=120, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    port = free_port()
    access_log = root / "gunicorn-access.log"
    command = gunicorn_command(bind=f"127.0.0.1:{port}", workers=1, threads=2, access_log=False)
    process = subprocess.Popen(  # noqa: S603
        [*command, "--access-logfile", str(access_log)], env=env, cwd=root
    )
    wait_for_port(port, process, what="gunicorn")
    return Site(root, port, session, root / "static", access_log, process, env)


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """HTTP(S) from the visitor's address, with the session cookie of the site's member."""

    def __init__(self, port: int, *, tls: bool, session: str = "") -> None:
        self.port, self.tls, self.cookies = port, tls, {"sessionid": session} if session else {}
        self.origin = f"{'https' if tls else 'http'}://127.0.0.1:{port}"

    def _connection(self) -> http.client.HTTPConnection:
        if not self.tls:
            return http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=60, source_address=(VISITOR, 0)
            )
        context = ssl.create_default_context()
        # The test's own self-signed certificate.
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return http.client.HTTPSConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(VISITOR, 0), context=context
        )

    def request(
        self, method: str, path: str, *, body: bytes = b"", headers: dict | None = None
    ) -> Reply:
        connection = self._connection()
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.putrequest(method, path)
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                connection.putheader(name, value)
            connection.endheaders()
            try:
                for start in range(0, len(body), 1 << 16):
                    connection.send(body[start : start + (1 << 16)])
            except (BrokenPipeError, ConnectionResetError):
                pass  # the proxy refused the body early; its answer is still there to read
            response = connection.getresponse()
            reply = Reply(response.status, response.headers, response.read())
        finally:
            connection.close()
        for cookie in reply.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return reply

    def get(self, path: str, **headers: str) -> Reply:
        return self.request("GET", path, headers=headers)

    def post_file(self, path: str, *, fields: dict[str, str], name: str, content: bytes) -> Reply:
        boundary = secrets.token_hex(16)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            .encode() for key, value in fields.items()
        ]  # fmt: skip
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n".encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Origin": self.origin,
            "Referer": f"{self.origin}{path}",
        }
        return self.request("POST", path, body=b"".join(parts), headers=headers)


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "the page has no CSRF token"
    return match.group(1)


def contacts_csv(size: int) -> bytes:
    """A Career Tips contacts export of about `size` bytes: a few thousand people with notes."""
    header = (
        "Name,Title,Organization,Email,Phone,Profile URL,Relationship,Warmth,Tags,How we met,"
        "Next touch,Cadence (days),Notes\r\n"
    )
    note = "Met at the spring association meeting; follow up about the analytics role. " * 20
    rows, total, index = [header], len(header), 0
    while total < size:
        row = f"Person {index},Analyst,Firm {index % 50},p{index}@example.com,,,,,,,,,{note}\r\n"
        rows.append(row)
        total += len(row)
        index += 1
    return "".join(rows).encode()
