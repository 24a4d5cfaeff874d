import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from careertips.debriefs.models import Theme
from careertips.pipeline.tests.helpers import make_interview, make_opportunity
from careertips.stories import reports, services
from careertips.stories.models import Coverage, Gap, Requirement, StoryRevision, StoryUse
from careertips.stories.posting import split_posting
from careertips.stories.search import search_terms
from careertips.stories.tests.factories import (
    index_count,
    make_competency,
    make_gap,
    make_requirement,
    make_story,
    make_theme,
)

pytestmark = pytest.mark.django_db


# The story bank.


def test_it_keeps_a_revision_for_every_change(alice):
    story = make_story(owner=alice, strength=2)
    assert services.update_story(story=story, result="Saved $1.5M a year.", strength=4)
    assert not services.update_story(story=story, result="Saved $1.5M a year.")
    revisions = list(story.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].result == "Saved $1.2M a year (18% of spend)."
    assert (revisions[1].result, revisions[1].strength) == ("Saved $1.5M a year.", 4)


def test_it_records_competency_changes_as_a_revision(alice):
    forecasting = make_competency(owner=alice, name="Forecasting")
    story = make_story(owner=alice)
    assert services.update_story(story=story, competencies=[forecasting])
    assert story.revisions.get(number=2).competencies == "Forecasting"


def test_it_refuses_another_members_competency(alice, bob):
    theirs = make_competency(owner=bob, name="Secret sauce")
    with pytest.raises(ValidationError) as error:
        make_story(owner=alice, competencies=[theirs])
    assert "competencies" in error.value.message_dict


def test_it_diffs_two_revisions_line_by_line(alice):
    story = make_story(owner=alice, title="Cut <b>costs</b>")
    services.update_story(story=story, result="Saved $2M.")
    older, newer = story.revisions.order_by("number")
    lines = services.diff_revisions(older=older, newer=newer)
    assert ("remove", "-Saved $1.2M a year (18% of spend).") in [(x.kind, x.text) for x in lines]
    assert ("add", "+Saved $2M.") in [(x.kind, x.text) for x in lines]
    assert lines[0].kind == "file"


def test_it_removes_a_deleted_story_from_the_index(alice):
    story = make_story(owner=alice)
    assert index_count("stories_story_fts") == 1
    services.delete_story(story=story)
    assert index_count("stories_story_fts") == 0


def test_it_records_a_story_use_once_per_interview(alice):
    story = make_story(owner=alice)
    interview = make_interview(opportunity=make_opportunity(owner=alice))
    services.record_story_use(story=story, interview=interview, note="Opened with it")
    services.record_story_use(story=story, interview=interview, note="Closed with it")
    assert list(StoryUse.objects.values_list("note", flat=True)) == ["Closed with it"]


def test_it_refuses_a_story_use_at_another_members_interview(alice, bob):
    interview = make_interview(opportunity=make_opportunity(owner=bob))
    with pytest.raises(ValidationError):
        services.record_story_use(story=make_story(owner=alice), interview=interview)


def test_it_refuses_a_competency_already_in_the_list(alice):
    with pytest.raises(ValidationError) as error:
        services.add_competency(owner=alice, name="  team   LEADERSHIP ")
    assert "already" in error.value.message_dict["name"][0]


def test_it_reindexes_stories_when_a_competency_is_removed(alice):
    forecasting = make_competency(owner=alice, name="Forecasting")
    make_story(owner=alice, title="Quarterly plan", competencies=[forecasting])
    assert reports.search_stories(owner=alice, text="forecasting")
    services.delete_competency(competency=forecasting)
    assert reports.search_stories(owner=alice, text="forecasting") == []


# Full-text ranking.


def test_it_ranks_the_most_relevant_story_first(alice):
    make_story(owner=alice, title="Hired a team", result="Hired 12 engineers in 6 months.")
    budget = make_story(
        owner=alice,
        title="Owned a $4M budget",
        result="Kept budget ownership of $4M with zero overrun.",
    )
    ranked = reports.rank_stories(owner=alice, texts={0: "Budget ownership for a P&L"}, limit=3)
    assert ranked[0][0] == budget


def test_it_never_suggests_another_members_stories(alice, bob):
    make_story(owner=bob, title="Budget ownership", result="Owned the budget.")
    assert reports.rank_stories(owner=alice, texts={0: "budget ownership"}, limit=3) == {}


def test_it_ignores_stop_words_and_boilerplate():
    assert search_terms("5+ years of experience with budget ownership") == ["budget", "ownership"]


def test_it_rebuilds_the_index_from_the_tables(alice):
    make_story(owner=alice, title="Budget ownership")
    make_requirement(opportunity=make_opportunity(owner=alice))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM stories_story_fts")
    assert services.rebuild_search_index() == (1, 1)
    assert reports.search_stories(owner=alice, text="budget")


