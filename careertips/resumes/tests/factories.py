"""Small factories for résumé tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from careertips.core.models import User
from careertips.pipeline.models import Opportunity
from careertips.pipeline.tests.helpers import make_opportunity
from careertips.resumes import services
from careertips.resumes.models import Bullet, Position, Profile, ResumeVersion
from careertips.stories.tests.factories import make_requirement, make_story


def make_profile(*, owner: User, **kw: Any) -> Profile:
    kw.setdefault("name", "Alice Moreno")
    kw.setdefault("headline", "Operations manager")
    kw.setdefault("contact", "alice@example.com\n(312) 555-0100")
    kw.setdefault("summary", "I run lean operations. I hire and coach strong teams.")
    kw.setdefault("skills", "Forecasting\nBudget ownership\nHiring")
    return Profile.objects.create(owner=owner, **kw)


def make_position(*, owner: User, employer: str = "Northwind", **kw: Any) -> Position:
    kw.setdefault("title", "Operations lead")
    kw.setdefault("started_on", dt.date(2019, 1, 1))
    kw.setdefault("ended_on", dt.date(2024, 6, 30))
    return services.create_position(owner=owner, employer=employer, **kw)


def make_bullet(*, position: Position, title: str = "Cut vendor costs", **kw: Any) -> Bullet:
    text = kw.pop("text", None)
    story = make_story(owner=position.owner, title=title, **kw)
    return services.save_bullet(
        story=story, text=text or services.suggested_bullet(story), position=position
    )


def make_version(*, owner: User, opportunity: Opportunity | None = None) -> ResumeVersion:
    """An opportunity with one requirement and a version tailored to it."""
    if opportunity is None:
        opportunity = make_opportunity(owner=owner)
        make_requirement(opportunity=opportunity, text="Vendor negotiation and cost savings")
    if not Bullet.objects.filter(story__owner=owner, position__isnull=False).exists():
        make_bullet(position=make_position(owner=owner))
    return services.tailor_resume(owner=owner, opportunity=opportunity)
