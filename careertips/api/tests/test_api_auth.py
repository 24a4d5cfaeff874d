import datetime as dt

import time_machine
from django.test import Client
from django.utils import timezone

from careertips.api.models import ApiToken
from careertips.api.services.tokens import create_token, revoke_token
from careertips.api.tests.helpers import call, make_token
from careertips.pipeline.tests.helpers import make_opportunity

LIST = "/api/v1/opportunities"


def test_it_stores_only_the_hash_and_a_short_prefix(alice):
    token, secret = create_token(owner=alice, name="Sheet", scopes=["read"])
    row = ApiToken.objects.get(pk=token.pk)
    assert secret not in (row.token_hash, row.prefix)
    assert secret.startswith(row.prefix) and len(row.prefix) == 12
    assert len(row.token_hash) == 64


def test_it_answers_a_token_with_the_owners_rows_only(alice, bob):
    make_opportunity(owner=alice, title="Plant Manager")
    make_opportunity(owner=bob, title="Bob's role")
    response = call("get", LIST, token=make_token(alice))
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["items"]] == ["Plant Manager"]


def test_it_refuses_a_revoked_token(alice):
    token, secret = create_token(owner=alice, name="Sheet", scopes=["read"])
    assert call("get", LIST, token=secret).status_code == 200
    revoke_token(token=token)
    response = call("get", LIST, token=secret)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_it_refuses_an_expired_token(alice):
    secret = make_token(alice, expires_at=timezone.now() + dt.timedelta(days=1))
    assert call("get", LIST, token=secret).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        assert call("get", LIST, token=secret).status_code == 401


def test_it_refuses_a_made_up_token(alice):
    assert call("get", LIST, token="ctk_" + "x" * 43).status_code == 401


def test_it_refuses_the_token_of_a_deactivated_account(alice):
    secret = make_token(alice)
    alice.is_active = False
    alice.save()
    assert call("get", LIST, token=secret).status_code == 401


def test_it_records_when_a_token_was_last_used(alice):
    token, secret = create_token(owner=alice, name="Sheet", scopes=["read"])
    call("get", LIST, token=secret)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_gives_the_editor_scope_to_editors_only(alice, coach, editor):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Only editors"):
        create_token(owner=alice, name="Sheet", scopes=["read", "editor"])
    with pytest.raises(ValidationError, match="Only editors"):
        create_token(owner=coach, name="Sheet", scopes=["read", "editor"])
    assert create_token(owner=editor, name="Newsletter", scopes=["read", "editor"])[0].pk


def test_it_limits_requests_per_token_with_retry_after(alice, settings):
    settings.API_RATE_LIMIT = 3
    secret = make_token(alice)
    statuses = [call("get", LIST, token=secret).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = call("get", LIST, token=secret)
    assert limited["Content-Type"] == "application/problem+json"
    assert 1 <= int(limited["Retry-After"]) <= settings.API_RATE_WINDOW
    # Another token of the same owner has its own allowance.
    assert call("get", LIST, token=make_token(alice, name="Other")).status_code == 200


def test_it_accepts_the_session_for_reads_and_checks_csrf_on_writes(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get(LIST).status_code == 200
    body = {"title": "Plant Manager", "organization_name": "Acme"}
    refused = call("post", LIST, body=body, client=client)
    assert refused.status_code == 403
    client.get("/settings/api/")  # sets the CSRF cookie, as any page does
    token = client.cookies["csrftoken"].value
    client.defaults["HTTP_X_CSRFTOKEN"] = token
    assert call("post", LIST, body=body, client=client).status_code == 201


def test_it_answers_an_unknown_path_and_a_bad_json_body_as_problems(alice):
    secret = make_token(alice)
    bad = Client().post(
        LIST,
        data="{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert 400 <= bad.status_code < 500
    assert bad["Content-Type"] == "application/problem+json"