# Debrief themes.


def test_it_turns_a_gap_theme_into_one_gap(alice):
    theme = make_theme(owner=alice, theme=Theme.EXPERIENCE_GAP, detail="budget ownership")
    first = services.gap_for_theme(theme=theme)
    again = services.gap_for_theme(theme=theme)
    assert first == again
    assert (first.topic, first.owner) == ("budget ownership", alice)
    assert Gap.objects.count() == 1


def test_it_names_a_gap_without_detail_after_the_role(alice):
    theme = make_theme(owner=alice, theme=Theme.SKILLS_GAP, detail="")
    gap = services.gap_for_theme(theme=theme)
    assert gap.topic == "Skills gap (Finance Manager)"


def test_it_lists_gap_themes_not_yet_worked_on(alice):
    theme = make_theme(owner=alice)
    assert list(services.pending_gap_themes(owner=alice)) == [theme]
    services.gap_for_theme(theme=theme)
    assert list(services.pending_gap_themes(owner=alice)) == []


def test_it_finds_the_story_a_theme_is_about(alice):
    theme = make_theme(owner=alice, theme=Theme.STORY_NOT_STRONG, detail="the launch")
    assert services.story_for_theme(theme=theme) is None
    story = make_story(owner=alice, title="The launch", theme=theme)
    assert services.story_for_theme(theme=theme) == story


def test_it_refuses_to_link_feedback_to_another_members_story(alice, bob):
    theme = make_theme(owner=alice, theme=Theme.STORY_NOT_STRONG)
    with pytest.raises(ValidationError):
        services.link_theme_to_story(theme=theme, story=make_story(owner=bob))


# Postings and requirements.


POSTING = """About Northwind: we ship things.

What you'll bring:
- 5+ years of experience with budget ownership
• Ability to lead a team of 10
1. Advanced SQL
2) Stakeholder management
- Advanced SQL

You will own the quarterly plan. We offer free lunch.
"""


def test_it_splits_a_posting_into_requirement_lines():
    assert split_posting(POSTING) == [
        "5+ years of experience with budget ownership",
        "Ability to lead a team of 10",
        "Advanced SQL",
        "Stakeholder management",
        "You will own the quarterly plan.",
    ]


def test_it_strips_pasted_html_safely():
    html = (
        "<h2>Requirements</h2><ul><li>Budget <b>ownership</b> &amp; P&amp;L</li>"
        '<li onclick="x()">Hiring</li></ul><script>alert("x")</script><style>li{}</style>'
    )
    assert split_posting(html) == ["Budget ownership & P&L", "Hiring"]


def test_it_adds_requirements_without_duplicates(alice):
    opportunity = make_opportunity(owner=alice)
    first = services.add_requirements_from_posting(opportunity=opportunity, posting=POSTING)
    again = services.add_requirements_from_posting(
        opportunity=opportunity, posting=POSTING + "\n- Hiring"
    )
    assert len(first) == 5
    assert [r.text for r in again] == ["Hiring"]
    assert list(opportunity.requirements.values_list("position", flat=True)) == list(range(6))


@pytest.mark.parametrize(
    ("posting", "message"),
    [
        ("   ", "Paste the posting"),
        ("x" * 50_001, "at most 50,000"),
        ("We are a friendly company. Lunch is free.", "No requirements found"),
        ("\n".join(f"- Requirement number {n}" for n in range(201)), "limit is 200"),
    ],
)
def test_it_explains_postings_it_cannot_use(alice, posting, message):
    with pytest.raises(ValidationError) as error:
        services.add_requirements_from_posting(
            opportunity=make_opportunity(owner=alice), posting=posting
        )
    assert message in error.value.message_dict["posting"][0]


def test_it_replaces_requirements_when_asked(alice):
    opportunity = make_opportunity(owner=alice)
    make_requirement(opportunity=opportunity, text="Old line")
    services.add_requirements_from_posting(
        opportunity=opportunity, posting="- New line", replace=True
    )
    assert list(opportunity.requirements.values_list("text", flat=True)) == ["New line"]
    assert index_count("stories_requirement_fts") == 1


def test_it_merges_requirements_keeping_stories_and_gap(alice):
    opportunity = make_opportunity(owner=alice)
    a = make_requirement(opportunity=opportunity, text="Budget ownership.")
    b = make_requirement(opportunity=opportunity, text="P&L responsibility")
    story = make_story(owner=alice)
    services.confirm_coverage(requirement=b, story=story)
    gap = services.gap_for_requirement(requirement=b)
    merged = services.merge_requirements(requirements=[b, a])
    assert merged.pk == a.pk
    assert merged.text == "Budget ownership; P&L responsibility"
    assert list(merged.coverages.values_list("story", flat=True)) == [story.pk]
    gap.refresh_from_db()
    assert gap.requirement_id == a.pk
    assert not Requirement.objects.filter(pk=b.pk).exists()


