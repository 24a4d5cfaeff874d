"""What one API call costs the database: a fixed number of queries, whatever the account holds,
and one statement for the rate limit."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careertips.api.models import RateCounter
from careertips.api.services.ratelimit import count_request
from careertips.api.tests.helpers import call, make_token
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
