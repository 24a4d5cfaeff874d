"""Today's light queries are compiled once per process and filled in with each member's values:
they must run exactly the SQL and parameters a fresh build would, for any member, day, time
zone and set of snoozes, and a query that cannot be filled in safely is never kept."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from careertips.agenda.models import ItemKind, Snooze
from careertips.agenda.services import prepared
from careertips.agenda.services.clock import Clock
from careertips.agenda.services.sources import Context, sources
from careertips.agenda.services.today import build_agenda
from careertips.core.testing import make_user
from careertips.pipeline.models import Opportunity

pytestmark = pytest.mark.django_db

ZONES = ["UTC", "America/Los_Angeles", "Pacific/Auckland", "Asia/Kathmandu"]
# Around a change of clocks, and a plain day.
MOMENTS = [
    dt.datetime(2026, 3, 8, 9, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 1, 8, 59, 59, 999999, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 7, 23, 45, tzinfo=dt.UTC),
]


@pytest.fixture
def cold(monkeypatch):
    """No query prepared yet, as in a fresh process, and prepared queries used as they are
    (the suite otherwise checks each against a fresh build)."""
    monkeypatch.setattr(prepared, "VERIFY", False)
    saved = dict(prepared._cache)
    prepared._cache.clear()
    yield
    prepared._cache.clear()
    prepared._cache.update(saved)


def _build(kind):
    """A source's query as Today builds it for any member's context."""
    return lambda c: next(s for s in sources(c) if s.kind == kind).keyed()


def _fresh(source):
    rows = source.keyed()
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    return sql, list(params)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("now", MOMENTS)
def test_it_fills_in_each_members_values_as_a_fresh_build_would(cold, zone, now):
    owner = make_user(f"m-{zone.replace('/', '-').lower()}@example.com")
    owner.time_zone, owner.follow_up_days = zone, 11
    ctx = Context.make(owner, Clock(now=now, zone=zoneinfo.ZoneInfo(zone)))
    for source in sources(ctx):
        sql, params, _ = prepared.compiled(source.kind, ctx, _build(source.kind))
        assert prepared._cache[(source.kind, False)] is not None
        assert (sql, params) == _fresh(source), source.kind


def test_it_prepares_every_kind_of_item_snoozed_or_not(cold):
    owner = make_user("alice@example.com")
    build_agenda(owner=owner)
    for kind in ItemKind.values:
        Snooze.objects.create(
            owner=owner, kind=kind, object_id=1, until=timezone.localdate() + dt.timedelta(days=3)
        )
    build_agenda(owner=owner)
    kinds = {source.kind for source in sources(Context.make(owner, Clock.for_user(owner)))}
    assert {key for key, entry in prepared._cache.items() if entry is not None} == {
        (kind, snoozed) for kind in kinds for snoozed in (False, True)
    }


def test_it_keeps_no_query_holding_a_value_it_cannot_name(cold):
    owner = make_user("alice@example.com")
    ctx = Context.make(owner, Clock.for_user(owner))

    def three_days_back(c):
        return Opportunity.objects.filter(owner=c.owner, applied_on__lte=c.today - dt.timedelta(3))

    sql, params, _ = prepared.compiled("odd", ctx, three_days_back)
    assert prepared._cache[("odd", False)] is None
    assert str(ctx.today - dt.timedelta(3)) in [str(p) for p in params]


def test_it_keeps_no_query_whose_sql_depends_on_the_member(cold):
    owner = make_user("alice@example.com")
    ctx = Context.make(owner, Clock.for_user(owner))

    def by_parity(c):
        rows = Opportunity.objects.filter(owner=c.owner)
        return rows.filter(title="even") if c.owner.pk % 2 else rows.exclude(title="odd")

    prepared.compiled("odd", ctx, by_parity)
    assert prepared._cache[("odd", False)] is None


def test_it_refuses_to_run_a_prepared_query_that_differs_from_a_fresh_build(cold, monkeypatch):
    monkeypatch.setattr(prepared, "VERIFY", True)
    owner = make_user("alice@example.com")
    ctx = Context.make(owner, Clock.for_user(owner))
    source = sources(ctx)[0]
    prepared.compiled(source.kind, ctx, _build(source.kind))
    entry = prepared._cache[(source.kind, False)]
    prepared._cache[(source.kind, False)] = prepared.Prepared(entry.sql + " ", entry.slots)
    with pytest.raises(prepared.PreparedMismatch):
        prepared.compiled(source.kind, ctx, _build(source.kind))
