"""Small factories for the debriefs' tests."""

from __future__ import annotations

from typing import Any

from careertips.core.models import User
from careertips.debriefs.models import Debrief
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_opportunity


def make_debrief(*, owner: User, **kw: Any) -> Debrief:
    from careertips.debriefs.services import open_debrief

    opportunity = kw.pop("opportunity", None) or make_opportunity(
        owner=owner, stage=Stage.INTERVIEWING
    )
    debrief = open_debrief(opportunity=opportunity)
    for key, value in kw.items():
        setattr(debrief, key, value)
    if kw:
        debrief.save()
    return debrief
