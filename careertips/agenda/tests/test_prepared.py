"""Today's light queries are compiled once per process and filled in with each member's values:
they must run exactly the SQL and parameters a fresh build would, for any member, day, time
zone and set of snoozes."""

import dataclasses
import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from careertips.agenda.models import ItemKind, Snooze
from careertips.agenda.services import sources as agenda_sources
from careertips.agenda.services.clock import Clock
from careertips.agenda.services.sources import Context, Values, sources, unsnoozed
from careertips.agenda.services.today import build_agenda
from careertips.core import prepared
from careertips.core.testing import make_user

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
    monkeypatch.setattr(agenda_sources, "_KEYED", {})


def _fresh(source, ctx, snoozed):
    """The source's keyed query built the plain way, for this member and day."""
    values = Values(**ctx.values(agenda_sources.VALUE_KINDS))
    rows = source.rows(values)
    rows = unsnoozed(rows, values, source.kind) if snoozed else rows
    rows = rows.annotate(
        agenda_pk=agenda_sources.F("pk"), agenda_due=agenda_sources.F(source.due_field)
    )
    rows = rows.order_by().values_list("agenda_pk", "agenda_due")
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    return sql, list(params)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("now", MOMENTS)
@pytest.mark.parametrize("snoozed", [False, True])
def test_it_fills_in_each_members_values_as_a_fresh_build_would(cold, zone, now, snoozed):
    owner = make_user(f"m-{zone.replace('/', '-').lower()}@example.com")
    owner.time_zone, owner.follow_up_days = zone, 11
    ctx = Context.make(owner, Clock(now=now, zone=zoneinfo.ZoneInfo(zone)))
    for source in sources(ctx):
        query = agenda_sources._keyed_query(source, snoozed)
        assert query.statement(**ctx.values(query.kinds)) == _fresh(source, ctx, snoozed)


def test_it_compiles_each_kind_once_with_and_once_without_snoozes(cold):
    owner = make_user("alice@example.com")
    build_agenda(owner=owner)
    for kind in ItemKind.values:
        Snooze.objects.create(
            owner=owner, kind=kind, object_id=1, until=timezone.localdate() + dt.timedelta(days=3)
        )
    build_agenda(owner=owner)
    build_agenda(owner=make_user("bob@example.com"))
    kinds = {source.kind for source in sources(Context.make(owner, Clock.for_user(owner)))}
    assert set(agenda_sources._KEYED) == {(k, snoozed) for k in kinds for snoozed in (False, True)}


def test_it_refuses_a_source_that_reads_a_value_it_does_not_name(cold):
    """A source's query sees only the values it names: reading another fails loudly when
    the query is first compiled, rather than running with a stand-in."""
    owner = make_user("alice@example.com")
    ctx = Context.make(owner, Clock.for_user(owner))
    actions = next(s for s in sources(ctx) if s.kind == ItemKind.ACTION)
    unnamed = dataclasses.replace(actions, kind="unnamed", uses=("owner",))
    query = agenda_sources._keyed_query(unnamed, False)
    with pytest.raises(AttributeError, match="horizon"):
        query.statement(**ctx.values(query.kinds))
