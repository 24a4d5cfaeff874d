"""Small factories for stories tests."""

from __future__ import annotations

from typing import Any

from django.db import connection

from careertips.core.models import User
from careertips.debriefs.models import FeedbackTheme, Theme
from careertips.debriefs.services import record_feedback
from careertips.debriefs.tests.helpers import make_debrief
from careertips.pipeline.models import Opportunity, Stage
from careertips.pipeline.tests.helpers import make_opportunity
from careertips.stories import services
from careertips.stories.models import Competency, Gap, Goal, Requirement, Story


def make_story(*, owner: User, title: str = "Cut vendor costs", **kw: Any) -> Story:
    kw.setdefault("challenge", "Three overlapping vendors and rising invoices.")
    kw.setdefault("action", "Renegotiated contracts and consolidated to one supplier.")
    kw.setdefault("result", "Saved $1.2M a year (18% of spend).")
    kw.setdefault("organization_name", "Northwind")
    kw.setdefault("role", "Operations lead")
    kw.setdefault("year", 2022)
    return services.create_story(owner=owner, title=title, **kw)


def make_competency(*, owner: User | None, name: str = "Forecasting") -> Competency:
    return Competency.objects.create(owner=owner, name=name)


def make_requirement(*, opportunity: Opportunity, text: str = "Budget ownership") -> Requirement:
    return services.add_requirement(opportunity=opportunity, text=text)


def make_theme(
    *,
    owner: User,
    theme: str = Theme.EXPERIENCE_GAP,
    detail: str = "budget ownership",
    opportunity: Opportunity | None = None,
    feedback: str = "They wanted more.",
) -> FeedbackTheme:
    """Feedback recorded in a debrief, through the debriefs service."""
    opportunity = opportunity or make_opportunity(
        owner=owner, stage=Stage.INTERVIEWING, title="Finance Manager"
    )
    debrief = make_debrief(owner=owner, opportunity=opportunity)
    record_feedback(debrief=debrief, feedback=feedback, themes=[(theme, detail)])
    return debrief.themes.get(theme=theme)


def make_gap(*, owner: User, topic: str = "budget ownership", **kw: Any) -> Gap:
    return services.create_gap(owner=owner, topic=topic, **kw)


def make_goal(*, owner: User, title: str = "PMP certification", **kw: Any) -> Goal:
    return Goal.objects.create(owner=owner, title=title, **kw)


def index_count(table: str) -> int:
    """Rows in one of the full-text index tables (stories_story_fts, stories_requirement_fts)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 -- fixed table names
        return cursor.fetchone()[0]
