"""Queries compiled once and run again with new values give what the queryset gives."""

import datetime as dt

import pytest
from django.db.models import Count
from django.utils import timezone

from careertips.core import prepared
from careertips.core.models import OutboundMail, User
from careertips.core.prepared import Prepared, PreparedMismatch
from careertips.core.testing import make_user

JOINED = Prepared(
    lambda since, pk: (
        User.objects.filter(date_joined__gte=since, pk__gte=pk)
        .order_by("pk")
        .values_list("pk", "email", "date_joined", "is_active")
    ),
    since=dt.datetime,
    pk=int,
)


@pytest.mark.django_db
def test_it_gives_the_rows_the_queryset_gives_for_each_set_of_values():
    early = make_user("early@example.com")
    late = make_user("late@example.com")
    User.objects.filter(pk=early.pk).update(date_joined=timezone.now() - dt.timedelta(days=9))
    week_ago = timezone.now() - dt.timedelta(days=7)

    for since, pk in [(week_ago, 0), (week_ago - dt.timedelta(days=7), 0), (week_ago, late.pk + 1)]:
        expected = list(
            User.objects.filter(date_joined__gte=since, pk__gte=pk)
            .order_by("pk")
            .values_list("pk", "email", "date_joined", "is_active")
        )
        assert JOINED(since=since, pk=pk) == expected
    rows = JOINED(since=week_ago, pk=0)
    assert [row[1] for row in rows] == ["late@example.com"]
    assert timezone.is_aware(rows[0][2]) and rows[0][3] is True  # converted as Django does


@pytest.mark.django_db
def test_it_takes_days_and_text_and_gives_values_as_tuples():
    make_user("a'b\"<c>@example.com", display_name="O'Neil & <Co>")
    query = Prepared(
        lambda email, day: (
            User.objects.filter(email=email, date_joined__date__lte=day)
            .values("display_name")
            .annotate(n=Count("pk"))
        ),
        email=str,
        day=dt.date,
    )

    assert query(email="a'b\"<c>@example.com", day=timezone.localdate()) == [("O'Neil & <Co>", 1)]
    assert query(email="a'b\"<c>@example.com", day=dt.date(2000, 1, 1)) == []
    assert query(email="nobody@example.com", day=timezone.localdate()) == []


@pytest.mark.django_db
def test_it_refuses_a_build_that_does_not_pass_on_its_values():
    query = Prepared(lambda pk: User.objects.filter(pk__gt=0).values_list("pk"), pk=int)

    with pytest.raises(ValueError, match="never passes on pk"):
        query(pk=1)


def test_it_has_no_stand_in_for_an_unknown_kind():
    query = Prepared(lambda pk: User.objects.filter(pk=pk).values_list("pk"), pk=float)

    with pytest.raises(TypeError, match="float"):
        query._mark(0, float)


@pytest.mark.django_db
def test_it_gives_no_rows_for_a_query_of_nothing(django_assert_num_queries):
    make_user("someone@example.com")
    query = Prepared(lambda pk: User.objects.filter(pk__gte=pk).values_list("pk")[:0], pk=int)

    with django_assert_num_queries(0):
        assert query(pk=0) == []


@pytest.mark.django_db
def test_it_catches_a_build_that_branches_on_its_values(monkeypatch):
    monkeypatch.setattr(prepared, "VERIFY", True)
    query = Prepared(
        lambda pk: User.objects.filter(
            pk=pk, **({"is_active": True} if pk == 1 else {})
        ).values_list("pk"),
        pk=int,
    )

    assert query(pk=2) == []
    with pytest.raises(PreparedMismatch):
        query(pk=1)


MAIL = {"kind": "test", "object_id": 1, "from_email": "a@example.com", "recipients": "b@x.org"}


@pytest.mark.django_db
def test_it_gives_model_instances_with_their_related_rows_as_the_orm_does(
    django_assert_num_queries,
):
    owner = make_user("owner@example.com", display_name="Owner")
    sent = OutboundMail.objects.create(owner=owner, **MAIL)
    unowned = OutboundMail.objects.create(**MAIL)
    query = Prepared(
        lambda pk: OutboundMail.objects.filter(pk__gte=pk).select_related("owner").order_by("pk"),
        pk=int,
    )

    with django_assert_num_queries(1):
        found = query.instances(pk=sent.pk)
        assert [mail.pk for mail in found] == [sent.pk, unowned.pk]
        assert found[0].owner == owner and found[0].owner.display_name == "Owner"
        assert found[1].owner is None
    expected = OutboundMail.objects.get(pk=sent.pk)
    assert {
        f.attname: getattr(found[0], f.attname) for f in OutboundMail._meta.concrete_fields
    } == {f.attname: getattr(expected, f.attname) for f in OutboundMail._meta.concrete_fields}
    assert not found[0]._state.adding
    found[0].save(update_fields=["subject"])  # saved as a row read by the ORM is
    assert query.instances(pk=unowned.pk + 1) == []


@pytest.mark.django_db
def test_it_reads_instances_only_from_a_query_of_model_rows():
    query = Prepared(lambda pk: User.objects.filter(pk=pk).values_list("pk"), pk=int)

    with pytest.raises(TypeError, match="plain model rows"):
        query.instances(pk=1)
