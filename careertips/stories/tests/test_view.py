import datetime as dt

import pytest
import time_machine

from careertips.core.testing import count_queries, htmx
from careertips.debriefs.models import Theme
from careertips.pipeline.tests.helpers import make_interview, make_opportunity
from careertips.stories import services
from careertips.stories.models import (
    Competency,
    Gap,
    Story,
)
from careertips.stories.tests.factories import (
    make_competency,
    make_gap,
    make_story,
    make_theme,
)

pytestmark = pytest.mark.django_db


def _story_data(**overrides):
    data = {
        "title": "Rescued the launch",
        "challenge": "The launch was slipping by a month.",
        "action": "Cut scope with the client and ran daily stand-ups.",
        "result": "Shipped on time; 40% more sign-ups than planned.",
        "organization_name": "Northwind",
        "role": "Project lead",
        "year": "2023",
        "strength": "4",
    }
    return data | overrides


# The story bank.


def test_it_lists_only_the_members_stories(alice_client, alice, bob):
    make_story(owner=alice, title="Rescued the launch")
    make_story(owner=bob, title="Bob's secret story")
    response = alice_client.get("/stories/")
    assert "Rescued the launch" in response.text
    assert "secret" not in response.text


def test_it_lists_stories_in_a_constant_number_of_queries(alice_client, alice):
    leadership = Competency.objects.get(name="Team leadership")
    make_story(owner=alice, competencies=[leadership])
    few = count_queries(alice_client, "/stories/")
    for n in range(20):
        make_story(owner=alice, title=f"Story {n}", competencies=[leadership])
    assert count_queries(alice_client, "/stories/") == few


def test_it_lists_each_storys_competencies_in_name_order_escaped(alice_client, alice, bob):
    zoning = make_competency(owner=alice, name="Zoning <law>")
    budgets = make_competency(owner=alice, name="budgets & P&L")
    make_story(owner=alice, title="Two tags", competencies=[zoning, budgets])
    make_story(owner=alice, title="No tags")
    make_story(owner=bob, title="Bob's", competencies=[make_competency(owner=bob, name="Secret")])
    response = alice_client.get("/stories/")
    assert '<div class="muted small">budgets &amp; P&amp;L · Zoning &lt;law&gt;</div>' in (
        response.text
    )
    assert response.text.count('<div class="muted small"></div>') == 1
    assert "Secret" not in response.text


def test_it_pages_through_the_bank_newest_first(alice_client, alice, bob):
    for n in range(52):
        make_story(owner=alice, title=f"Story {n:02}")
    make_story(owner=bob, title="Bob's story")
    first = alice_client.get("/stories/").text
    assert first.count("<tr>") == 51 and "Page 1 of 2" in first  # 50, and the heading
    assert "Story 51" in first and "Story 02" in first and "Story 01" not in first
    second = alice_client.get("/stories/", {"page": "2"}).text
    assert "Story 01" in second and "Story 00" in second and "Story 02" not in second
    assert "Page 2 of 2" in second and "Bob" not in second
    assert "Page 2 of 2" in alice_client.get("/stories/", {"page": "9"}).text


def test_it_filters_the_bank_by_competency(alice_client, alice):
    leadership = Competency.objects.get(name="Team leadership")
    make_story(owner=alice, title="Led the team", competencies=[leadership])
    make_story(owner=alice, title="Cut costs")
    page = alice_client.get("/stories/").text
    assert f'<option value="{leadership.pk}">Team leadership</option>' in page
    page = alice_client.get("/stories/", {"competency": leadership.pk}).text
    assert f'<option value="{leadership.pk}" selected>Team leadership</option>' in page
    assert "Led the team" in page and "Cut costs" not in page


def test_it_searches_the_bank_by_full_text(alice_client, alice):
    make_story(owner=alice, title="Owned the budget", result="Kept budgets of $4M on plan.")
    make_story(owner=alice, title="Hired a team", result="Hired 12 engineers.")
    response = alice_client.get("/stories/", {"q": "budget"})
    assert "Owned the budget" in response.text
    assert "Hired a team" not in response.text


def test_it_shows_the_accomplishments_log_since_a_start(alice_client, alice):
    make_story(owner=alice, title="Old win", organization_name="Globex", year=2019)
    make_story(owner=alice, title="New win", organization_name="Globex", year=2024)
    make_story(owner=alice, title="Elsewhere", organization_name="Initech", year=2024)
    response = alice_client.get("/stories/", {"organization": "Globex", "since": "2023"})
    assert "Accomplishments at Globex since 2023" in response.text
    assert "New win" in response.text
    assert "Old win" not in response.text and "Elsewhere" not in response.text
    assert "/stories/cases/new/?organization=Globex&amp;since=2023" in response.text


