import datetime as dt

import pytest
from django.db import IntegrityError

from careertips.pipeline.tests.helpers import make_opportunity
from careertips.stories.models import Competency, Goal, Milestone, PromotionCase, Story
from careertips.stories.tests.factories import index_count, make_goal, make_requirement, make_story

pytestmark = pytest.mark.django_db


def test_it_seeds_the_shared_competency_list():
    shared = Competency.objects.filter(owner__isnull=True)
    assert shared.filter(name="Budget ownership").exists()
    assert shared.count() >= 20


def test_it_allows_one_name_per_member_and_one_shared(alice, bob):
    Competency.objects.create(owner=alice, name="Forecasting")
    Competency.objects.create(owner=bob, name="forecasting")
    with pytest.raises(IntegrityError):
        Competency.objects.create(owner=alice, name="FORECASTING")


def test_it_keeps_strength_between_one_and_five(alice):
    story = make_story(owner=alice)
    with pytest.raises(IntegrityError):
        Story.objects.filter(pk=story.pk).update(strength=6)


def test_it_forgets_index_rows_when_an_opportunity_is_deleted(alice):
    opportunity = make_opportunity(owner=alice)
    make_requirement(opportunity=opportunity)
    assert index_count("stories_requirement_fts") == 1
    opportunity.delete()
    assert index_count("stories_requirement_fts") == 0


def test_it_forgets_a_members_stories_when_the_account_is_deleted(alice):
    make_story(owner=alice)
    assert index_count("stories_story_fts") == 1
    alice.delete()
    assert index_count("stories_story_fts") == 0


def test_it_refuses_a_goal_target_before_its_start(alice):
    with pytest.raises(IntegrityError):
        Goal.objects.create(
            owner=alice, title="MBA", started_on=dt.date(2026, 9, 1), target_on=dt.date(2026, 1, 1)
        )


def test_it_refuses_a_case_asking_for_less_than_current_pay(alice):
    with pytest.raises(IntegrityError):
        PromotionCase.objects.create(
            owner=alice, title="Review", organization_name="X", current_pay=10, target_pay=5
        )


def test_it_lists_milestones_due_for_today(alice, bob):
    goal = make_goal(owner=alice)
    due = Milestone.objects.create(goal=goal, title="Exam", due_on=dt.date(2026, 3, 1))
    Milestone.objects.create(goal=goal, title="Later", due_on=dt.date(2026, 3, 2))
    Milestone.objects.create(
        goal=goal, title="Done", due_on=dt.date(2026, 2, 1), done_on=dt.date(2026, 2, 1)
    )
    Milestone.objects.create(goal=goal, title="Someday")
    Milestone.objects.create(goal=make_goal(owner=bob), title="Bob's", due_on=dt.date(2026, 1, 1))
    assert list(Milestone.objects.due_for(alice, dt.date(2026, 3, 1))) == [due]


def test_it_computes_goal_progress(alice):
    goal = make_goal(owner=alice)
    Milestone.objects.create(goal=goal, title="One", done_on=dt.date(2026, 1, 1))
    Milestone.objects.create(goal=goal, title="Two")
    Milestone.objects.create(goal=goal, title="Three")
    annotated = Goal.objects.with_progress().get(pk=goal.pk)
    assert (annotated.milestones_done, annotated.milestones_total) == (1, 3)
    assert annotated.progress_percent == 33