def test_it_refuses_to_merge_a_single_requirement(alice):
    requirement = make_requirement(opportunity=make_opportunity(owner=alice))
    with pytest.raises(ValidationError):
        services.merge_requirements(requirements=[requirement])


def test_it_confirms_coverage_once(alice):
    requirement = make_requirement(opportunity=make_opportunity(owner=alice))
    story = make_story(owner=alice)
    services.confirm_coverage(requirement=requirement, story=story)
    services.confirm_coverage(requirement=requirement, story=story)
    assert Coverage.objects.count() == 1


def test_it_refuses_coverage_by_another_members_story(alice, bob):
    requirement = make_requirement(opportunity=make_opportunity(owner=alice))
    with pytest.raises(ValidationError):
        services.confirm_coverage(requirement=requirement, story=make_story(owner=bob))


# The coverage report.


def test_it_suggests_stories_for_uncovered_requirements(alice):
    opportunity = make_opportunity(owner=alice)
    requirement = make_requirement(opportunity=opportunity, text="Experience hiring engineers")
    hiring = make_story(owner=alice, title="Built the team", result="Hired 12 engineers.")
    make_story(owner=alice, title="Cut vendor costs")
    report = reports.coverage_report(opportunity=opportunity)
    assert [row.suggestions for row in report.rows] == [[hiring]]
    services.confirm_coverage(requirement=requirement, story=hiring)
    row = reports.coverage_report(opportunity=opportunity).rows[0]
    assert (row.covered, [s.pk for s in row.stories], row.suggestions) == (True, [hiring.pk], [])


def test_it_flags_a_debrief_gap_the_new_posting_asks_for(alice):
    theme = make_theme(owner=alice, detail="budget ownership")
    gap = services.gap_for_theme(theme=theme)
    support = make_story(owner=alice, title="Ran the events budget")
    services.update_gap(
        gap=gap, topic=gap.topic, positioning="Ran a $2M budget.", stories=[support]
    )
    opportunity = make_opportunity(owner=alice, title="Operations Director")
    services.add_requirements_from_posting(
        opportunity=opportunity,
        posting="- Experience with budget ownership for a $5M P&L\n- Hiring managers",
    )
    report = reports.coverage_report(opportunity=opportunity)
    assert [f.gap for f in report.flagged] == [gap]
    assert [r.text for r in report.flagged[0].requirements] == [
        "Experience with budget ownership for a $5M P&L"
    ]
    assert report.flagged[0].suggestions[0] == support
    assert report.rows[0].flagged == [gap]
    assert report.rows[1].flagged == []


def test_it_does_not_flag_a_gap_for_a_posting_that_does_not_ask(alice):
    services.gap_for_theme(theme=make_theme(owner=alice, detail="budget ownership"))
    opportunity = make_opportunity(owner=alice, title="Analyst")
    make_requirement(opportunity=opportunity, text="Budget forecasting in Excel")
    assert reports.coverage_report(opportunity=opportunity).flagged == []


def test_it_never_flags_another_members_gaps(alice, bob):
    make_gap(owner=bob, topic="budget ownership")
    opportunity = make_opportunity(owner=alice)
    make_requirement(opportunity=opportunity, text="Budget ownership")
    assert reports.coverage_report(opportunity=opportunity).flagged == []


def test_it_puts_lessons_from_the_same_employer_first(alice):
    from careertips.network.tests.helpers import make_organization

    acme = make_organization(owner=alice, name="Acme Analytics")
    globex = make_organization(owner=alice, name="Globex")
    elsewhere = make_theme(
        owner=alice, opportunity=make_opportunity(owner=alice, organization=globex)
    )
    same = make_theme(owner=alice, opportunity=make_opportunity(owner=alice, organization=acme))
    current = make_opportunity(owner=alice, organization=acme, title="Ops Director")
    lessons = reports.lessons_for(opportunity=current)
    assert [(lesson.debrief, lesson.same_employer) for lesson in lessons] == [
        (same.debrief, True),
        (elsewhere.debrief, False),
    ]


# Goals.


def test_it_refuses_a_milestone_after_the_goal_target(alice):
    import datetime as dt

    from careertips.stories.tests.factories import make_goal

    goal = make_goal(owner=alice, started_on=dt.date(2026, 1, 1), target_on=dt.date(2026, 6, 30))
    with pytest.raises(ValidationError) as error:
        services.add_milestone(goal=goal, title="Exam", due_on=dt.date(2026, 7, 1))
    assert "target date" in error.value.message_dict["due_on"][0]


def test_it_keeps_a_snapshot_table_in_step_with_stories(alice):
    make_story(owner=alice)
    assert StoryRevision.objects.count() == 1
