"""Every API operation that takes an id: the owner's token gets the row, another member's
token a 404, an anonymous call a 401. A path without a case here fails the first test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from careertips.api.routes import api
from careertips.api.tests.helpers import call, make_token
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.tests.helpers import make_contact
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_interview, make_opportunity


@dataclass
class ApiCase:
    method: str
    path: str
    setup: Callable[[Any], dict[str, Any]]
    body: dict[str, Any] = field(default_factory=dict)
    owner_status: int = 200

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _opportunity(user):
    return {"pk": make_opportunity(owner=user, stage=Stage.APPLIED).pk}


def _interview(user):
    return {"pk": make_interview(opportunity=make_opportunity(owner=user)).pk}


def _debrief(user):
    return {"pk": make_debrief(owner=user).pk}


def _contact(user):
    return {"pk": make_contact(owner=user).pk}


def _story(user):
    from careertips.stories.tests.factories import make_story

    return {"pk": make_story(owner=user).pk}


def _offer(user):
    from careertips.offers.tests.factories import make_offer

    return {"pk": make_offer(owner=user).pk}


def _follow_up(user):
    applied = timezone.localdate() - dt.timedelta(days=30)
    opportunity = make_opportunity(owner=user, applied_on=applied, found_on=applied)
    return {"kind": "follow-up", "pk": opportunity.pk}


NOW = "2026-01-01T09:00:00Z"
CASES = [
    ApiCase("get", "/api/v1/opportunities/{pk}", _opportunity),
    ApiCase("patch", "/api/v1/opportunities/{pk}", _opportunity, {"notes": "Called"}),
    ApiCase("post", "/api/v1/opportunities/{pk}/move", _opportunity, {"stage": "screening"}),
    ApiCase(
        "post",
        "/api/v1/opportunities/{pk}/interviews",
        _opportunity,
        {"scheduled_at": (timezone.now() + dt.timedelta(days=2)).isoformat()},
        201,
    ),
    ApiCase("get", "/api/v1/interviews/{pk}", _interview),
    ApiCase("get", "/api/v1/debriefs/{pk}", _debrief),
    ApiCase("post", "/api/v1/debriefs/{pk}/attempts", _debrief, {"outcome": "no_answer"}, 201),
    ApiCase("put", "/api/v1/debriefs/{pk}/feedback", _debrief, {"feedback": "Too junior."}),
    ApiCase("get", "/api/v1/contacts/{pk}", _contact),
    ApiCase("get", "/api/v1/contacts/{pk}/touchpoints", _contact),
    ApiCase("post", "/api/v1/contacts/{pk}/touchpoints", _contact, {"kind": "call"}, 201),
    ApiCase("get", "/api/v1/stories/{pk}", _story),
    ApiCase("get", "/api/v1/offers/{pk}", _offer),
    ApiCase("post", "/api/v1/today/{kind}/{pk}/complete", _follow_up, {}),
    ApiCase("post", "/api/v1/today/{kind}/{pk}/snooze", _follow_up, {"days": 3}),
]
# Editor resources are covered in test_api_newsletter: other members get 403 there, not 404.
EDITOR_PATHS = {
    "/api/v1/newsletter/subscribers/{pk}/unsubscribe",
    "/api/v1/newsletter/issues/{pk}",
    "/api/v1/newsletter/articles/{pk}",
}
# A coach's reads are covered in test_api_coaching: their rows are their clients'.
COACH_PATHS = {"/api/v1/coaching/clients/{member_id}/{scope}"}


def test_it_has_a_case_for_every_operation_with_an_id():
    schema = api.get_openapi_schema()
    with_ids = {
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if "{" in path and path not in EDITOR_PATHS | COACH_PATHS
    }
    covered = {(case.method, case.path) for case in CASES}
    assert with_ids - covered == set()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_it_guards_each_operation(case, alice, bob):
    path = case.path.format(**case.setup(alice))
    body = case.body

    anonymous = call(case.method, path, body=body)
    assert anonymous.status_code == 401, anonymous.content
    assert anonymous["Content-Type"] == "application/problem+json"

    other = call(case.method, path, token=make_token(bob), body=body)
    assert other.status_code == 404, other.content
    assert other.json()["status"] == 404

    owner = call(case.method, path, token=make_token(alice), body=body)
    assert owner.status_code == case.owner_status, owner.content


@pytest.mark.parametrize("case", [c for c in CASES if c.method != "get"], ids=str)
def test_it_refuses_writes_to_a_read_token(case, alice):
    path = case.path.format(**case.setup(alice))
    response = call(case.method, path, token=make_token(alice, ("read",)), body=case.body)
    assert response.status_code == 403, response.content
    assert "write scope" in response.json()["detail"]


CREATES = [
    ApiCase(
        "post",
        "/api/v1/opportunities",
        lambda user: {},
        {"title": "Buyer", "organization_name": "Acme", "stage": "applied"},
        201,
    ),
    ApiCase("post", "/api/v1/contacts", lambda user: {}, {"name": "Dana", "tags": []}, 201),
    ApiCase(
        "post",
        "/api/v1/stories",
        lambda user: {},
        {"title": "Cut costs", "challenge": "Vendors.", "action": "Merged.", "result": "18%."},
        201,
    ),
]
# What a refused write may still change: the token's last use and the member's page version.
BOOKKEEPING = {"api.apitoken", "api.ratecounter", "core.user"}


def _everything() -> dict[str, list[dict]]:
    from django.apps import apps

    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed and model._meta.label_lower not in BOOKKEEPING
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", [c for c in CASES + CREATES if c.method != "get"], ids=str)
def test_it_refuses_each_write_past_the_rate_limit_and_keeps_nothing_of_it(case, alice, settings):
    path = case.path.format(**case.setup(alice))
    token = make_token(alice)
    settings.API_RATE_LIMIT = 1
    call("get", "/api/v1/opportunities", token=token)  # the one request the window allows
    before = _everything()
    response = call(case.method, path, token=token, body=case.body)
    assert response.status_code == 429, response.content
    assert response["Retry-After"]
    assert _everything() == before
    settings.API_RATE_LIMIT = 1000
    assert call(case.method, path, token=token, body=case.body).status_code == case.owner_status
