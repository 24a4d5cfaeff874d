"""Small factories for the pipeline's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from careertips.core.models import User
from careertips.network.tests.helpers import make_organization
from careertips.pipeline.models import Interview, Opportunity, Stage


def make_opportunity(
    *, owner: User, stage: str = Stage.APPLIED, title: str = "Operations Manager", **kw: Any
) -> Opportunity:
    from careertips.pipeline.services import create_opportunity

    organization = kw.pop("organization", None) or make_organization(owner=owner)
    if stage != Stage.INTERESTED:
        kw.setdefault("applied_on", timezone.localdate() - dt.timedelta(days=3))
        kw.setdefault("found_on", kw["applied_on"] - dt.timedelta(days=2))
    return create_opportunity(
        owner=owner, organization=organization, title=title, stage=stage, **kw
    )


def make_interview(*, opportunity: Opportunity, **kw: Any) -> Interview:
    kw.setdefault("scheduled_at", timezone.now() + dt.timedelta(days=2))
    return Interview.objects.create(opportunity=opportunity, **kw)
