"""Every stories URL that takes an id: owner ok, another member 404, anonymous to login."""

from careertips.core.testing import AccessCase
from careertips.pipeline.tests.helpers import make_interview, make_opportunity
from careertips.stories.models import Coverage, Milestone, PromotionCase, Question, StoryUse
from careertips.stories.tests.factories import (
    make_competency,
    make_gap,
    make_goal,
    make_requirement,
    make_story,
    make_theme,
)


def _story(owner):
    return {"pk": make_story(owner=owner).pk}


def _two_revisions(owner):
    from careertips.stories.services import update_story

    story = make_story(owner=owner)
    update_story(story=story, result="Saved $1.5M a year.")
    return {"pk": story.pk}


def _story_and_interview(owner):
    interview = make_interview(opportunity=make_opportunity(owner=owner))
    return {"pk": make_story(owner=owner).pk, "interview": interview.pk}


def _use(owner):
    interview = make_interview(opportunity=make_opportunity(owner=owner))
    use = StoryUse.objects.create(story=make_story(owner=owner), interview=interview)
    return {"pk": use.pk}


def _competency(owner):
    return {"pk": make_competency(owner=owner).pk}


def _gap_theme(owner):
    return {"pk": make_theme(owner=owner).pk}


def _story_theme(owner):
    return {"pk": make_theme(owner=owner, theme="story_not_strong", detail="the launch").pk}


def _gap(owner):
    return {"pk": make_gap(owner=owner).pk}


def _opportunity(owner):
    return {"pk": make_opportunity(owner=owner).pk}


def _requirement(owner):
    requirement = make_requirement(opportunity=make_opportunity(owner=owner))
    return {"pk": requirement.pk, "story": make_story(owner=owner).pk}


def _requirements(owner):
    opportunity = make_opportunity(owner=owner)
    a = make_requirement(opportunity=opportunity, text="Budget ownership")
    b = make_requirement(opportunity=opportunity, text="P&L responsibility")
    return {"pk": opportunity.pk, "a": a.pk, "b": b.pk}


def _coverage(owner):
    requirement = make_requirement(opportunity=make_opportunity(owner=owner))
    coverage = Coverage.objects.create(requirement=requirement, story=make_story(owner=owner))
    return {"pk": coverage.pk}


def _question(owner):
    question = Question.objects.create(opportunity=make_opportunity(owner=owner), text="Why?")
    return {"pk": question.pk}


def _interview(owner):
    interview = make_interview(opportunity=make_opportunity(owner=owner))
    return {"pk": interview.pk, "story": make_story(owner=owner).pk}


def _case(owner):
    case = PromotionCase.objects.create(owner=owner, title="Review", organization_name="X")
    return {"pk": case.pk}


def _goal(owner):
    return {"pk": make_goal(owner=owner).pk}


def _milestone(owner):
    return {"pk": Milestone.objects.create(goal=make_goal(owner=owner), title="Enrol").pk}


CASES = [
    AccessCase("/stories/{pk}/", _story),
    AccessCase("/stories/{pk}/edit/", _story),
    AccessCase("/stories/{pk}/delete/", _story),
    AccessCase("/stories/{pk}/delete/", _story, method="post", owner_status=302),
    AccessCase("/stories/{pk}/diff/", _two_revisions, data={"a": 1, "b": 2}),
    AccessCase(
        "/stories/{pk}/uses/",
        _story_and_interview,
        method="post",
        data={"interview": "{interview}", "note": "Told it first"},
        owner_status=302,
    ),
    AccessCase("/stories/uses/{pk}/delete/", _use, method="post", owner_status=302),
    AccessCase("/stories/competencies/{pk}/delete/", _competency, method="post", owner_status=302),
    AccessCase("/stories/from-theme/{pk}/", _gap_theme, owner_status=302),
    AccessCase("/stories/from-theme/{pk}/", _story_theme),
    AccessCase("/stories/gaps/{pk}/", _gap),
    AccessCase("/stories/gaps/{pk}/delete/", _gap),
    AccessCase("/stories/coverage/{pk}/", _opportunity),
    AccessCase(
        "/stories/coverage/{pk}/posting/",
        _opportunity,
        method="post",
        data={"posting": "- Budget ownership\n- Hiring"},
        owner_status=302,
    ),
    AccessCase(
        "/stories/coverage/{pk}/requirements/",
        _opportunity,
        method="post",
        data={"text": "Budget ownership"},
        owner_status=302,
    ),
    AccessCase(
        "/stories/coverage/{pk}/merge/",
        _requirements,
        method="post",
        # One ticked requirement: the owner gets the page back with the error at the field.
        data={"requirements": "{a}"},
    ),
    AccessCase(
        "/stories/coverage/{pk}/questions/",
        _opportunity,
        method="post",
        data={"text": "What does success look like?"},
        owner_status=302,
    ),
    AccessCase("/stories/requirements/{pk}/edit/", _requirement),
    AccessCase("/stories/requirements/{pk}/delete/", _requirement, method="post", owner_status=302),
    AccessCase(
        "/stories/requirements/{pk}/cover/",
        _requirement,
        method="post",
        data={"story": "{story}"},
        owner_status=302,
    ),
    AccessCase("/stories/requirements/{pk}/gap/", _requirement, method="post", owner_status=302),
    AccessCase("/stories/coverages/{pk}/delete/", _coverage, method="post", owner_status=302),
    AccessCase("/stories/questions/{pk}/delete/", _question, method="post", owner_status=302),
    AccessCase("/stories/prep/{pk}/", _interview),
    AccessCase("/stories/prep/{pk}/pdf/", _interview),
    AccessCase(
        "/stories/prep/{pk}/told/",
        _interview,
        method="post",
        data={"story": "{story}"},
        owner_status=302,
    ),
    AccessCase("/stories/cases/{pk}/", _case),
    AccessCase("/stories/cases/{pk}/edit/", _case),
    AccessCase("/stories/cases/{pk}/delete/", _case),
    AccessCase("/stories/goals/{pk}/", _goal),
    AccessCase("/stories/goals/{pk}/edit/", _goal),
    AccessCase("/stories/goals/{pk}/delete/", _goal),
    AccessCase(
        "/stories/goals/{pk}/milestones/",
        _goal,
        method="post",
        data={"title": "Enrol in the course"},
        owner_status=302,
    ),
    AccessCase("/stories/milestones/{pk}/toggle/", _milestone, method="post", owner_status=302),
    AccessCase("/stories/milestones/{pk}/delete/", _milestone, method="post", owner_status=302),
]
