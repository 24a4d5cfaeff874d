"""Demo offers: the one offer of the demo search, at Fulton Street, with a deadline soon."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from careertips.core.demo import DemoClock
from careertips.core.models import User
from careertips.offers.models import BonusKind
from careertips.offers.services.lifecycle import create_offer
from careertips.pipeline.models import Opportunity

SEED_AFTER = ("pipeline",)


def seed(*, member: User) -> None:
    today = DemoClock(member).today
    fulton = Opportunity.objects.get(owner=member, organization__name="Fulton Street Bakery Co.")
    create_offer(
        opportunity=fulton, received_on=today - dt.timedelta(days=4), currency="USD",
        base_salary=122_000, bonus_kind=BonusKind.PERCENT, bonus_percent=Decimal(10),
        start_date=today + dt.timedelta(days=21),
        decision_deadline=today + dt.timedelta(days=2),
        benefits="Health, dental, 401(k) match of 4%, 20 days off.",
    )  # fmt: skip
