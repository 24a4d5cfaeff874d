import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from careertips.debriefs.models import Debrief
from careertips.network.models import Contact
from careertips.network.services import organization_named
from careertips.network.tests.helpers import make_contact, make_organization
from careertips.pipeline.models import TRANSITIONS, Opportunity, Stage, StageChange
from careertips.pipeline.services import (
    build_board,
    build_timeline,
    create_opportunity,
    delete_opportunity,
    get_opportunity_for,
    move_opportunity,
    record_follow_up,
    schedule_interview,
    suggest_follow_up,
    toggle_thank_you,
    update_interview,
    update_opportunity,
)
from careertips.pipeline.tests.helpers import make_interview, make_opportunity

NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(
    ("start", "to_stage"),
    [(start, to) for start, targets in TRANSITIONS.items() for to in targets],
)
def test_it_allows_every_listed_move(alice, start, to_stage):
    opportunity = make_opportunity(owner=alice, stage=Stage.APPLIED)
    Opportunity.objects.filter(pk=opportunity.pk).update(stage=start)
    opportunity.refresh_from_db()

    move_opportunity(opportunity=opportunity, to_stage=to_stage)

    opportunity.refresh_from_db()
    assert opportunity.stage == to_stage


@pytest.mark.parametrize(
    ("start", "to_stage"),
    [
        (Stage.INTERESTED, Stage.OFFER),
        (Stage.INTERESTED, Stage.TURNED_DOWN),
        (Stage.APPLIED, Stage.ACCEPTED),
        (Stage.INTERVIEWING, Stage.APPLIED),
        (Stage.OFFER, Stage.SCREENING),
        (Stage.ACCEPTED, Stage.WITHDRAWN),
        (Stage.TURNED_DOWN, Stage.INTERVIEWING),
        (Stage.WITHDRAWN, Stage.APPLIED),
    ],
)
def test_it_refuses_moves_that_are_not_listed(alice, start, to_stage):
    opportunity = make_opportunity(owner=alice, stage=Stage.APPLIED)
    Opportunity.objects.filter(pk=opportunity.pk).update(stage=start)
    opportunity.refresh_from_db()
    changes = StageChange.objects.count()

    with pytest.raises(ValidationError) as error:
        move_opportunity(opportunity=opportunity, to_stage=to_stage)

    assert "cannot move to" in error.value.message_dict["stage"][0]
    assert StageChange.objects.count() == changes
    opportunity.refresh_from_db()
    assert opportunity.stage == start


def test_it_refuses_an_unknown_stage(alice):
    opportunity = make_opportunity(owner=alice)

    with pytest.raises(ValidationError) as error:
        move_opportunity(opportunity=opportunity, to_stage="hired")

    assert error.value.message_dict == {"stage": ["Choose a valid stage."]}


def test_it_records_each_move_with_its_time_and_note(alice, frozen):
    opportunity = make_opportunity(owner=alice, stage=Stage.APPLIED)

    change = move_opportunity(
        opportunity=opportunity, to_stage=Stage.SCREENING, note="Recruiter called"
    )

    assert (change.from_stage, change.to_stage) == (Stage.APPLIED, Stage.SCREENING)
    assert change.changed_at == NOW
    assert change.note == "Recruiter called"
    opportunity.refresh_from_db()
    assert opportunity.stage_changed_at == NOW
    history = list(opportunity.stage_changes.values_list("from_stage", "to_stage"))
    assert history == [("", Stage.APPLIED), (Stage.APPLIED, Stage.SCREENING)]


def test_it_reads_an_opportunity_with_its_employer_and_people_in_one_query(
    alice, django_assert_num_queries
):
    manager = make_contact(owner=alice, name="Dana Whitfield")
    opportunity = make_opportunity(owner=alice, hiring_manager=manager)

    with django_assert_num_queries(1):
        found = get_opportunity_for(alice, opportunity.pk)
        assert found.organization.name == "Acme Analytics"
        assert found.hiring_manager == manager and found.referred_by is None
    with django_assert_num_queries(1):
        alone = get_opportunity_for(alice, str(opportunity.pk), people=False)
        assert (alone.title, alone.organization, alone.stage) == (
            "Operations Manager",
            opportunity.organization,
            Stage.APPLIED,
        )
    assert alone.hiring_manager_id == manager.pk


@pytest.mark.parametrize("pk", ["other", "missing", 0, -1, 2**63, "abc", None])
def test_it_answers_404_for_an_opportunity_that_is_not_the_members(alice, bob, pk):
    theirs = make_opportunity(owner=bob)
    pk = {"other": theirs.pk, "missing": theirs.pk + 1}.get(pk, pk)

    with pytest.raises(Http404):
        get_opportunity_for(alice, pk)
    with pytest.raises(Http404):
        get_opportunity_for(AnonymousUser(), theirs.pk, people=False)


