import pytest
from django.core.exceptions import ValidationError

from careertips.network.models import Organization
from careertips.network.tests.helpers import make_contact
from careertips.pipeline.tests.helpers import make_opportunity
from careertips.resumes import letters, services, tailoring
from careertips.resumes.models import Bullet, ResumeVersion
from careertips.resumes.tests.factories import (
    make_bullet,
    make_position,
    make_profile,
    make_version,
)
from careertips.resumes.text import clean, draft_bullet
from careertips.stories.models import Coverage
from careertips.stories.services import create_gap, gap_for_requirement, update_gap
from careertips.stories.tests.factories import make_requirement, make_story

pytestmark = pytest.mark.django_db


def _posting(owner, *texts):
    opportunity = make_opportunity(owner=owner, title="Operations Director")
    for text in texts:
        make_requirement(opportunity=opportunity, text=text)
    return opportunity


def test_it_drafts_a_bullet_from_action_result_and_figure():
    line = draft_bullet(
        action="I renegotiated contracts and consolidated to one supplier. It took a year.",
        result="The CFO was pleased. Saved $1.2M a year (18% of spend).",
    )
    assert line == (
        "Renegotiated contracts and consolidated to one supplier; "
        "saved $1.2M a year (18% of spend)."
    )


def test_it_places_a_story_under_a_position_and_links_the_employer_to_the_network(alice):
    position = make_position(owner=alice, employer="Globex")
    assert position.organization == Organization.objects.get(owner=alice, name="Globex")
    bullet = make_bullet(position=position)
    assert bullet.position == position
    assert bullet.story.resume_bullet == bullet


def test_it_refuses_another_members_position(alice, bob):
    story = make_story(owner=alice)
    with pytest.raises(ValidationError):
        services.save_bullet(story=story, text="Did it.", position=make_position(owner=bob))


def test_it_ranks_bullets_by_how_many_requirements_their_stories_cover(alice):
    position = make_position(owner=alice)
    one = make_bullet(
        position=position,
        title="Vendor consolidation",
        challenge="Costs were rising.",
        action="Negotiated vendor contracts.",
        result="Saved $1M on vendor spend.",
    )
    two = make_bullet(
        position=position,
        title="Forecasting and hiring",
        challenge="Peak season was chaos.",
        action="Built the demand forecasting model and led hiring for peak.",
        result="Hired 40 seasonal staff; forecasting error fell 30%.",
    )
    make_bullet(
        position=position,
        title="Office move",
        challenge="The lease ended.",
        action="Planned the office move.",
        result="Moved 80 desks over one weekend.",
    )
    opportunity = _posting(alice, "Demand forecasting", "Hiring seasonal teams", "Vendor contracts")
    proposal = tailoring.propose(owner=alice, opportunity=opportunity)
    proposed = proposal.positions[0].bullets
    assert [p.bullet for p in proposed[:2]] == [two, one]
    assert len(proposed[0].covers) == 2 and len(proposed[1].covers) == 1
    assert proposed[2].covers == [] and proposed[2].hidden


def test_it_puts_a_confirmed_coverage_ahead_of_a_search_match(alice):
    position = make_position(owner=alice)
    searched = make_bullet(position=position, title="Budget ownership of the events budget")
    confirmed = make_bullet(position=position, title="Cut vendor costs")
    opportunity = _posting(alice, "Budget ownership")
    requirement = opportunity.requirements.get()
    Coverage.objects.create(requirement=requirement, story=confirmed.story)
    proposed = tailoring.propose(owner=alice, opportunity=opportunity).positions[0].bullets
    assert [p.bullet for p in proposed] == [confirmed, searched]


def test_it_orders_summary_and_skills_to_match_the_posting(alice):
    make_profile(
        owner=alice,
        summary="I run lean operations. I hire and coach strong teams.",
        skills="Lean\nForecasting\nHiring",
    )
    make_bullet(position=make_position(owner=alice))
    opportunity = _posting(alice, "Hiring and coaching team leads")
    proposal = tailoring.propose(owner=alice, opportunity=opportunity)
    assert proposal.summary == "I hire and coach strong teams. I run lean operations."
    assert proposal.skills == ["Hiring", "Lean", "Forecasting"]


def test_it_leaves_the_master_unchanged_when_a_version_is_edited(alice):
    version = make_version(owner=alice)
    item = version.bullets.get()
    master_text = item.bullet.text
    services.rewrite_bullet(item=item, text="Rewritten for this posting only.")
    services.set_bullet_hidden(item=item, hidden=True)
    services.update_version(version=version, headline="New", summary="New.", skills="X")
    bullet = Bullet.objects.get(pk=item.bullet_id)
    assert bullet.text == master_text
    assert bullet.position is not None
    assert item.bullet.story.title == "Cut vendor costs"


