"""Coverage pages: a job's requirements against the story bank, and the interview prep sheet."""

import datetime as dt
import io

import pytest

from careertips.core.testing import count_queries, htmx
from careertips.network.models import Touchpoint
from careertips.network.tests.helpers import make_contact, make_organization
from careertips.pipeline.tests.helpers import make_interview, make_opportunity
from careertips.stories import services
from careertips.stories.models import (
    Coverage,
    Gap,
    Question,
    Story,
)
from careertips.stories.tests.factories import (
    make_requirement,
    make_story,
    make_theme,
)

pytestmark = pytest.mark.django_db


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
    few = count_queries(alice_client, url)
    for n in range(40):
        make_story(owner=alice, title=f"Vendor budget {n}", result=f"Hired {n} engineers.")
    assert count_queries(alice_client, url) == few


def test_it_confirms_a_suggestion_and_returns_the_partial_to_htmx(alice_client, alice):
    opportunity = make_opportunity(owner=alice)
    requirement = make_requirement(opportunity=opportunity, text="Hiring engineers")
    story = make_story(owner=alice, title="Built the team", result="Hired 12 engineers.")
    response = alice_client.post(
        f"/stories/requirements/{requirement.pk}/cover/",
        {"story": story.pk},
        headers=htmx(),
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


def test_it_says_where_each_flagged_gap_was_met_in_a_fixed_number_of_queries(alice_client, alice):
    awkward = "<b>\"Lead\" & 'Co'</b>"
    employer = make_organization(owner=alice, name=awkward)
    debriefed = make_opportunity(owner=alice, title=f"Finance {awkward}", organization=employer)
    services.gap_for_theme(theme=make_theme(owner=alice, detail="budget", opportunity=debriefed))
    opportunity = make_opportunity(owner=alice, title="Ops Director")
    make_requirement(opportunity=opportunity, text="Budget ownership")
    url = f"/stories/coverage/{opportunity.pk}/"
    few = count_queries(alice_client, url)
    earlier = make_opportunity(owner=alice, title=f"Buyer {awkward}", organization=employer)
    asked = make_requirement(opportunity=earlier, text="Budget ownership")
    services.gap_for_requirement(requirement=asked)
    assert count_queries(alice_client, url) == few
    page = alice_client.get(url).text
    escaped = "&lt;b&gt;&quot;Lead&quot; &amp; &#x27;Co&#x27;&lt;/b&gt;"
    assert f"Raised in your debrief with {escaped} (Finance {escaped})." in page
    assert f"Asked for by Buyer {escaped} at {escaped}." in page
    assert awkward not in page


def test_it_lists_opportunities_with_their_coverage(alice_client, alice):
    opportunity = make_opportunity(owner=alice, title="Ops Director")
    make_requirement(opportunity=opportunity)
    few = count_queries(alice_client, "/stories/coverage/")
    for n in range(10):
        make_requirement(opportunity=make_opportunity(owner=alice, title=f"Role {n}"))
    assert count_queries(alice_client, "/stories/coverage/") == few
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
    few = count_queries(alice_client, url)
    for n in range(30):
        make_story(owner=alice, title=f"Hiring story {n}", result=f"Hired {n} engineers.")
    assert count_queries(alice_client, url) == few


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
