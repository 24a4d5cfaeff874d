"""What one API call costs the database: a fixed number of queries, whatever the account holds,
and one statement for the rate limit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from careertips.api import writes
from careertips.api.errors import RateLimited
from careertips.api.models import RateCounter
from careertips.api.services.ratelimit import count_request
from careertips.api.tests.helpers import call, make_token
from careertips.pipeline.models import Opportunity
from careertips.pipeline.tests.helpers import make_opportunity

LIST = "/api/v1/opportunities"


@pytest.fixture
def token(alice):
    return make_token(alice)


def _queries(method: str, path: str, token: str, body: object = None) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = call(method, path, token=token, body=body)
    assert response.status_code in (200, 201), response.content
    return len(captured.captured_queries), response.json()


def _create_and_move(token: str, n: int) -> tuple[int, int]:
    body = {"title": f"Role {n}", "organization_name": f"Employer {n}", "stage": "applied"}
    created, opportunity = _queries("post", LIST, token, body)
    move = {"stage": "screening", "note": "Recruiter called"}
    moved, _ = _queries("post", f"{LIST}/{opportunity['id']}/move", token, move)
    return created, moved


def test_it_lists_create_and_moves_in_queries_flat_in_the_accounts_size(alice, token):
    make_opportunity(owner=alice, title="First")
    call("get", LIST, token=token)  # the first use records last_used_at, once a minute at most
    small_list, body = _queries("get", LIST + "?limit=50", token)
    assert len(body["items"]) == 1
    small_create, small_move = _create_and_move(token, 1)
    for n in range(60):
        make_opportunity(owner=alice, title=f"Role {n}")
    large_list, body = _queries("get", LIST + "?limit=50", token)
    assert len(body["items"]) == 50
    assert body["next_cursor"]
    large_create, large_move = _create_and_move(token, 2)
    assert large_list == small_list == 3  # the token, the rate count, the page
    assert large_create == small_create
    assert large_move == small_move


def test_it_lists_rows_with_their_employer_as_single_reads_do(alice, token):
    opportunity = make_opportunity(owner=alice, title="Plant Manager")
    row = call("get", LIST, token=token).json()["items"][0]
    single = call("get", f"{LIST}/{opportunity.pk}", token=token).json()
    assert row == {key: single[key] for key in row}
    assert row["organization"] == opportunity.organization.name


def test_it_counts_a_callers_requests_per_window_in_one_row(db):
    with CaptureQueriesContext(connection) as captured:
        assert count_request(identity="token:1", window=60, now=6000) == 1
    assert len(captured.captured_queries) == 1
    assert count_request(identity="token:1", window=60, now=6059) == 2
    assert count_request(identity="token:2", window=60, now=6059) == 1
    # A new window starts the count again, in the same row.
    assert count_request(identity="token:1", window=60, now=6060) == 1
    assert RateCounter.objects.count() == 2


WRITES = {"INSERT", "UPDATE", "DELETE"}


def _statements(method: str, path: str, token: str, body: object) -> tuple:
    """Every statement one request runs, each paired with whether a transaction was open."""
    seen: list[tuple[str, bool]] = []

    def record(execute, sql, params, many, context):
        seen.append((sql.split()[0].upper(), connection.in_atomic_block))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = call(method, path, token=token, body=body)
    return response, seen


@pytest.mark.django_db(transaction=True)
def test_it_commits_an_api_write_with_its_rate_count_and_page_version_at_once(alice):
    token = make_token(alice)
    call("get", LIST, token=token)  # the token's first use records last_used_at
    version = type(alice).objects.get(pk=alice.pk).data_version
    body = {"title": "Buyer", "organization_name": "Acme", "stage": "applied"}
    response, seen = _statements("post", LIST, token, body)
    assert response.status_code == 201, response.content
    writes = [verb for verb, inside in seen if verb in WRITES]
    assert len(writes) >= 3  # the rate count, the opportunity and its history, the version
    assert [verb for verb, _ in seen].count("BEGIN") <= 1  # SQLite says BEGIN; PostgreSQL not
    assert all(inside for verb, inside in seen if verb in WRITES), seen
    assert type(alice).objects.get(pk=alice.pk).data_version == version + 1
    assert RateCounter.objects.get().count == 2
    # The services run in the write's own transaction: no savepoint of their own.
    assert "SAVEPOINT" not in [verb for verb, _ in seen]
    move = {"stage": "screening", "note": "Recruiter called"}
    moved, seen = _statements("post", f"{LIST}/{response.json()['id']}/move", token, move)
    assert moved.status_code == 200, moved.content
    assert [verb for verb, _ in seen].count("BEGIN") <= 1
    assert "SAVEPOINT" not in [verb for verb, _ in seen]
    assert all(inside for verb, inside in seen if verb in WRITES), seen


@pytest.mark.django_db(transaction=True)
def test_it_runs_a_service_in_its_own_transaction_outside_a_write(alice):
    from careertips.pipeline.services import create_opportunity

    assert writes.unnested(create_opportunity) is create_opportunity
    request = RequestFactory().post(LIST)
    request.user = alice
    with writes.committing(request):
        assert writes.unnested(create_opportunity) is create_opportunity.__wrapped__


@pytest.mark.django_db(transaction=True)
def test_it_counts_refused_writes_and_turns_away_writes_past_the_limit(alice, settings):
    token = make_token(alice)
    response, seen = _statements("post", LIST, token, {"title": ""})
    assert response.status_code == 422  # the services refused it: their savepoint rolled back
    assert RateCounter.objects.get().count == 1
    response = call("post", LIST, token=token, body="not an object")
    assert response.status_code in (400, 422)  # refused before the operation ran
    assert RateCounter.objects.get().count == 2
    settings.API_RATE_LIMIT = 2
    body = {"title": "Buyer", "organization_name": "Acme", "stage": "applied"}
    response = call("post", LIST, token=token, body=body)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert not Opportunity.objects.filter(owner=alice).exists()  # nothing of it is kept


@pytest.mark.django_db(transaction=True)
def test_it_leaves_api_reads_in_autocommit(alice):
    token = make_token(alice)
    response, seen = _statements("get", LIST, token, None)
    assert response.status_code == 200
    assert ("INSERT", False) in seen  # the rate count, committed on its own
    assert not any(inside for _, inside in seen)


@pytest.mark.django_db(transaction=True)
def test_it_counts_a_write_the_services_refuse_and_keeps_none_of_it(alice):
    request = RequestFactory().post(LIST)
    request.user = alice
    setattr(request, writes.PENDING, "token:7")
    version = type(alice).objects.get(pk=alice.pk).data_version
    with pytest.raises(ValidationError), writes.committing(request):
        make_opportunity(owner=alice, title="Half made")
        raise ValidationError("Refused by a service.")
    assert not Opportunity.objects.filter(owner=alice).exists()
    assert RateCounter.objects.get(identity="token:7").count == 1
    assert type(alice).objects.get(pk=alice.pk).data_version == version
    assert not getattr(request, "member_data_changed", False)


@pytest.mark.django_db(transaction=True)
def test_it_turns_away_a_refused_write_past_the_limit_as_too_many(alice, settings):
    settings.API_RATE_LIMIT = 1
    count_request(identity="token:8", window=settings.API_RATE_WINDOW)
    request = RequestFactory().post(LIST)
    request.user = alice
    setattr(request, writes.PENDING, "token:8")
    with pytest.raises(RateLimited), writes.committing(request):
        raise ValidationError("Refused by a service.")