def test_it_refuses_the_same_move_twice(alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.APPLIED)
    move_opportunity(opportunity=opportunity, to_stage=Stage.SCREENING)

    # The stale object still says "applied", as a second click from the same page would.
    with pytest.raises(ValidationError):
        move_opportunity(opportunity=opportunity, to_stage=Stage.SCREENING)

    assert opportunity.stage_changes.filter(to_stage=Stage.SCREENING).count() == 1


def test_it_sets_applied_on_when_moving_to_applied(alice, frozen):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERESTED)
    assert opportunity.applied_on is None

    move_opportunity(opportunity=opportunity, to_stage=Stage.APPLIED)

    opportunity.refresh_from_db()
    assert opportunity.applied_on == NOW.date()
    assert opportunity.closed_on is None


def test_it_keeps_an_earlier_applied_on(alice, frozen):
    # Applied weeks ago, recorded before the move: moving on must not date it today.
    earlier = NOW.date() - dt.timedelta(days=20)
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERESTED)
    Opportunity.objects.filter(pk=opportunity.pk).update(found_on=earlier, applied_on=earlier)
    opportunity.refresh_from_db()

    for stage in (Stage.APPLIED, Stage.NO_RESPONSE, Stage.SCREENING):
        move_opportunity(opportunity=opportunity, to_stage=stage)

    opportunity.refresh_from_db()
    assert opportunity.applied_on == opportunity.found_on
    assert opportunity.applied_on == earlier != NOW.date()


@pytest.mark.parametrize(
    "to_stage", [Stage.TURNED_DOWN, Stage.WITHDRAWN, Stage.OFFER_DECLINED, Stage.ACCEPTED]
)
def test_it_sets_closed_on_when_an_opportunity_closes(alice, frozen, to_stage):
    opportunity = make_opportunity(owner=alice, stage=Stage.OFFER)

    move_opportunity(opportunity=opportunity, to_stage=to_stage)

    opportunity.refresh_from_db()
    assert opportunity.closed_on == NOW.date()
    assert not opportunity.is_open


def test_it_opens_a_debrief_when_turned_down(alice):
    manager = make_contact(owner=alice, name="Pat Reyes")
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING, hiring_manager=manager)

    move_opportunity(opportunity=opportunity, to_stage=Stage.TURNED_DOWN)

    debrief = Debrief.objects.get(opportunity=opportunity)
    assert debrief.owner == alice
    assert debrief.contact == manager
    assert debrief.status == Debrief.Status.OPEN


def test_it_opens_no_debrief_for_other_exits(alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)

    move_opportunity(opportunity=opportunity, to_stage=Stage.WITHDRAWN)

    assert not Debrief.objects.filter(opportunity=opportunity).exists()


def test_it_records_the_starting_stage_on_create(alice, frozen):
    org = make_organization(owner=alice)

    opportunity = create_opportunity(
        owner=alice, organization=org, title="Plant Manager", stage=Stage.APPLIED
    )

    assert opportunity.applied_on == NOW.date()
    change = opportunity.stage_changes.get()
    assert (change.from_stage, change.to_stage) == ("", Stage.APPLIED)


def test_it_reuses_an_organization_whatever_the_case_and_spacing(alice, bob):
    org = make_organization(owner=alice, name="Acme Analytics")

    assert organization_named(owner=alice, name="  acme   ANALYTICS ") == org
    other = organization_named(owner=bob, name="Acme Analytics")
    assert other != org
    assert other.owner == bob


def test_it_updates_the_editable_fields_and_not_the_stage(alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.SCREENING)
    new_org = make_organization(owner=alice, name="Globex")

    update_opportunity(
        opportunity=opportunity, organization=new_org, title="Senior Analyst", pay_min=90_000
    )

    opportunity.refresh_from_db()
    assert (opportunity.title, opportunity.organization, opportunity.pay_min) == (
        "Senior Analyst",
        new_org,
        90_000,
    )
    with pytest.raises(ValueError):
        update_opportunity(opportunity=opportunity, organization=new_org, stage=Stage.OFFER)


def test_it_refuses_an_update_that_breaks_a_rule(alice):
    opportunity = make_opportunity(owner=alice)

    with pytest.raises(ValidationError):
        update_opportunity(
            opportunity=opportunity,
            organization=opportunity.organization,
            pay_min=100,
            pay_max=50,
        )


def test_it_deletes_an_opportunity_with_its_history(alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)
    make_interview(opportunity=opportunity)
    move_opportunity(opportunity=opportunity, to_stage=Stage.TURNED_DOWN)

    delete_opportunity(opportunity=opportunity)

    assert not StageChange.objects.exists()
    assert not Debrief.objects.exists()
    assert not Opportunity.objects.exists()


def test_it_records_a_follow_up(alice):
    opportunity = make_opportunity(owner=alice)
    today = alice.local_today()

    record_follow_up(opportunity=opportunity, on=today)

    opportunity.refresh_from_db()
    assert opportunity.followed_up_on == today


