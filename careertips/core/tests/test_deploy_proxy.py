"""deploy/nginx/careertips.conf and deploy/Caddyfile in front of a real gunicorn: a page
loads, a 4 MB contact import goes through, the app sees the visitor's address and scheme,
static files come from the proxy with cache headers, and a 20 MB body is refused by the
proxy itself. Debian's nginx and caddy packages provide the programs (.ci/run installs them)."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from careertips.core.tests.deploykit import (
    DEPLOY,
    VISITOR,
    Client,
    Site,
    contacts_csv,
    csrf_token,
    find_program,
    free_port,
    start_site,
    stop,
    wait_for_port,
)

pytestmark = pytest.mark.deploy

NGINX = find_program("nginx")
CADDY = find_program("caddy")
OPENSSL = find_program("openssl")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    served = start_site(tmp_path_factory.mktemp("site"))
    yield served
    stop(served.process)


def _replace(text: str, old: str, new: str) -> str:
    """Replaces a line of the shipped config; a missing one means the config moved on."""
    assert old in text, f"{old!r} is no longer in the shipped config: update the test"
    return text.replace(old, new)


def render_nginx(site: Site, directory: Path, *, port: int) -> Path:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(  # noqa: S603
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    conf = (DEPLOY / "nginx" / "careertips.conf").read_text()
    conf = "\n".join(line for line in conf.splitlines() if "[::]" not in line)  # IPv4 only here
    for old, new in [
        ("listen 80;", f"listen 127.0.0.1:{free_port()};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;"),
        ("server 127.0.0.1:8000", f"server 127.0.0.1:{site.port}"),
        ("/etc/letsencrypt/live/careers.example.com/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/careers.example.com/privkey.pem", str(key)),
        ("/var/www/careertips/static/", f"{site.static_root}/"),
        ("root /var/www/html;", f"root {directory};"),
        ("careers.example.com", "127.0.0.1"),
    ]:
        conf = _replace(conf, old, new)
    (directory / "careertips.conf").write_text(conf)
    temp_paths = "\n".join(
        f"    {kind}_temp_path {directory / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = directory / "nginx.conf"
    main.write_text(
        # As root, nginx's workers would run as nobody, who cannot read the test's temp folder.
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\npid {directory / 'nginx.pid'};\nerror_log {directory / 'error.log'};\n"
        "events { worker_connections 64; }\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    access_log {directory / 'access.log'};\n"
        f"{temp_paths}\n    include {directory / 'careertips.conf'};\n}}\n"
    )
    return main


@pytest.fixture
def nginx(site: Site, tmp_path: Path) -> Iterator[Client]:
    if not NGINX or not OPENSSL:
        pytest.skip("nginx is not installed (Debian package nginx; .ci/run installs it)")
    port = free_port()
    main = render_nginx(site, tmp_path, port=port)
    check = subprocess.run(  # noqa: S603
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(main)])  # noqa: S603
    wait_for_port(port, process, what="nginx")
    yield Client(port, tls=True, session=site.session)
    stop(process)


def render_caddy(directory: Path) -> Path:
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    # The admin endpoint listens on a fixed port; tests running side by side would collide.
    caddyfile = _replace(caddyfile, "{\n\tservers {", "{\n\tadmin off\n\tservers {")
    path = directory / "Caddyfile"
    path.write_text(caddyfile)
    return path


@pytest.fixture
def caddy(site: Site, tmp_path: Path) -> Iterator[Client]:
    if not CADDY:
        pytest.skip("caddy is not installed (Debian package caddy; .ci/run installs it)")
    port = free_port()
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        # The Caddyfile's own placeholders, as an operator could set them.
        "CAREERTIPS_SITE": f"http://127.0.0.1:{port}",
        "CAREERTIPS_STATIC_ROOT": str(site.static_root),
        "CAREERTIPS_UPSTREAM": f"127.0.0.1:{site.port}",
    }
    command = [CADDY, "run", "--config", str(render_caddy(tmp_path)), "--adapter", "caddyfile"]
    log = (tmp_path / "caddy.log").open("w")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=log)  # noqa: S603
    wait_for_port(port, process, what="caddy")
    yield Client(port, tls=False, session=site.session)
    stop(process)
    log.close()


def walk(client: Client, site: Site, *, scheme: str) -> None:
    # A page loads.
    page = client.get("/")
    assert page.status == 200, page.text[:500]
    assert "Career Tips" in page.text

    # The app sees the visitor (not the proxy, not what the visitor claims) and the scheme
    # the proxy was reached with, whatever the visitor's own headers say.
    spoofed = "https" if scheme == "http" else "http"
    seen = client.get(
        "/healthz/proxy", **{"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": spoofed}
    ).json()
    assert seen["client_ip"] == VISITOR
    assert seen["scheme"] == scheme
    assert seen["forwarded_for"] is True

    # Static files come from the proxy, with a year's cache for hashed names.
    hashed = client.get(f"/static/{site.hashed_static('core/app.css')}")
    assert hashed.status == 200
    assert "text/css" in hashed.headers["Content-Type"]
    assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    plain = client.get("/static/core/app.css")
    assert plain.status == 200
    assert plain.headers["Cache-Control"] == "public, max-age=3600"
    assert "/static/" not in site.served_paths()

    # A 4 MB contact import goes through to its preview.
    form = client.get("/network/import/")
    assert form.status == 200, form.text[:500]
    upload = contacts_csv(4 * 1024 * 1024)
    imported = client.post_file(
        "/network/import/",
        fields={"csrfmiddlewaretoken": csrf_token(form.text)},
        name="contacts.csv",
        content=upload,
    )
    assert imported.status == 302, imported.text[:1000]
    assert re.fullmatch(r"/network/import/\d+/", imported.headers["Location"])
    assert client.get(imported.headers["Location"]).status == 200

    # 20 MB is refused by the proxy before the app reads a byte of it.
    logged_before = site.served_paths().count("POST /network/import/")
    refused = client.post_file(
        "/network/import/",
        fields={"csrfmiddlewaretoken": csrf_token(form.text)},
        name="huge.csv",
        content=b"x" * (20 * 1024 * 1024),
    )
    assert refused.status == 413
    assert site.served_paths().count("POST /network/import/") == logged_before
    assert site.process.poll() is None
    assert client.get("/healthz").status == 200


def test_it_serves_the_site_through_nginx(nginx, site):
    walk(nginx, site, scheme="https")


def test_it_serves_the_site_through_caddy(caddy, site):
    walk(caddy, site, scheme="http")
