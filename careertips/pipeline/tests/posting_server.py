"""A local web server for posting capture tests: the fixture pages under `postings/`, and
misbehaving answers (redirects, a huge or slow body, other content types)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "postings"


class PostingServer:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                path = self.path.split("?")[0]
                if path.startswith("/redirect/"):
                    return self._redirect_chain(int(path.rsplit("/", 1)[1]))
                answer = ROUTES.get(path)
                if answer is not None:
                    return answer(self, server)
                page = PAGES / path.lstrip("/")
                if path.endswith(".html") and page.is_file() and page.parent == PAGES:
                    return self._send(200, "text/html; charset=utf-8", page.read_bytes())
                return self._send(404, "text/html", b"<h1>Not found</h1>")

            def _redirect_chain(self, left: int) -> None:
                target = f"/redirect/{left - 1}" if left > 1 else "/plain.html"
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()

            def _send(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def _redirect(location: str):  # type: ignore[no-untyped-def]
    def answer(handler: BaseHTTPRequestHandler, server: PostingServer) -> None:
        handler.send_response(302)
        handler.send_header("Location", location.format(url=server.url))
        handler.end_headers()

    return answer


def _typed(content_type: str, body: bytes):  # type: ignore[no-untyped-def]
    def answer(handler: BaseHTTPRequestHandler, server: PostingServer) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def _huge(handler: BaseHTTPRequestHandler, server: PostingServer) -> None:
    """3 MB of HTML with no Content-Length: only reading it shows how big it is."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    chunk = b"<p>" + b"x" * 1020 + b"</p>"
    try:
        for _ in range(3 * 1024):
            handler.wfile.write(chunk)
    except OSError:
        pass  # the reader stopped at its cap


def _huge_declared(handler: BaseHTTPRequestHandler, server: PostingServer) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(3 * 1024 * 1024))
    handler.end_headers()


def _slow(handler: BaseHTTPRequestHandler, server: PostingServer) -> None:
    """A body that trickles in, a few bytes at a time, for far longer than the time limit."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    try:
        for _ in range(100):
            handler.wfile.write(b"<p>.</p>")
            handler.wfile.flush()
            time.sleep(0.05)
    except OSError:
        pass


ROUTES = {
    "/to-loopback": _redirect("http://127.0.0.1:1/plain.html"),
    "/to-metadata": _redirect("http://169.254.169.254/latest/meta-data/"),
    "/to-private": _redirect("http://10.0.0.8/admin"),
    "/to-ftp": _redirect("ftp://{url}/plain.html"),
    "/relative": _redirect("/plain.html"),
    "/huge": _huge,
    "/huge-declared": _huge_declared,
    "/slow": _slow,
    "/file.pdf": _typed("application/pdf", b"%PDF-1.4 not a page"),
    "/data.json": _typed("application/json", b'{"@type": "JobPosting"}'),
    "/xhtml": _typed(
        "application/xhtml+xml",
        b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>XHTML role</title></head>'
        b"<body/></html>",
    ),
}


@pytest.fixture
def posting_server(settings):
    """The server on 127.0.0.1, with loopback allowed for the fetch (tests only)."""
    settings.SAFE_FETCH_ALLOW_LOOPBACK = True
    server = PostingServer()
    yield server
    server.close()
