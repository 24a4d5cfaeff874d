import datetime as dt
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from careertips.core.testing import count_queries, htmx
from careertips.debriefs.models import Debrief
from careertips.network.tests.helpers import make_contact, make_organization
from careertips.pipeline import services
from careertips.pipeline.models import Opportunity, Stage, StageChange
from careertips.pipeline.services import move_opportunity
from careertips.pipeline.tests.helpers import make_interview, make_opportunity


def _flashes(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# The list


def test_it_lists_only_my_opportunities(alice_client, alice, bob):
    make_opportunity(owner=alice, title="Plant Manager")
    make_opportunity(owner=bob, title="Bob's secret role")

    response = alice_client.get("/opportunities/")

    assert response.status_code == 200
    assert b"Plant Manager" in response.content
    assert b"secret role" not in response.content
    assert b"1 opportunity." in response.content


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?stage=screening", "Screening role", "Applied role"),
        ("?stage=open", "Applied role", "Closed role"),
        ("?stage=closed", "Closed role", "Applied role"),
        ("?source=referral", "Applied role", "Screening role"),
        ("?q=globex", "Screening role", "Applied role"),
        ("?q=dayton", "Applied role", "Screening role"),
    ],
)
def test_it_filters_the_list(alice_client, alice, query, shown, hidden):
    make_opportunity(owner=alice, title="Applied role", source="referral", location="Dayton")
    make_opportunity(
        owner=alice,
        title="Screening role",
        stage=Stage.SCREENING,
        organization=make_organization(owner=alice, name="Globex"),
    )
    closed = make_opportunity(owner=alice, title="Closed role", stage=Stage.APPLIED)
    move_opportunity(opportunity=closed, to_stage=Stage.WITHDRAWN)

    response = alice_client.get("/opportunities/" + query)

    assert shown.encode() in response.content
    assert hidden.encode() not in response.content


def test_it_sorts_the_list_by_last_change(alice_client, alice):
    older = make_opportunity(owner=alice, title="Older role")
    newer = make_opportunity(owner=alice, title="Newer role")
    Opportunity.objects.filter(pk=older.pk).update(
        stage_changed_at=timezone.now() - dt.timedelta(days=3)
    )

    newest_first = alice_client.get("/opportunities/").content.decode()
    oldest_first = alice_client.get("/opportunities/?sort=changed").content.decode()

    assert newest_first.index("Newer role") < newest_first.index("Older role")
    assert oldest_first.index("Older role") < oldest_first.index("Newer role")
    assert newer.pk


def test_it_paginates_the_list_by_fifty(alice_client, alice):
    org = make_organization(owner=alice)
    for i in range(51):
        make_opportunity(owner=alice, organization=org, title=f"Role {i:02d}")

    first = alice_client.get("/opportunities/")
    second = alice_client.get("/opportunities/?page=2")

    assert len(first.context["page"]) == 50
    assert b"Page 1 of 2" in first.content
    assert [o.title for o in second.context["page"]] == ["Role 00"]
    assert alice_client.get("/opportunities/?page=99").context["page"].number == 2


def test_it_returns_only_the_results_to_htmx(alice_client, alice):
    make_opportunity(owner=alice, title="Plant Manager")

    response = alice_client.get("/opportunities/?q=plant", headers=htmx("results"))

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "Plant Manager" in body
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_it_returns_the_whole_page_when_htmx_restores_history(alice_client, alice):
    response = alice_client.get(
        "/opportunities/?q=plant", headers={**htmx("results"), "HX-History-Restore-Request": "true"}
    )

    assert b"<html" in response.content


def test_it_lists_with_a_constant_number_of_queries(alice_client, alice):
    def add(n):
        for _ in range(n):
            opportunity = make_opportunity(owner=alice, stage=Stage.APPLIED)
            move_opportunity(opportunity=opportunity, to_stage=Stage.SCREENING)

    add(3)
    few = count_queries(alice_client, "/opportunities/?q=manager&stage=open")
    add(27)
    many = count_queries(alice_client, "/opportunities/?q=manager&stage=open")

    assert few == many


