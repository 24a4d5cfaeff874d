import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from careertips.agenda.models import AgendaSettings, DigestLog, Snooze, WeeklyGoal

pytestmark = pytest.mark.django_db


def _fails(**create) -> bool:
    model = create.pop("model")
    try:
        with transaction.atomic():
            model.objects.create(**create)
    except IntegrityError:
        return True
    return False


def test_it_keeps_one_snooze_per_item(alice, bob):
    day = dt.date(2026, 3, 12)
    Snooze.objects.create(owner=alice, kind="action", object_id=1, until=day)

    assert _fails(model=Snooze, owner=alice, kind="action", object_id=1, until=day)
    assert not _fails(model=Snooze, owner=alice, kind="touch", object_id=1, until=day)
    assert not _fails(model=Snooze, owner=bob, kind="action", object_id=1, until=day)
    assert _fails(model=Snooze, owner=alice, kind="nonsense", object_id=2, until=day)


def test_it_keeps_weekly_targets_sensible(alice):
    assert _fails(model=WeeklyGoal, owner=alice, metric="applications", target=0)
    assert _fails(model=WeeklyGoal, owner=alice, metric="applications", target=101)
    assert _fails(model=WeeklyGoal, owner=alice, metric="pushups", target=5)
    assert not _fails(model=WeeklyGoal, owner=alice, metric="applications", target=5)
    assert _fails(model=WeeklyGoal, owner=alice, metric="applications", target=6)


def test_it_keeps_one_settings_row_with_a_real_hour(alice, bob):
    assert _fails(model=AgendaSettings, owner=alice, digest_hour=24)
    AgendaSettings.objects.create(owner=alice, calendar_token_hash="a" * 64)
    assert _fails(model=AgendaSettings, owner=alice)
    assert _fails(model=AgendaSettings, owner=bob, calendar_token_hash="a" * 64)


def test_it_lets_many_members_have_no_calendar_token(alice, bob):
    AgendaSettings.objects.create(owner=alice)
    assert not _fails(model=AgendaSettings, owner=bob)


def test_it_records_one_digest_per_member_and_day(alice):
    day = dt.date(2026, 3, 11)
    DigestLog.objects.create(owner=alice, local_date=day)

    assert _fails(model=DigestLog, owner=alice, local_date=day)
    assert not _fails(model=DigestLog, owner=alice, local_date=day + dt.timedelta(days=1))
    assert _fails(model=DigestLog, owner=alice, local_date=day + dt.timedelta(days=2), status="x")
