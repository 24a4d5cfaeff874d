"""The safe fetch against a local web server: every refusal, and a page read within bounds."""

import time

import pytest

from careertips.core import safefetch


def test_it_reads_an_html_page_from_the_checked_address(posting_server):
    page = safefetch.fetch_html(f"{posting_server.url}/plain.html")
    assert page.content_type == "text/html"
    assert page.charset == "utf-8"
    assert "Northwind Foods" in page.text


def test_it_follows_up_to_five_redirects(posting_server):
    page = safefetch.fetch_html(f"{posting_server.url}/redirect/5")
    assert page.url == f"{posting_server.url}/plain.html"
    assert posting_server.requests.count("/plain.html") == 1


def test_it_refuses_a_sixth_redirect(posting_server):
    with pytest.raises(safefetch.TooManyRedirects) as refused:
        safefetch.fetch_html(f"{posting_server.url}/redirect/6")
    assert "more than 5 times" in refused.value.message
    assert "/plain.html" not in posting_server.requests


def test_it_refuses_loopback_unless_allowed(settings, posting_server):
    settings.SAFE_FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(safefetch.ForbiddenAddress) as refused:
        safefetch.fetch_html(f"{posting_server.url}/plain.html")
    assert "private or local network" in refused.value.message
    assert posting_server.requests == []


def test_it_checks_the_address_again_on_a_redirect_to_loopback(
    settings,
    monkeypatch,
    posting_server,
):
    settings.SAFE_FETCH_ALLOW_LOOPBACK = False
    real_check = safefetch.check_url
    checked: list[str] = []

    def first_hop_only(url, **kw):
        # The fixture server itself is on loopback: let the first address through only.
        checked.append(url)
        if len(checked) == 1:
            kw["allow_loopback"] = True
        return real_check(url, **kw)

    monkeypatch.setattr(safefetch, "check_url", first_hop_only)
    with pytest.raises(safefetch.ForbiddenAddress):
        safefetch.fetch_html(f"{posting_server.url}/to-loopback")
    assert checked == [f"{posting_server.url}/to-loopback", "http://127.0.0.1:1/plain.html"]


@pytest.mark.parametrize("path", ["/to-metadata", "/to-private"])
def test_it_refuses_a_redirect_to_a_private_address(posting_server, path):
    with pytest.raises(safefetch.ForbiddenAddress):
        safefetch.fetch_html(posting_server.url + path)


def test_it_refuses_a_redirect_to_another_scheme(posting_server):
    with pytest.raises(safefetch.UnsupportedScheme):
        safefetch.fetch_html(f"{posting_server.url}/to-ftp")


def test_it_follows_a_relative_redirect(posting_server):
    assert "Plant Manager" in safefetch.fetch_html(f"{posting_server.url}/relative").text


def test_it_stops_reading_a_huge_body_at_the_cap(posting_server):
    with pytest.raises(safefetch.TooLarge) as refused:
        safefetch.fetch_html(f"{posting_server.url}/huge")
    assert "over 2 MB" in refused.value.message


def test_it_refuses_a_declared_huge_body_before_reading_it(posting_server):
    with pytest.raises(safefetch.TooLarge):
        safefetch.fetch_html(f"{posting_server.url}/huge-declared", max_bytes=1024)


def test_it_gives_up_on_a_slow_body_at_the_total_time_limit(settings, posting_server):
    settings.SAFE_FETCH_TIMEOUT = 0.3
    started = time.monotonic()
    with pytest.raises(safefetch.FetchTimeout) as refused:
        safefetch.fetch_html(f"{posting_server.url}/slow")
    # The body trickles on for 5 s: the limit is on the whole read, not on each chunk.
    assert time.monotonic() - started < 1.5
    assert "too long" in refused.value.message


@pytest.mark.parametrize("path", ["/file.pdf", "/data.json"])
def test_it_refuses_what_is_not_html(posting_server, path):
    with pytest.raises(safefetch.NotHtml) as refused:
        safefetch.fetch_html(posting_server.url + path)
    assert "not a web page" in refused.value.message


def test_it_reads_xhtml(posting_server):
    page = safefetch.fetch_html(f"{posting_server.url}/xhtml")
    assert page.content_type == "application/xhtml+xml"


def test_it_reports_an_error_status(posting_server):
    with pytest.raises(safefetch.BadStatus) as refused:
        safefetch.fetch_html(f"{posting_server.url}/gone.html")
    assert "404" in refused.value.message


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("ftp://example.com/job.html", safefetch.UnsupportedScheme),
        ("file:///etc/passwd", safefetch.UnsupportedScheme),
        ("javascript:alert(1)", safefetch.UnsupportedScheme),
        ("http://user:pw@example.com/", safefetch.CredentialsInAddress),
        ("http://10.1.2.3/job", safefetch.ForbiddenAddress),
        ("http://192.168.1.20/job", safefetch.ForbiddenAddress),
        ("http://172.16.0.5/job", safefetch.ForbiddenAddress),
        ("http://169.254.169.254/latest/meta-data", safefetch.ForbiddenAddress),
        ("http://[::1]/job", safefetch.ForbiddenAddress),
        ("http://[fe80::1]/job", safefetch.ForbiddenAddress),
        ("http://[::ffff:10.0.0.1]/job", safefetch.ForbiddenAddress),
        ("http://224.0.0.1/job", safefetch.ForbiddenAddress),
        ("http://240.0.0.1/job", safefetch.ForbiddenAddress),
        ("http://0.0.0.0/job", safefetch.ForbiddenAddress),
        ("http://127.0.0.1/job", safefetch.ForbiddenAddress),
        ("http://[not-an-ip/", safefetch.InvalidAddress),
        ("http:///nohost", safefetch.InvalidAddress),
    ],
)
def test_it_refuses_addresses_it_must_not_call(url, error):
    with pytest.raises(error) as refused:
        safefetch.fetch_html(url)
    assert refused.value.message


def test_it_allows_loopback_only_when_asked():
    assert safefetch.check_url("http://127.0.0.1:9/", allow_loopback=True).address == "127.0.0.1"
    with pytest.raises(safefetch.ForbiddenAddress):
        safefetch.check_url("http://10.0.0.1:9/", allow_loopback=True)


def test_it_checks_every_address_a_name_resolves_to(monkeypatch):
    def two_answers(host, port, **kw):
        return [
            (2, 1, 6, "", ("93.184.215.14", port)),
            (2, 1, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(safefetch.socket, "getaddrinfo", two_answers)
    with pytest.raises(safefetch.ForbiddenAddress):
        safefetch.check_url("https://jobs.example.com/1")


def test_it_connects_to_the_address_it_checked(monkeypatch):
    monkeypatch.setattr(
        safefetch.socket,
        "getaddrinfo",
        lambda host, port, **kw: [(2, 1, 6, "", ("93.184.215.14", port))],
    )
    target = safefetch.check_url("https://jobs.example.com/openings/7?ref=x")
    conn = safefetch.connect_to(target, timeout=1)
    assert (conn.host, conn.pinned, conn.port) == ("jobs.example.com", "93.184.215.14", 443)
    assert target.path == "/openings/7?ref=x"