def test_it_returns_the_results_partial_to_htmx(alice_client, alice):
    make_story(owner=alice, title="Rescued the launch")
    response = alice_client.get("/stories/", {"q": "launch"}, headers=htmx("results"))
    assert response.text.lstrip().startswith('<div id="results">')
    assert "<html" not in response.text


def test_it_adds_a_story_with_its_first_revision(alice_client, alice):
    leadership = Competency.objects.get(name="Team leadership")
    response = alice_client.post(
        "/stories/new/", _story_data(competencies=[leadership.pk]), follow=True
    )
    story = Story.objects.get(owner=alice)
    assert response.redirect_chain[-1][0] == f"/stories/{story.pk}/"
    assert list(story.competencies.all()) == [leadership]
    assert story.revisions.get().title == "Rescued the launch"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("strength", "9", "less than or equal to 5"),
        ("year", "2999", "That year has not happened yet."),
        ("year", "1900", "greater than or equal to 1950"),
        ("result", "x" * 5001, "at most 5000 characters"),
    ],
)
def test_it_shows_story_errors_at_the_field(alice_client, field, value, message):
    response = alice_client.post("/stories/new/", _story_data(**{field: value}))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not Story.objects.exists()


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
def test_it_refuses_a_story_from_the_future(alice_client):
    response = alice_client.post("/stories/new/", _story_data(year="2027"))
    assert response.context["form"].errors["year"] == ["That year has not happened yet."]


def test_it_refuses_another_members_competency_at_the_field(alice_client, bob):
    theirs = Competency.objects.create(owner=bob, name="Bob only")
    response = alice_client.post("/stories/new/", _story_data(competencies=[theirs.pk]))
    assert "Select a valid choice" in str(response.context["form"].errors["competencies"])


def test_it_saves_an_edit_as_a_new_revision(alice_client, alice):
    story = make_story(owner=alice, title="Rescued the launch")
    response = alice_client.post(f"/stories/{story.pk}/edit/", _story_data(strength="5"))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.strength == 5
    assert story.revisions.count() == 2


def test_it_keeps_the_story_unchanged_when_an_edit_is_invalid(alice_client, alice):
    story = make_story(owner=alice, title="Rescued the launch")
    response = alice_client.post(f"/stories/{story.pk}/edit/", _story_data(title=""))
    assert response.status_code == 200
    story.refresh_from_db()
    assert story.title == "Rescued the launch"
    assert story.revisions.count() == 1


def test_it_shows_a_diff_escaped(alice_client, alice):
    story = make_story(owner=alice, title="Plain title")
    services.update_story(story=story, title="<script>alert(1)</script>")
    response = alice_client.get(f"/stories/{story.pk}/diff/", {"a": 1, "b": 2})
    assert '<span class="diff-remove">-Title: Plain title</span>' in response.text
    assert "+Title: &lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)" not in response.text


def test_it_asks_for_two_different_revisions(alice_client, alice):
    story = make_story(owner=alice)
    services.update_story(story=story, strength=5)
    response = alice_client.get(f"/stories/{story.pk}/diff/", {"a": 2, "b": 2})
    assert response.context["form"].errors["b"] == ["Pick two different revisions."]
    response = alice_client.get(f"/stories/{story.pk}/diff/", {"a": 1, "b": 7})
    assert "Select a valid choice" in str(response.context["form"].errors["b"])


def test_it_shows_where_a_story_was_used_and_what_feedback_touched_it(alice_client, alice):
    theme = make_theme(owner=alice, theme=Theme.STORY_NOT_STRONG, detail="the launch story")
    story = make_story(owner=alice, theme=theme)
    interview = make_interview(opportunity=make_opportunity(owner=alice, title="PM"))
    alice_client.post(f"/stories/{story.pk}/uses/", {"interview": interview.pk, "note": "Led"})
    response = alice_client.get(f"/stories/{story.pk}/")
    assert "PM at Acme Analytics" in response.text
    assert "Accomplishment story not strong enough: the launch story" in response.text


