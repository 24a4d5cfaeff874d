import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from careertips.api.endpoints import pipeline as pipeline_api
from careertips.api.endpoints.pipeline import OpportunityCard
from careertips.api.tests.helpers import call, make_token
from careertips.debriefs.models import Debrief
from careertips.pipeline.models import Opportunity, Source, Stage, StageChange
from careertips.pipeline.tests.helpers import make_opportunity

LIST = "/api/v1/opportunities"


@pytest.fixture
def token(alice):
    return make_token(alice)


def test_it_pages_through_every_opportunity_with_a_cursor(alice, token):
    for n in range(5):
        make_opportunity(owner=alice, title=f"Role {n}")
    seen, cursor, pages = [], None, 0
    while True:
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        body = call("get", LIST + query, token=token).json()
        seen += [row["id"] for row in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted(Opportunity.objects.values_list("id", flat=True))
    assert len(set(seen)) == 5


def test_it_reads_any_page_size_through_one_compiled_query(alice, token):
    for n in range(5):
        make_opportunity(owner=alice, title=f"Role {n}")
    pipeline_api._card_query.cache_clear()

    sizes = {}
    for limit in (1, 3, 5):
        body = call("get", f"{LIST}?limit={limit}", token=token).json()
        sizes[limit] = (len(body["items"]), body["next_cursor"] is not None)

    assert sizes == {1: (1, True), 3: (3, True), 5: (5, False)}
    assert pipeline_api._card_query.cache_info().misses == 1  # the size is a parameter


def test_it_filters_by_stage_open_closed_and_search(alice, token):
    make_opportunity(owner=alice, title="Plant Manager", stage=Stage.APPLIED)
    make_opportunity(owner=alice, title="Quality Lead", stage=Stage.WITHDRAWN)

    def titles(query: str) -> list[str]:
        return [row["title"] for row in call("get", LIST + query, token=token).json()["items"]]

    assert titles("?stage=open") == ["Plant Manager"]
    assert titles("?stage=closed") == ["Quality Lead"]
    assert titles("?stage=withdrawn") == ["Quality Lead"]
    assert titles("?q=plant") == ["Plant Manager"]


def test_it_answers_each_card_as_the_opportunity_itself_reads(alice, token):
    make_opportunity(owner=alice, title="Plant Manager", pay_min=90_000, currency="EUR")
    make_opportunity(owner=alice, title="Quality Lead", stage=Stage.INTERESTED)

    response = call("get", LIST, token=token)

    assert response["Content-Type"] == "application/json; charset=utf-8"
    cards = response.json()["items"]
    assert [card["title"] for card in cards] == ["Quality Lead", "Plant Manager"]
    for card in cards:
        detail = call("get", f"{LIST}/{card['id']}", token=token).json()
        # The same fields, in the order the schema gives them, written the same way.
        assert list(card) == list(OpportunityCard.model_fields)
        assert card == {name: detail[name] for name in card}


def test_it_combines_stage_source_and_cursor_filters(alice, token):
    for n in range(3):
        make_opportunity(owner=alice, title=f"Referral {n}", source=Source.REFERRAL)
    make_opportunity(owner=alice, title="Board", source=Source.JOB_BOARD)
    make_opportunity(owner=alice, title="Closed", source=Source.REFERRAL, stage=Stage.WITHDRAWN)

    def titles(query: str) -> tuple[list[str], str | None]:
        body = call("get", LIST + query, token=token).json()
        return [row["title"] for row in body["items"]], body["next_cursor"]

    first, cursor = titles("?stage=applied&source=referral&limit=2")
    assert first == ["Referral 2", "Referral 1"] and cursor
    assert titles(f"?stage=applied&source=referral&limit=2&cursor={cursor}") == (
        ["Referral 0"],
        None,
    )
    assert titles("?stage=open&source=job_board") == (["Board"], None)
    assert titles("?stage=closed&source=referral") == (["Closed"], None)
    assert titles(f"?q=referral&limit=2&cursor={cursor}") == (["Referral 0"], None)


def test_it_refuses_an_unknown_stage_filter_and_a_forged_cursor_at_the_field(token):
    bad_stage = call("get", LIST + "?stage=nope", token=token)
    assert bad_stage.status_code == 422
    assert bad_stage.json()["errors"][0]["field"] == "stage"
    bad_cursor = call("get", LIST + "?cursor=bm9wZQ", token=token)
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["errors"] == [
        {"field": "cursor", "message": "This cursor is not one the API gave out."}
    ]


def test_it_lists_a_page_in_a_fixed_number_of_queries(alice, token, django_assert_max_num_queries):
    for n in range(30):
        make_opportunity(owner=alice, title=f"Role {n}")
    with django_assert_max_num_queries(6):
        response = call("get", LIST, token=token)
    assert len(response.json()["items"]) == 30


def test_it_creates_an_opportunity_through_the_service(alice, token):
    body = {"title": "Plant Manager", "organization_name": "Acme", "stage": "applied"}
    response = call("post", LIST, token=token, body=body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["stage"] == "applied" and created["organization"] == "Acme"
    assert created["applied_on"] == timezone.localdate().isoformat()
    opportunity = Opportunity.objects.get(pk=created["id"], owner=alice)
    assert opportunity.stage_changes.get().to_stage == "applied"


def test_it_gives_the_pages_messages_at_the_field(token):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    body = {"title": "Plant Manager", "pay_min": 90_000, "pay_max": 50_000, "found_on": tomorrow}
    response = call("post", LIST, token=token, body=body)
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["pay_max"] == "The top of the range is below the bottom."
    assert errors["organization"] == "Choose an employer, or type a new employer's name."
    assert "future" in errors["found_on"]


def test_it_updates_only_the_fields_sent(alice, token):
    opportunity = make_opportunity(owner=alice, title="Plant Manager", location="Denver")
    path = f"{LIST}/{opportunity.pk}"
    response = call("patch", path, token=token, body={"notes": "Recruiter called."})
    assert response.status_code == 200, response.content
    opportunity.refresh_from_db()
    assert (opportunity.notes, opportunity.location) == ("Recruiter called.", "Denver")
    moved = call("patch", path, token=token, body={"organization_name": "Globex"}).json()
    assert moved["organization"] == "Globex"


def test_it_moves_and_opens_the_debrief_after_a_no(alice, token):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)
    body = {"stage": "turned_down", "note": "They chose someone internal."}
    response = call("post", f"{LIST}/{opportunity.pk}/move", token=token, body=body)
    assert response.status_code == 200, response.content
    moved = response.json()
    assert moved["opportunity"]["stage"] == "turned_down"
    assert moved["debrief_id"] == Debrief.objects.get(opportunity=opportunity).pk
    assert StageChange.objects.filter(opportunity=opportunity, to_stage="turned_down").exists()


@pytest.mark.parametrize(
    "start,to",
    [(Stage.WITHDRAWN, "applied"), (Stage.APPLIED, "applied"), (Stage.INTERESTED, "offer")],
)
def test_it_refuses_the_moves_the_board_refuses_with_the_same_message(alice, token, start, to):
    opportunity = make_opportunity(owner=alice, stage=start)
    page = Client()
    page.force_login(alice)
    page.post(f"/opportunities/{opportunity.pk}/move/", {"stage": to})
    page_message = next(iter(get_messages(page.get("/").wsgi_request))).message

    response = call("post", f"{LIST}/{opportunity.pk}/move", token=token, body={"stage": to})

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "stage", "message": page_message}]
    opportunity.refresh_from_db()
    assert opportunity.stage == start
