import datetime as dt

import pytest
from django.db import IntegrityError

from careertips.network.tests.helpers import make_organization
from careertips.pipeline.models import Opportunity, Stage
from careertips.pipeline.tests.helpers import make_opportunity

TODAY = dt.date(2026, 3, 20)


def _applied(owner, *, applied_on, followed_up_on=None, stage=Stage.APPLIED, **kw):
    opportunity = make_opportunity(owner=owner, stage=Stage.APPLIED, applied_on=applied_on, **kw)
    Opportunity.objects.filter(pk=opportunity.pk).update(stage=stage, followed_up_on=followed_up_on)
    opportunity.refresh_from_db()
    return opportunity


@pytest.mark.parametrize(
    ("applied_on", "followed_up_on", "stage", "due"),
    [
        (dt.date(2026, 3, 13), None, Stage.APPLIED, True),  # exactly 7 days
        (dt.date(2026, 3, 14), None, Stage.APPLIED, False),  # 6 days
        (dt.date(2026, 3, 1), dt.date(2026, 3, 13), Stage.APPLIED, True),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 15), Stage.APPLIED, False),
        (dt.date(2026, 3, 1), None, Stage.SCREENING, False),  # they replied
    ],
)
def test_it_knows_when_a_follow_up_is_due(alice, applied_on, followed_up_on, stage, due):
    opportunity = _applied(alice, applied_on=applied_on, followed_up_on=followed_up_on, stage=stage)

    assert opportunity.is_follow_up_due(today=TODAY, days=7) is due
    awaiting = Opportunity.objects.owned_by(alice).awaiting_follow_up(
        cutoff=TODAY - dt.timedelta(days=7)
    )
    assert awaiting.filter(pk=opportunity.pk).exists() is due
    annotated = Opportunity.objects.with_follow_up_due(today=TODAY, days=7).get(pk=opportunity.pk)
    assert annotated.follow_up_due is due


def test_it_counts_from_the_latest_of_applying_and_following_up(alice):
    opportunity = _applied(
        alice, applied_on=dt.date(2026, 3, 1), followed_up_on=dt.date(2026, 3, 10)
    )

    assert opportunity.follow_up_due_on(days=5) == dt.date(2026, 3, 15)
    opportunity.stage = Stage.INTERVIEWING
    assert opportunity.follow_up_due_on(days=5) is None


def test_it_searches_title_employer_and_location_with_every_word(alice, bob):
    make_opportunity(owner=alice, title="Plant Manager", location="Dayton, OH")
    make_opportunity(
        owner=alice, title="Analyst", organization=make_organization(owner=alice, name="Globex")
    )
    make_opportunity(owner=bob, title="Plant Manager")

    def titles(text):
        return sorted(
            Opportunity.objects.owned_by(alice).search(text).values_list("title", flat=True)
        )

    assert titles("plant") == ["Plant Manager"]
    assert titles("GLOBEX") == ["Analyst"]
    assert titles("dayton manager") == ["Plant Manager"]
    assert titles("dayton analyst") == []
    assert titles("   ") == ["Analyst", "Plant Manager"]


def test_it_counts_per_stage(alice, bob):
    make_opportunity(owner=alice, stage=Stage.APPLIED)
    make_opportunity(owner=alice, stage=Stage.APPLIED)
    make_opportunity(owner=alice, stage=Stage.OFFER)
    make_opportunity(owner=bob, stage=Stage.OFFER)

    assert Opportunity.objects.owned_by(alice).stage_counts() == {"applied": 2, "offer": 1}


def test_it_keeps_only_known_currencies_in_the_database(alice):
    opportunity = make_opportunity(owner=alice)

    with pytest.raises(IntegrityError):
        Opportunity.objects.filter(pk=opportunity.pk).update(currency="XYZ")


def test_it_keeps_the_pay_range_ordered_in_the_database(alice):
    opportunity = make_opportunity(owner=alice)

    with pytest.raises(IntegrityError):
        Opportunity.objects.filter(pk=opportunity.pk).update(pay_min=10, pay_max=5)


def test_it_formats_the_pay_range(alice):
    opportunity = make_opportunity(owner=alice, pay_min=80_000, pay_max=95_000, currency="EUR")

    assert opportunity.pay_range == "80,000–95,000 EUR"
    opportunity.pay_max = None
    assert opportunity.pay_range == "80,000–? EUR"


def test_it_keeps_the_latest_of_each_stage_with_a_smaller_cap_for_closed_ones(alice, bob):
    for i in range(4):
        make_opportunity(owner=alice, stage=Stage.APPLIED, title=f"Open {i}")
    for i in range(3):
        opportunity = make_opportunity(owner=alice, stage=Stage.APPLIED, title=f"Closed {i}")
        Opportunity.objects.filter(pk=opportunity.pk).update(stage=Stage.WITHDRAWN)

    make_opportunity(owner=bob, stage=Stage.APPLIED, title="Bob's")
    make_opportunity(owner=alice, stage=Stage.SCREENING, title="Not asked for")
    limits = {Stage.APPLIED: 3, Stage.WITHDRAWN: 2}
    rows = Opportunity.objects.latest_per_stage(owner_id=alice.pk, limits=limits)

    titles = sorted(rows.values_list("title", flat=True))
    assert titles == ["Closed 1", "Closed 2", "Open 1", "Open 2", "Open 3"]
    assert not Opportunity.objects.latest_per_stage(owner_id=alice.pk, limits={})