def test_it_keeps_versions_per_opportunity_and_records_the_one_sent(alice):
    first = make_version(owner=alice)
    second = services.tailor_resume(owner=alice, opportunity=first.opportunity)
    assert (first.label, second.label) == ("Version 1", "Version 2")
    services.mark_sent(version=second)
    assert ResumeVersion.objects.get(pk=second.pk).sent_at is not None
    assert ResumeVersion.objects.get(pk=first.pk).sent_at is None


def test_it_refuses_to_tailor_without_placed_stories(alice):
    with pytest.raises(ValidationError, match="Place some stories"):
        services.tailor_resume(owner=alice, opportunity=_posting(alice, "Budget ownership"))


def test_it_moves_a_bullet_within_its_position(alice):
    position = make_position(owner=alice)
    make_bullet(position=position, title="Vendor costs")
    make_bullet(position=position, title="Vendor contracts")
    version = make_version(owner=alice, opportunity=_posting(alice, "Vendor contracts"))
    first, second = version.bullets.order_by("order")
    services.move_bullet(item=second, up=True)
    assert list(version.bullets.order_by("order")) == [second, first]
    services.move_bullet(item=second, up=True)  # already first: nothing happens
    assert list(version.bullets.order_by("order")) == [second, first]


def test_it_checks_coverage_again_after_edits(alice):
    position = make_position(owner=alice)
    make_bullet(
        position=position,
        title="Vendor consolidation",
        challenge="Costs were rising.",
        action="Negotiated vendor contracts.",
        result="Saved $1M on vendor spend.",
    )
    opportunity = _posting(alice, "Vendor contracts", "Warehouse safety programs")
    version = services.tailor_resume(owner=alice, opportunity=opportunity)
    check = tailoring.coverage_check(version=version)
    assert [row.addressed for row in check.rows] == [True, False]
    assert "safety" in check.missing_terms
    item = version.bullets.get()
    services.rewrite_bullet(item=item, text="Ran the warehouse safety program: 0 injuries.")
    check = tailoring.coverage_check(version=version)
    assert [row.addressed for row in check.rows] == [True, True]
    assert "safety" not in check.missing_terms
    services.set_bullet_hidden(item=item, hidden=True)
    check = tailoring.coverage_check(version=version)
    assert [row.addressed for row in check.rows] == [False, False]


def test_it_lists_gaps_with_their_positioning(alice):
    make_bullet(position=make_position(owner=alice))
    opportunity = _posting(alice, "Budget ownership", "P&L responsibility")
    gap = gap_for_requirement(requirement=opportunity.requirements.get(text="Budget ownership"))
    update_gap(gap=gap, topic=gap.topic, positioning="Ran a $2M events budget.", stories=[])
    earlier = create_gap(
        owner=alice, topic="P&L responsibility", positioning="Owned a cost centre."
    )
    create_gap(owner=alice, topic="Spanish", positioning="Learning.")
    version = services.tailor_resume(owner=alice, opportunity=opportunity)
    assert tailoring.coverage_check(version=version).gaps == [gap, earlier]


def test_it_drafts_a_letter_to_the_hiring_manager_with_the_strongest_stories(alice):
    make_profile(owner=alice, name="Alice Moreno", headline="operations manager")
    position = make_position(owner=alice)
    make_bullet(
        position=position,
        title="Vendor consolidation",
        challenge="Costs were rising.",
        action="Negotiated vendor contracts.",
        result="Saved $1M on vendor spend.",
        strength=5,
    )
    manager = make_contact(owner=alice, name="Dana Whitfield")
    opportunity = make_opportunity(owner=alice, hiring_manager=manager)
    make_requirement(opportunity=opportunity, text="Vendor contracts")
    make_requirement(opportunity=opportunity, text="Budget ownership")
    gap = gap_for_requirement(requirement=opportunity.requirements.get(text="Budget ownership"))
    update_gap(gap=gap, topic=gap.topic, positioning="I ran a $2M events budget", stories=[])
    letter = services.draft_letter(owner=alice, opportunity=opportunity)
    assert letter.salutation == "Dear Dana Whitfield,"
    assert (
        "You ask for vendor contracts. At Northwind, I negotiated vendor contracts" in letter.body
    )
    assert "On budget ownership: I ran a $2M events budget." in letter.body
    assert letter.signature == "Alice Moreno"
    assert "an operations manager" in letter.body


def test_it_greets_the_hiring_manager_generically_when_unknown(alice):
    opportunity = make_opportunity(owner=alice)
    assert letters.salutation_for(opportunity) == "Dear Hiring Manager,"
    assert letters.compose(owner=alice, opportunity=opportunity).paragraphs


def test_it_cleans_control_characters_but_keeps_other_scripts():
    assert clean("a\x00b\x1bc\r\nd\u202eשלום 👍") == "abc\nd\u202eשלום 👍"
