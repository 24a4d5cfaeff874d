"""/healthz/proxy: what the app sees of the requester, for operators and `careertips doctor`."""

from django.test import override_settings

BEHIND_PROXY = {
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "ALLAUTH_TRUSTED_PROXY_COUNT": 1,
}


def test_it_reports_the_address_and_scheme_of_a_direct_request(client):
    # No database access is allowed in this test: the endpoint stays as cheap as /healthz.
    response = client.get("/healthz/proxy")

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {
        "client_ip": "127.0.0.1",
        "scheme": "http",
        "host": "testserver",
        "forwarded_for": False,
        "forwarded_proto": False,
    }


@override_settings(**BEHIND_PROXY)
def test_it_reports_what_the_proxy_forwarded_behind_a_proxy(client):
    response = client.get(
        "/healthz/proxy",
        headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.7", "X-Forwarded-Proto": "https"},
    )

    seen = response.json()
    assert seen["client_ip"] == "198.51.100.7"  # the entry the proxy appended
    assert seen["scheme"] == "https"
    assert seen["forwarded_for"] is True


def test_it_ignores_forwarded_headers_without_a_proxy(client):
    response = client.get(
        "/healthz/proxy", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    )

    seen = response.json()
    assert seen["client_ip"] == "127.0.0.1"
    assert seen["scheme"] == "http"
    assert seen["forwarded_for"] is True


def test_it_answers_only_get(client):
    assert client.post("/healthz/proxy").status_code == 405
