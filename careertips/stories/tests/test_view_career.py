"""Career enhancement pages: raise or promotion cases, career goals and milestones."""

import datetime as dt

import pytest

from careertips.core.testing import count_queries, htmx
from careertips.stories.models import (
    Milestone,
    PromotionCase,
)
from careertips.stories.tests.factories import (
    make_goal,
    make_story,
)

pytestmark = pytest.mark.django_db


# Raise or promotion case.


def _case_data(**overrides):
    data = {
        "title": "2026 review",
        "kind": "raise",
        "organization_name": "Globex",
        "started_on": "2024-02-01",
        "meeting_on": "2026-03-15",
        "current_pay": "90000",
        "target_pay": "100000",
        "currency": "usd",
        "figures": "Market median: 104,000\nTeam grew 3 → 9",
        "ask": "A raise to 100,000.",
    }
    return data | overrides


def test_it_starts_a_case_from_the_accomplishments_log(alice_client, alice):
    recent = make_story(owner=alice, title="Recent win", organization_name="Globex", year=2025)
    make_story(owner=alice, title="Old win", organization_name="Globex", year=2020)
    response = alice_client.get("/stories/cases/new/?organization=Globex&since=2024")
    form = response.context["form"]
    assert form.initial["organization_name"] == "Globex"
    assert list(form.initial["stories"]) == [recent]


def test_it_assembles_a_printable_case(alice_client, alice):
    story = make_story(owner=alice, title="Recent win", organization_name="Globex")
    response = alice_client.post("/stories/cases/new/", _case_data(stories=[story.pk]))
    case = PromotionCase.objects.get()
    assert response["Location"] == f"/stories/cases/{case.pk}/"
    assert case.currency == "USD"
    page = alice_client.get(f"/stories/cases/{case.pk}/").text
    assert "Recent win" in page and "Market median: 104,000" in page
    assert "100,000 USD (+11.1%)" in page
    assert "data-print" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"meeting_on": "2023-01-01"}, "meeting_on", "before you started"),
        ({"target_pay": "80000"}, "target_pay", "below your current pay"),
        ({"currency": "dollars"}, "currency", "three-letter"),
        ({"started_on": "2999-01-01", "meeting_on": ""}, "started_on", "in the future"),
    ],
)
def test_it_shows_case_errors_at_the_field(alice_client, overrides, field, message):
    response = alice_client.post("/stories/cases/new/", _case_data(**overrides))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not PromotionCase.objects.exists()


def test_it_refuses_another_members_story_in_a_case(alice_client, bob):
    theirs = make_story(owner=bob)
    response = alice_client.post("/stories/cases/new/", _case_data(stories=[theirs.pk]))
    assert "Select a valid choice" in str(response.context["form"].errors["stories"])


# Goals.


def test_it_shows_goal_progress(alice_client, alice):
    goal = make_goal(owner=alice, title="PMP certification")
    Milestone.objects.create(goal=goal, title="Enrol", done_on=dt.date(2026, 1, 10))
    Milestone.objects.create(goal=goal, title="Exam")
    response = alice_client.get("/stories/goals/")
    assert "1 of 2 milestones done" in response.text
    assert 'value="50"' in response.text


def test_it_lists_goals_in_a_constant_number_of_queries(alice_client, alice):
    make_goal(owner=alice)
    few = count_queries(alice_client, "/stories/goals/")
    for n in range(10):
        goal = make_goal(owner=alice, title=f"Goal {n}")
        Milestone.objects.create(goal=goal, title="Step")
    assert count_queries(alice_client, "/stories/goals/") == few


def test_it_refuses_goal_dates_out_of_order(alice_client):
    response = alice_client.post(
        "/stories/goals/new/",
        {"title": "MBA", "kind": "degree", "started_on": "2026-09-01", "target_on": "2026-01-01"},
    )
    assert "before the start date" in str(response.context["form"].errors["target_on"])


def test_it_refuses_a_milestone_after_the_target_at_the_field(alice_client, alice):
    goal = make_goal(owner=alice, started_on=dt.date(2026, 1, 1), target_on=dt.date(2026, 6, 1))
    response = alice_client.post(
        f"/stories/goals/{goal.pk}/milestones/", {"title": "Exam", "due_on": "2026-07-01"}
    )
    assert response.status_code == 200
    errors = response.context["milestone_form"].errors["due_on"]
    assert errors == ["This is after the goal's target date (01 Jun 2026)."]
    assert not goal.milestones.exists()


def test_it_toggles_a_milestone_with_htmx(alice_client, alice):
    goal = make_goal(owner=alice)
    milestone = Milestone.objects.create(goal=goal, title="Enrol")
    response = alice_client.post(f"/stories/milestones/{milestone.pk}/toggle/", headers=htmx())
    assert response.text.lstrip().startswith('<section class="card" id="milestones"')
    assert "1 of 1 done" in response.text
    milestone.refresh_from_db()
    assert milestone.done_on == alice.local_today()