def test_it_refuses_another_members_interview_at_the_field(alice_client, alice, bob):
    story = make_story(owner=alice)
    interview = make_interview(opportunity=make_opportunity(owner=bob))
    response = alice_client.post(f"/stories/{story.pk}/uses/", {"interview": interview.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["use_form"].errors["interview"])


def test_it_adds_and_removes_own_competencies(alice_client, alice):
    alice_client.post("/stories/competencies/", {"name": "Forecasting"})
    own = Competency.objects.get(owner=alice)
    response = alice_client.post("/stories/competencies/", {"name": "forecasting"})
    assert "already in your list" in str(response.context["form"].errors["name"])
    alice_client.post(f"/stories/competencies/{own.pk}/delete/")
    assert not Competency.objects.filter(owner=alice).exists()


def test_it_does_not_let_a_member_delete_a_shared_competency(alice_client):
    shared = Competency.objects.get(name="Team leadership")
    response = alice_client.post(f"/stories/competencies/{shared.pk}/delete/")
    assert response.status_code == 404


# Debrief themes.


def test_it_turns_a_perceived_gap_into_a_gap_page(alice_client, alice):
    theme = make_theme(owner=alice, theme=Theme.EXPERIENCE_GAP, detail="budget ownership")
    response = alice_client.get(f"/stories/from-theme/{theme.pk}/")
    gap = Gap.objects.get(theme=theme)
    assert response["Location"] == f"/stories/gaps/{gap.pk}/"
    alice_client.post(f"/stories/from-theme/{theme.pk}/")
    assert Gap.objects.count() == 1


def test_it_offers_the_stories_to_revise_for_a_weak_story(alice_client, alice):
    theme = make_theme(owner=alice, theme=Theme.STORY_NOT_STRONG, detail="vendor costs")
    story = make_story(owner=alice, title="Cut vendor costs")
    response = alice_client.get(f"/stories/from-theme/{theme.pk}/")
    assert response.context["ranked"] == [story]
    assert f"/stories/new/?theme={theme.pk}" in response.text
    response = alice_client.post(f"/stories/from-theme/{theme.pk}/", {"story": story.pk})
    assert response["Location"] == f"/stories/{story.pk}/edit/"
    assert list(story.feedback_themes.all()) == [theme]


def test_it_refuses_another_members_story_for_a_theme(alice_client, alice, bob):
    theme = make_theme(owner=alice, theme=Theme.STORY_NOT_STRONG)
    theirs = make_story(owner=bob)
    response = alice_client.post(f"/stories/from-theme/{theme.pk}/", {"story": theirs.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["form"].errors["story"])


def test_it_prefills_a_new_story_from_the_feedback(alice_client, alice):
    theme = make_theme(owner=alice, theme=Theme.STORY_NOT_STRONG, detail="vendor costs")
    response = alice_client.get(f"/stories/new/?theme={theme.pk}")
    assert response.context["form"].initial["title"] == "vendor costs"
    alice_client.post("/stories/new/", _story_data(theme=theme.pk))
    assert services.story_for_theme(theme=theme).title == "Rescued the launch"


def test_it_ignores_another_members_theme_for_a_new_story(alice_client, alice, bob):
    theirs = make_theme(owner=bob, theme=Theme.STORY_NOT_STRONG, detail="bob's secret")
    response = alice_client.get(f"/stories/new/?theme={theirs.pk}")
    assert "bob&#x27;s secret" not in response.text and "bob's secret" not in response.text


# Gaps.


def test_it_lists_gaps_and_feedback_waiting_to_become_gaps(alice_client, alice):
    make_theme(owner=alice, detail="budget ownership")
    make_gap(owner=alice, topic="public speaking")
    response = alice_client.get("/stories/gaps/")
    assert "Heard in debriefs" in response.text and "budget ownership" in response.text
    assert "public speaking" in response.text


def test_it_lists_gaps_in_a_constant_number_of_queries(alice_client, alice):
    make_gap(owner=alice, topic="gap 0")
    few = count_queries(alice_client, "/stories/gaps/")
    for n in range(10):
        services.gap_for_theme(theme=make_theme(owner=alice, detail=f"topic {n}"))
        make_gap(owner=alice, topic=f"gap {n + 1}")
    make_theme(owner=alice, detail="still pending")
    assert count_queries(alice_client, "/stories/gaps/") == few


def test_it_saves_a_positioning_note_and_supporting_stories(alice_client, alice):
    gap = make_gap(owner=alice)
    story = make_story(owner=alice, title="Ran the events budget")
    response = alice_client.post(
        f"/stories/gaps/{gap.pk}/",
        {
            "topic": "budget ownership",
            "positioning": "Ran a $2M events budget.",
            "stories": [story.pk],
        },
    )
    assert response.status_code == 302
    gap.refresh_from_db()
    assert gap.positioning == "Ran a $2M events budget."
    assert list(gap.stories.all()) == [story]


def test_it_refuses_another_members_story_for_a_gap(alice_client, alice, bob):
    gap = make_gap(owner=alice)
    theirs = make_story(owner=bob)
    response = alice_client.post(
        f"/stories/gaps/{gap.pk}/", {"topic": "budget ownership", "stories": [theirs.pk]}
    )
    assert "Select a valid choice" in str(response.context["form"].errors["stories"])
    assert not gap.stories.exists()