def test_it_suggests_a_follow_up_naming_the_role_and_employer(alice):
    opportunity = make_opportunity(
        owner=alice, title="Quality Lead", applied_on=dt.date(2026, 3, 2)
    )
    opportunity = Opportunity.objects.select_related("owner", "organization").get(pk=opportunity.pk)

    message = suggest_follow_up(opportunity=opportunity)

    assert "Quality Lead role at Acme Analytics on March 2" in message
    assert message.startswith("Hello,")
    assert message.rstrip().endswith("Alice Moreno")
    assert len(message) < 600


def test_it_schedules_an_interview_adding_new_interviewers_to_the_network(alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.SCREENING)
    dana = make_contact(owner=alice, name="Dana Whitfield")

    interview = schedule_interview(
        opportunity=opportunity,
        scheduled_at=timezone.now() + dt.timedelta(days=1),
        kind="panel",
        interviewers=[dana],
        new_interviewer_names=["Sam  Ortiz", "dana whitfield"],
    )

    names = sorted(c.name for c in interview.interviewers.all())
    assert names == ["Dana Whitfield", "Sam Ortiz"]
    sam = Contact.objects.get(name="Sam Ortiz")
    assert sam.owner == alice
    assert sam.organization == opportunity.organization
    assert sam.relationship == Contact.Relationship.INTERVIEWER
    assert Contact.objects.filter(name__iexact="dana whitfield").count() == 1


def test_it_refuses_another_members_contact_as_interviewer(alice, bob):
    opportunity = make_opportunity(owner=alice)
    stranger = make_contact(owner=bob, name="Eve")

    with pytest.raises(ValidationError):
        schedule_interview(
            opportunity=opportunity, scheduled_at=timezone.now(), interviewers=[stranger]
        )


def test_it_replaces_interviewers_on_update(alice):
    opportunity = make_opportunity(owner=alice)
    interview = make_interview(opportunity=opportunity)
    interview.interviewers.add(make_contact(owner=alice, name="Old Name"))

    update_interview(interview=interview, new_interviewer_names=["New Name"], kind="onsite")

    interview.refresh_from_db()
    assert interview.kind == "onsite"
    assert [c.name for c in interview.interviewers.all()] == ["New Name"]


def test_it_toggles_the_thank_you(alice, frozen):
    interview = make_interview(opportunity=make_opportunity(owner=alice))

    toggle_thank_you(interview=interview)
    assert interview.thank_you_sent_at == NOW
    toggle_thank_you(interview=interview)

    interview.refresh_from_db()
    assert interview.thank_you_sent_at is None


def test_it_builds_a_timeline_of_moves_interviews_and_the_debrief(alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.APPLIED)
    start = timezone.now()
    move_opportunity(
        opportunity=opportunity, to_stage=Stage.INTERVIEWING, when=start + dt.timedelta(hours=1)
    )
    interview = make_interview(opportunity=opportunity, scheduled_at=start + dt.timedelta(hours=2))
    interview.interviewers.add(make_contact(owner=alice, name="Kim Lee"))
    move_opportunity(
        opportunity=opportunity, to_stage=Stage.TURNED_DOWN, when=start + dt.timedelta(hours=3)
    )

    timeline = build_timeline(opportunity=opportunity)

    assert [entry.kind for entry in timeline] == [
        "stage", "stage", "interview", "stage", "debrief",
    ]  # fmt: skip
    assert timeline[0].title == "Added as Applied"
    assert timeline[1].title == "Moved from Applied to Interviewing"
    assert timeline[2].detail == "With Kim Lee"
    debrief = Debrief.objects.get(opportunity=opportunity)
    assert timeline[4].url == f"/debriefs/{debrief.pk}/"
    assert timeline[4].badge == "Open"


def test_it_fills_the_board_with_the_latest_cards_per_stage(alice, bob):
    for i in range(4):
        make_opportunity(owner=alice, stage=Stage.APPLIED, title=f"Applied {i}")
    make_opportunity(owner=alice, stage=Stage.INTERESTED, title="Someday")
    closed = make_opportunity(owner=alice, stage=Stage.OFFER, title="Done")
    move_opportunity(opportunity=closed, to_stage=Stage.ACCEPTED)
    make_opportunity(owner=bob, stage=Stage.APPLIED, title="Bob's")

    board = build_board(owner=alice, today=alice.local_today(), per_column=3)

    columns = {column.stage: column for column in board.columns}
    assert list(columns) == [
        "interested", "applied", "screening", "interviewing", "offer", "no_response",
    ]  # fmt: skip
    applied = columns[Stage.APPLIED]
    assert (applied.count, applied.hidden) == (4, 1)
    assert [card.title for card in applied.cards] == ["Applied 3", "Applied 2", "Applied 1"]
    assert [card.title for card in columns[Stage.INTERESTED].cards] == ["Someday"]
    assert board.closed_count == 1
    assert [card.title for card in board.closed[0].cards] == ["Done"]
