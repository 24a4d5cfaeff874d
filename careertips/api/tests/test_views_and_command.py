from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from careertips.api.models import ApiToken, WebhookEndpoint
from careertips.api.services.tokens import hash_token
from careertips.api.tests.helpers import call


def test_it_shows_a_new_token_once_and_lists_it_by_prefix(alice_client, alice):
    response = alice_client.post(
        "/settings/api/", {"name": "Spreadsheet", "scopes": ["read", "write"]}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(owner=alice)
    secret = response.context["new_secret"]
    assert hash_token(secret) == token.token_hash
    assert secret in response.content.decode()
    later = alice_client.get("/settings/api/").content.decode()
    assert secret not in later and token.prefix in later
    assert call("get", "/api/v1/opportunities", token=secret).status_code == 200


def test_it_offers_the_editor_scope_to_editors_only(alice_client):
    response = alice_client.post("/settings/api/", {"name": "Sheet", "scopes": ["editor"]})
    assert "editor is not one of the available choices" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_revokes_a_token_from_settings(alice_client, alice):
    from careertips.api.services.tokens import create_token

    token, secret = create_token(owner=alice, name="Sheet", scopes=["read"])
    alice_client.post(f"/settings/api/tokens/{token.pk}/revoke/")
    assert call("get", "/api/v1/opportunities", token=secret).status_code == 401


def test_it_links_the_api_page_from_settings(alice_client):
    assert 'href="/settings/api/"' in alice_client.get("/settings/").content.decode()


def test_it_refuses_a_private_webhook_address_at_the_field(alice_client, settings):
    settings.API_WEBHOOK_ALLOW_PRIVATE = False
    response = alice_client.post(
        "/settings/api/webhooks/",
        {"url": "http://127.0.0.1:8000/hook", "events": ["debrief.opened"]},
    )
    assert "private or local network" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_it_serves_the_docs_from_our_own_static_files(client):
    page = client.get("/api/docs").content.decode()
    assert "/static/api/swagger-ui/swagger-ui-bundle.js" in page
    assert "/static/api/docs-init.js" in page
    assert 'data-openapi-url="/api/v1/openapi.json"' in page
    assert "<script>" not in page and "http" not in page.split("<body>")[1]
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")


def test_it_creates_a_token_from_the_command_line(alice):
    out = StringIO()
    call_command(
        "api_token", "create", alice.email, "--name", "Backup", "--scopes", "read,write", stdout=out
    )
    secret = out.getvalue().strip()
    token = ApiToken.objects.get(token_hash=hash_token(secret))
    assert (token.owner, token.name, token.scopes) == (alice, "Backup", ["read", "write"])


def test_it_explains_a_bad_command_line(alice):
    with pytest.raises(CommandError, match="Only editors"):
        call_command("api_token", "create", alice.email, "--name", "X", "--scopes", "editor")
    with pytest.raises(CommandError, match="No account"):
        call_command("api_token", "create", "nobody@example.com", "--name", "X")
