import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careertips.core.testing import make_contact, make_interview, make_opportunity
from careertips.debriefs.models import Theme
from careertips.network.models import Touchpoint
from careertips.stories import services
from careertips.stories.models import (
    Competency,
    Coverage,
    Gap,
    Milestone,
    PromotionCase,
    Question,
    Story,
)
from careertips.stories.tests.factories import (
    make_gap,
    make_goal,
    make_requirement,
    make_story,
    make_theme,
)

pytestmark = pytest.mark.django_db


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


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
    few = _count_queries(alice_client, "/stories/")
    for n in range(20):
        make_story(owner=alice, title=f"Story {n}", competencies=[leadership])
    assert _count_queries(alice_client, "/stories/") == few


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
    response = alice_client.get(
        "/stories/", {"q": "launch"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
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
    few = _count_queries(alice_client, "/stories/gaps/")
    for n in range(10):
        services.gap_for_theme(theme=make_theme(owner=alice, detail=f"topic {n}"))
        make_gap(owner=alice, topic=f"gap {n + 1}")
    make_theme(owner=alice, detail="still pending")
    assert _count_queries(alice_client, "/stories/gaps/") == few


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


# Coverage.


def test_it_reads_requirements_from_a_pasted_posting(alice_client, alice):
    opportunity = make_opportunity(owner=alice)
    response = alice_client.post(
        f"/stories/coverage/{opportunity.pk}/posting/",
        {"posting": "<ul><li>Budget ownership</li><li>Hiring <b>managers</b></li></ul>"},
    )
    assert response["Location"] == f"/stories/coverage/{opportunity.pk}/"
    texts = list(opportunity.requirements.values_list("text", flat=True))
    assert texts == ["Budget ownership", "Hiring managers"]


@pytest.mark.parametrize(
    ("posting", "message"),
    [
        ("", "Paste the posting (or its requirements) first."),
        ("x" * 50_001, "Paste at most 50,000 characters"),
        ("<p>Nice office.</p>", "No requirements found"),
    ],
)
def test_it_explains_a_posting_it_cannot_use_at_the_field(alice_client, alice, posting, message):
    opportunity = make_opportunity(owner=alice)
    response = alice_client.post(
        f"/stories/coverage/{opportunity.pk}/posting/", {"posting": posting}
    )
    assert response.status_code == 200
    assert message in str(response.context["posting_form"].errors["posting"])
    assert not opportunity.requirements.exists()


def test_it_prefills_the_paste_form_with_the_saved_posting(alice_client, alice):
    opportunity = make_opportunity(owner=alice, description="- Budget ownership")
    response = alice_client.get(f"/stories/coverage/{opportunity.pk}/")
    assert response.context["posting_form"].initial["posting"] == "- Budget ownership"


def test_it_shows_covered_and_uncovered_requirements(alice_client, alice):
    opportunity = make_opportunity(owner=alice)
    covered = make_requirement(opportunity=opportunity, text="Hiring engineers")
    make_requirement(opportunity=opportunity, text="Budget ownership")
    story = make_story(owner=alice, title="Built the team", result="Hired 12 engineers.")
    Coverage.objects.create(requirement=covered, story=story)
    response = alice_client.get(f"/stories/coverage/{opportunity.pk}/")
    assert "1 of 2</strong> requirements covered" in response.text
    assert response.text.count("is-uncovered") == 1


def test_it_builds_coverage_in_queries_independent_of_the_bank(alice_client, alice):
    opportunity = make_opportunity(owner=alice)
    for text in ("Budget ownership", "Hiring engineers", "Vendor negotiation"):
        make_requirement(opportunity=opportunity, text=text)
    services.gap_for_theme(theme=make_theme(owner=alice, detail="budget ownership"))
    for n in range(3):
        make_story(owner=alice, title=f"Budget story {n}", result=f"Hired {n} engineers.")
    url = f"/stories/coverage/{opportunity.pk}/"
    few = _count_queries(alice_client, url)
    for n in range(40):
        make_story(owner=alice, title=f"Vendor budget {n}", result=f"Hired {n} engineers.")
    assert _count_queries(alice_client, url) == few


def test_it_confirms_a_suggestion_and_returns_the_partial_to_htmx(alice_client, alice):
    opportunity = make_opportunity(owner=alice)
    requirement = make_requirement(opportunity=opportunity, text="Hiring engineers")
    story = make_story(owner=alice, title="Built the team", result="Hired 12 engineers.")
    response = alice_client.post(
        f"/stories/requirements/{requirement.pk}/cover/",
        {"story": story.pk},
        headers={"HX-Request": "true"},
    )
    assert response.text.lstrip().startswith('<div id="coverage">')
    assert Coverage.objects.filter(requirement=requirement, story=story).exists()


def test_it_refuses_to_cover_with_another_members_story(alice_client, alice, bob):
    requirement = make_requirement(opportunity=make_opportunity(owner=alice))
    theirs = make_story(owner=bob)
    alice_client.post(f"/stories/requirements/{requirement.pk}/cover/", {"story": theirs.pk})
    assert not Coverage.objects.exists()


def test_it_merges_the_ticked_requirements(alice_client, alice):
    opportunity = make_opportunity(owner=alice)
    a = make_requirement(opportunity=opportunity, text="Budget ownership")
    b = make_requirement(opportunity=opportunity, text="P&L")
    response = alice_client.post(
        f"/stories/coverage/{opportunity.pk}/merge/", {"requirements": [a.pk, b.pk]}
    )
    assert response.status_code == 302
    assert list(opportunity.requirements.values_list("text", flat=True)) == [
        "Budget ownership; P&L"
    ]


def test_it_refuses_to_merge_another_postings_requirement(alice_client, alice):
    opportunity = make_opportunity(owner=alice)
    a = make_requirement(opportunity=opportunity, text="Budget ownership")
    other = make_requirement(opportunity=make_opportunity(owner=alice, title="Other"), text="X")
    response = alice_client.post(
        f"/stories/coverage/{opportunity.pk}/merge/", {"requirements": [a.pk, other.pk]}
    )
    assert "Select a valid choice" in str(response.context["merge_form"].errors["requirements"])


def test_it_edits_and_deletes_a_requirement(alice_client, alice):
    opportunity = make_opportunity(owner=alice)
    requirement = make_requirement(opportunity=opportunity, text="Budget")
    response = alice_client.post(f"/stories/requirements/{requirement.pk}/edit/", {"text": ""})
    assert "This field is required." in str(response.context["form"].errors["text"])
    alice_client.post(f"/stories/requirements/{requirement.pk}/edit/", {"text": "Budget ownership"})
    requirement.refresh_from_db()
    assert requirement.text == "Budget ownership"
    alice_client.post(f"/stories/requirements/{requirement.pk}/delete/")
    assert not opportunity.requirements.exists()


def test_it_turns_an_uncovered_requirement_into_a_gap(alice_client, alice):
    requirement = make_requirement(opportunity=make_opportunity(owner=alice), text="Budgets")
    response = alice_client.post(f"/stories/requirements/{requirement.pk}/gap/")
    gap = Gap.objects.get(requirement=requirement)
    assert response["Location"] == f"/stories/gaps/{gap.pk}/"
    assert gap.topic == "Budgets"


def test_it_shows_a_flagged_gap_with_its_note_and_stories(alice_client, alice):
    gap = services.gap_for_theme(theme=make_theme(owner=alice, detail="budget ownership"))
    story = make_story(owner=alice, title="Ran the events budget")
    services.update_gap(gap=gap, topic=gap.topic, positioning="Ran a $2M budget.", stories=[story])
    opportunity = make_opportunity(owner=alice, title="Ops Director")
    make_requirement(opportunity=opportunity, text="Budget ownership of a $5M P&L")
    response = alice_client.get(f"/stories/coverage/{opportunity.pk}/")
    assert "Gaps you have met before" in response.text
    assert "Ran a $2M budget." in response.text
    assert "Ran the events budget" in response.text


def test_it_lists_opportunities_with_their_coverage(alice_client, alice):
    opportunity = make_opportunity(owner=alice, title="Ops Director")
    make_requirement(opportunity=opportunity)
    few = _count_queries(alice_client, "/stories/coverage/")
    for n in range(10):
        make_requirement(opportunity=make_opportunity(owner=alice, title=f"Role {n}"))
    assert _count_queries(alice_client, "/stories/coverage/") == few
    assert "0 of 1" in alice_client.get("/stories/coverage/").text


def test_it_adds_and_removes_questions_to_ask(alice_client, alice):
    opportunity = make_opportunity(owner=alice)
    interview = make_interview(opportunity=opportunity)
    response = alice_client.post(
        f"/stories/coverage/{opportunity.pk}/questions/",
        {"text": "What does success look like?", "next": f"/stories/prep/{interview.pk}/"},
    )
    assert response["Location"] == f"/stories/prep/{interview.pk}/"
    question = Question.objects.get()
    response = alice_client.post(
        f"/stories/questions/{question.pk}/delete/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/stories/coverage/{opportunity.pk}/#questions"
    assert not Question.objects.exists()


# The prep sheet.


def _prepared_interview(alice):
    opportunity = make_opportunity(owner=alice, title="Operations Director", location="Denver")
    dana = make_contact(owner=alice, name="Dana Whitfield", title="VP Operations", notes="Ex-Navy")
    Touchpoint.objects.create(
        owner=alice, contact=dana, kind="coffee", happened_on=dt.date(2026, 1, 5), note="Met at ASQ"
    )
    interview = make_interview(opportunity=opportunity, kind="panel")
    interview.interviewers.add(dana)
    requirement = make_requirement(opportunity=opportunity, text="Hiring engineers")
    story = make_story(owner=alice, title="Built the team", result="Hired 12 engineers.")
    services.confirm_coverage(requirement=requirement, story=story)
    gap = services.gap_for_requirement(
        requirement=make_requirement(opportunity=opportunity, text="Budget ownership")
    )
    services.update_gap(gap=gap, topic=gap.topic, positioning="Ran a $2M budget.", stories=[])
    services.add_question(opportunity=opportunity, text="What does success look like?")
    make_theme(owner=alice, detail="stakeholder buy-in", feedback="Wanted more exec presence.")
    return interview


def test_it_assembles_the_prep_sheet(alice_client, alice):
    interview = _prepared_interview(alice)
    response = alice_client.get(f"/stories/prep/{interview.pk}/")
    text = response.text
    for expected in (
        "Operations Director at Acme Analytics",
        "Panel interview",
        "Dana Whitfield",
        "VP Operations",
        "Met at ASQ",
        "Hiring engineers",
        "Built the team",
        "Ran a $2M budget.",
        "What does success look like?",
        "Wanted more exec presence.",
        "Perceived experience gap: stakeholder buy-in",
    ):
        assert expected in text, expected
    assert "data-print" in text
    assert f'href="/stories/prep/{interview.pk}/pdf/"' in text


def test_it_builds_the_prep_sheet_in_queries_independent_of_the_bank(alice_client, alice):
    interview = _prepared_interview(alice)
    url = f"/stories/prep/{interview.pk}/"
    few = _count_queries(alice_client, url)
    for n in range(30):
        make_story(owner=alice, title=f"Hiring story {n}", result=f"Hired {n} engineers.")
    assert _count_queries(alice_client, url) == few


def test_it_downloads_the_prep_sheet_as_pdf(alice_client, alice):
    from pypdf import PdfReader

    interview = _prepared_interview(alice)
    response = alice_client.get(f"/stories/prep/{interview.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Operations Director" in text
    assert "Ran a $2M budget." in text
    assert "Mark told" not in text


def test_it_marks_a_story_told_at_the_interview(alice_client, alice):
    interview = _prepared_interview(alice)
    story = Story.objects.get(title="Built the team")
    alice_client.post(f"/stories/prep/{interview.pk}/told/", {"story": story.pk})
    assert story.uses.get().interview == interview


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
    few = _count_queries(alice_client, "/stories/goals/")
    for n in range(10):
        goal = make_goal(owner=alice, title=f"Goal {n}")
        Milestone.objects.create(goal=goal, title="Step")
    assert _count_queries(alice_client, "/stories/goals/") == few


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
    response = alice_client.post(
        f"/stories/milestones/{milestone.pk}/toggle/", headers={"HX-Request": "true"}
    )
    assert response.text.lstrip().startswith('<section class="card" id="milestones"')
    assert "1 of 1 done" in response.text
    milestone.refresh_from_db()
    assert milestone.done_on == alice.local_today()