# The board


def test_it_shows_the_board_by_stage_with_movable_cards(alice_client, alice):
    opportunity = make_opportunity(owner=alice, title="Plant Manager", stage=Stage.APPLIED)

    response = alice_client.get("/opportunities/board/")

    body = response.content.decode()
    for stage in ["interested", "applied", "screening", "interviewing", "offer", "no_response"]:
        assert f'data-stage="{stage}"' in body
    assert f'id="opp-{opportunity.pk}" data-card draggable="true"' in body
    assert f'action="/opportunities/{opportunity.pk}/move/"' in body
    assert "data-move" in body
    assert '<select name="stage"' in body
    assert '<option value="turned_down">Turned down</option>' in body
    assert "Closed</strong>" in body


def test_it_moves_a_card_with_the_token_its_own_form_carries(alice):
    opportunity = make_opportunity(owner=alice, title="Plant Manager", stage=Stage.APPLIED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    body = client.get("/opportunities/board/").content.decode()
    card = body[body.index(f'id="opp-{opportunity.pk}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', card)
    assert token is not None

    response = client.post(
        f"/opportunities/{opportunity.pk}/move/",
        {"stage": "screening", "next": "/opportunities/board/", "csrfmiddlewaretoken": token[1]},
    )

    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.SCREENING


def test_it_collapses_closed_opportunities_without_move_forms(alice_client, alice):
    opportunity = make_opportunity(owner=alice, title="Took another job", stage=Stage.OFFER)
    move_opportunity(opportunity=opportunity, to_stage=Stage.OFFER_DECLINED)

    response = alice_client.get("/opportunities/board/")

    board = response.context["board"]
    assert board.closed_count == 1
    body = response.content.decode()
    closed = body[body.index('class="card pipeline-closed"') :]
    assert "Took another job" in closed
    assert f"/opportunities/{opportunity.pk}/move/" not in body


def test_it_caps_each_column_and_links_to_the_rest(alice_client, alice, monkeypatch):
    monkeypatch.setattr(services, "BOARD_CARDS_PER_COLUMN", 2)
    for i in range(5):
        make_opportunity(owner=alice, title=f"Applied {i}", stage=Stage.APPLIED)

    response = alice_client.get("/opportunities/board/")

    body = response.content.decode()
    assert "Applied 4" in body
    assert "Applied 3" in body
    assert "Applied 2" not in body
    assert '<a href="/opportunities/?stage=applied">3 more — see list</a>' in body


def test_it_shows_the_board_with_a_constant_number_of_queries(alice_client, alice):
    def add(n):
        for i in range(n):
            opportunity = make_opportunity(owner=alice, stage=Stage.APPLIED)
            if i % 3 == 0:
                move_opportunity(opportunity=opportunity, to_stage=Stage.WITHDRAWN)

    add(3)
    few = count_queries(alice_client, "/opportunities/board/")
    add(27)
    many = count_queries(alice_client, "/opportunities/board/")

    assert few == many


# The opportunity page


def test_it_shows_the_opportunity_with_its_history(alice_client, alice):
    opportunity = make_opportunity(
        owner=alice,
        title="Plant Manager",
        stage=Stage.INTERVIEWING,
        pay_min=80_000,
        pay_max=95_000,
        posting_url="https://jobs.example.com/42",
    )
    interview = make_interview(opportunity=opportunity, kind="panel")
    interview.interviewers.add(make_contact(owner=alice, name="Kim Lee"))
    move_opportunity(opportunity=opportunity, to_stage=Stage.TURNED_DOWN, note="Internal hire")
    debrief = Debrief.objects.get(opportunity=opportunity)

    response = alice_client.get(f"/opportunities/{opportunity.pk}/")

    body = response.content.decode()
    assert "Added as Interviewing" in body
    assert "Moved from Interviewing to Turned down" in body
    assert "Internal hire" in body
    assert "Panel interview" in body
    assert "With Kim Lee" in body
    assert f'<a href="/debriefs/{debrief.pk}/">Debrief opened</a>' in body
    assert "80,000–95,000 USD" in body
    assert 'href="https://jobs.example.com/42" rel="noopener nofollow"' in body
    assert "This opportunity is closed" in body


def test_it_offers_the_allowed_moves_on_the_opportunity_page(alice_client, alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.SCREENING)

    response = alice_client.get(f"/opportunities/{opportunity.pk}/")

    values = [v for v, _ in response.context["move_form"].fields["stage"].widget.choices]
    assert values == ["", "interviewing", "offer", "turned_down", "withdrawn", "no_response"]
    assert b"Moving there opens a debrief" in response.content


def test_it_shows_the_follow_up_when_due(alice_client, alice):
    today = alice.local_today()
    due = make_opportunity(
        owner=alice, title="Waiting role", applied_on=today - dt.timedelta(days=8)
    )
    recent = make_opportunity(owner=alice, applied_on=today - dt.timedelta(days=2))

    due_page = alice_client.get(f"/opportunities/{due.pk}/").content.decode()
    recent_page = alice_client.get(f"/opportunities/{recent.pk}/").content.decode()

    assert "Time to follow up" in due_page
    assert "the Waiting role role at Acme Analytics" in due_page
    assert f'action="/opportunities/{due.pk}/follow-up/"' in due_page
    assert "Time to follow up" not in recent_page
    assert "follow-up/" not in recent_page


def test_it_shows_the_opportunity_with_a_constant_number_of_queries(alice_client, alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.APPLIED)
    url = f"/opportunities/{opportunity.pk}/"

    def add(n):
        for _ in range(n):
            move_opportunity(opportunity=opportunity, to_stage=Stage.NO_RESPONSE)
            move_opportunity(opportunity=opportunity, to_stage=Stage.SCREENING)
            Opportunity.objects.filter(pk=opportunity.pk).update(stage=Stage.APPLIED)
            interview = make_interview(opportunity=opportunity)
            interview.interviewers.add(make_contact(owner=alice))

    add(2)
    few = count_queries(alice_client, url)
    add(15)
    many = count_queries(alice_client, url)

    assert StageChange.objects.filter(opportunity=opportunity).count() == 35
    assert few == many


def test_it_hides_other_members_opportunities(alice_client, bob):
    opportunity = make_opportunity(owner=bob)

    assert alice_client.get(f"/opportunities/{opportunity.pk}/").status_code == 404
    assert (
        alice_client.post(
            f"/opportunities/{opportunity.pk}/move/", {"stage": "screening"}
        ).status_code
        == 404
    )
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.APPLIED


@pytest.mark.parametrize("url", ["/opportunities/", "/opportunities/board/", "/opportunities/new/"])
def test_it_sends_visitors_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# Moving


def test_it_moves_and_goes_back_to_the_opportunity(alice_client, alice):
    opportunity = make_opportunity(owner=alice, title="Plant Manager")

    response = alice_client.post(
        f"/opportunities/{opportunity.pk}/move/", {"stage": "screening", "note": "Call booked"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/{opportunity.pk}/"
    assert _flashes(response) == ["Moved “Plant Manager” to Screening."]
    change = StageChange.objects.latest("id")
    assert (change.to_stage, change.note) == ("screening", "Call booked")


def test_it_moves_from_the_board_back_to_the_board(alice_client, alice):
    opportunity = make_opportunity(owner=alice)

    response = alice_client.post(
        f"/opportunities/{opportunity.pk}/move/",
        {"stage": "screening", "next": "/opportunities/board/"},
    )

    assert response["Location"] == "/opportunities/board/"


def test_it_ignores_a_next_address_off_the_site(alice_client, alice):
    opportunity = make_opportunity(owner=alice)

    response = alice_client.post(
        f"/opportunities/{opportunity.pk}/move/",
        {"stage": "screening", "next": "https://evil.example.com/"},
    )

    assert response["Location"] == f"/opportunities/{opportunity.pk}/"


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        ("accepted", "An opportunity that is applied cannot move to accepted."),
        ("nonsense", "Choose one of the listed stages."),
        ("", "Choose the stage to move to."),
        ("applied", "“Operations Manager” is already at the Applied stage."),
    ],
)
def test_it_refuses_a_bad_move_with_a_message(alice_client, alice, stage, message):
    opportunity = make_opportunity(owner=alice)

    response = alice_client.post(f"/opportunities/{opportunity.pk}/move/", {"stage": stage})

    assert response.status_code == 302
    assert _flashes(response) == [message]
    assert opportunity.stage_changes.count() == 1


def test_it_refuses_a_move_the_service_rejects(alice_client, alice, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError({"stage": "Someone else moved it first."})

    monkeypatch.setattr("careertips.pipeline.views.opportunities.move_opportunity", refuse)
    opportunity = make_opportunity(owner=alice)

    response = alice_client.post(f"/opportunities/{opportunity.pk}/move/", {"stage": "screening"})

    assert response.status_code == 302
    assert _flashes(response) == ["Someone else moved it first."]


def test_it_swaps_the_board_in_place_for_htmx(alice_client, alice):
    opportunity = make_opportunity(owner=alice, title="Plant Manager")

    response = alice_client.post(
        f"/opportunities/{opportunity.pk}/move/",
        {"stage": "interviewing", "next": "/opportunities/board/"},
        headers=htmx("board"),
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="board"')
    assert "<html" not in body
    assert 'id="messages"' in body and 'data-hx-swap-oob="true"' in body
    assert "Moved “Plant Manager” to Interviewing." in body
    column = body[body.index('data-stage="interviewing"') :]
    assert column.index("Plant Manager") < column.index('data-stage="offer"')


def test_it_shows_a_refused_htmx_move_on_the_board(alice_client, alice):
    opportunity = make_opportunity(owner=alice)

    response = alice_client.post(
        f"/opportunities/{opportunity.pk}/move/",
        {"stage": "accepted", "next": "/opportunities/board/"},
        headers=htmx("board"),
    )

    assert response.status_code == 200
    assert "cannot move to accepted" in response.content.decode()


def test_it_sends_a_turned_down_move_to_the_debrief(alice_client, alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)

    response = alice_client.post(
        f"/opportunities/{opportunity.pk}/move/",
        {"stage": "turned_down", "next": "/opportunities/board/"},
    )

    debrief = Debrief.objects.get(opportunity=opportunity)
    assert response.status_code == 302
    assert response["Location"] == f"/debriefs/{debrief.pk}/"
    assert _flashes(response) == ["Sorry about this one. Here's your debrief plan."]


def test_it_sends_a_turned_down_htmx_move_to_the_debrief(alice_client, alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.SCREENING)

    response = alice_client.post(
        f"/opportunities/{opportunity.pk}/move/",
        {"stage": "turned_down", "next": "/opportunities/board/"},
        headers=htmx("board"),
    )

    debrief = Debrief.objects.get(opportunity=opportunity)
    assert response["HX-Redirect"] == f"/debriefs/{debrief.pk}/"


def test_it_only_moves_on_post(alice_client, alice):
    opportunity = make_opportunity(owner=alice)

    response = alice_client.get(f"/opportunities/{opportunity.pk}/move/?stage=screening")

    assert response.status_code == 405
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.APPLIED


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/opportunities/{pk}/move/", {"stage": "screening"}),
        ("/opportunities/{pk}/follow-up/", {}),
        ("/opportunities/{pk}/delete/", {}),
        ("/opportunities/new/", {"title": "X", "organization_name": "Y"}),
    ],
)
def test_it_refuses_a_post_without_a_csrf_token(alice, path, data):
    opportunity = make_opportunity(owner=alice)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.post(path.format(pk=opportunity.pk), data)

    assert response.status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.APPLIED
    assert Opportunity.objects.count() == 1


def test_it_shows_a_coachs_comments_beside_each_offer_of_the_opportunity(alice_client, alice):
    from careertips.coaching.models import Comment
    from careertips.offers.services.lifecycle import create_offer
    from careertips.offers.tests.factories import make_offer

    first = make_offer(owner=alice, employer="Initech")
    revised = create_offer(opportunity=first.opportunity, base_salary=105_000)
    for offer, body in [(first, "Ask about the bonus."), (revised, "Much better: <take it>.")]:
        Comment.objects.create(
            member=alice, coach_name="Robin Coach", kind="offer", object_id=offer.pk,
            title="Offer", body=body,
        )  # fmt: skip

    body = alice_client.get(f"/opportunities/{first.opportunity_id}/").content.decode()

    assert body.index("Much better: &lt;take it&gt;.") < body.index("Ask about the bonus.")


# Following up


@time_machine.travel(dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC), tick=False)
def test_it_records_a_follow_up(alice_client, alice):
    opportunity = make_opportunity(owner=alice, applied_on=dt.date(2026, 3, 10))

    response = alice_client.post(f"/opportunities/{opportunity.pk}/follow-up/")

    opportunity.refresh_from_db()
    assert opportunity.followed_up_on == dt.date(2026, 3, 20)
    assert response["Location"] == f"/opportunities/{opportunity.pk}/"
    assert _flashes(response) == [
        "Noted: you followed up today. If there is still no reply, we will remind you on Mar 27."
    ]


def test_it_records_a_follow_up_in_place_for_htmx(alice_client, alice):
    opportunity = make_opportunity(
        owner=alice, applied_on=alice.local_today() - dt.timedelta(days=9)
    )

    response = alice_client.post(
        f"/opportunities/{opportunity.pk}/follow-up/", headers=htmx("follow-up")
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="follow-up">')
    assert "Noted: you followed up today." in body
    assert "<html" not in body


def test_it_refuses_a_follow_up_on_a_closed_opportunity(alice_client, alice):
    opportunity = make_opportunity(owner=alice)
    move_opportunity(opportunity=opportunity, to_stage=Stage.WITHDRAWN)

    response = alice_client.post(f"/opportunities/{opportunity.pk}/follow-up/")

    opportunity.refresh_from_db()
    assert opportunity.followed_up_on is None
    assert _flashes(response) == ["This opportunity is closed; there is nothing to follow up."]


def test_it_sends_htmx_from_other_pages_to_a_full_page(alice_client, alice):
    opportunity = make_opportunity(
        owner=alice, applied_on=alice.local_today() - dt.timedelta(days=9)
    )

    moved = alice_client.post(
        f"/opportunities/{opportunity.pk}/move/", {"stage": "screening"}, headers=htmx("today-item")
    )
    followed = alice_client.post(
        f"/opportunities/{opportunity.pk}/follow-up/", {"next": "/today/"}, headers=htmx()
    )

    assert moved["HX-Redirect"] == f"/opportunities/{opportunity.pk}/"
    assert followed["HX-Redirect"] == "/today/"


def test_it_invites_a_new_member_to_add_the_first_opportunity(alice_client):
    response = alice_client.get("/opportunities/board/")

    assert b"Your board is empty." in response.content
    assert b'href="/opportunities/new/"' in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/opportunities/99999999999999999999999/",
        "/opportunities/interviews/99999999999999999999999/edit/",
    ],
)
def test_it_answers_an_absurd_id_with_not_found(alice_client, url):
    assert alice_client.get(url).status_code == 404


def test_it_ignores_an_absurd_employer_id_in_the_address(alice_client):
    response = alice_client.get("/opportunities/new/?organization=99999999999999999999999")

    assert response.status_code == 200
    assert response.context["form"].initial["organization"] is None
