"""Queries compiled once and run again with new values give what the queryset gives."""

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils import timezone

from careertips.core import prepared
from careertips.core.models import OutboundMail, User
from careertips.core.prepared import (
    Prepared,
    PreparedList,
    PreparedMismatch,
    set_prefetched,
)
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


@pytest.mark.django_db
def test_it_takes_lists_of_ids_of_any_length_as_the_in_lookup_reads_them(monkeypatch):
    monkeypatch.setattr(prepared, "VERIFY", True)  # each call checked against a fresh build
    users = [make_user(f"u{n}@example.com") for n in range(4)]
    pks = [user.pk for user in users]
    query = Prepared(
        lambda pks, since: (
            User.objects.filter(pk__in=pks, pk__gte=since).order_by("pk").values_list("email")
        ),
        pks=list,
        since=int,
    )

    assert query(pks=pks[:1], since=0) == [("u0@example.com",)]
    assert query(pks=[pks[3], pks[1]], since=0) == [("u1@example.com",), ("u3@example.com",)]
    # Duplicates and None are dropped as the lookup drops them, not compiled as more places.
    assert query(pks=[pks[2], None, pks[2], pks[0]], since=0) == [
        ("u0@example.com",),
        ("u2@example.com",),
    ]
    assert len(query(pks=pks, since=0)) == 4
    assert query(pks=pks, since=pks[3] + 1) == []
    assert query(pks=[], since=0) == []
    assert query(pks=[10**12], since=0) == []  # an id past any mark
    assert sorted(query._compiled[next(iter(query._compiled))]) == [(0,), (1,), (2,), (4,)]


@pytest.mark.django_db
def test_it_takes_lists_of_text_as_the_in_lookup_reads_them(monkeypatch):
    monkeypatch.setattr(prepared, "VERIFY", True)  # each call checked against a fresh build
    for name in ("ann", "bob", "cy"):
        make_user(f"{name}@example.com")
    query = Prepared(
        lambda emails: User.objects.filter(email__in=emails).order_by("email").values_list("email"),
        emails=list[str],
    )

    assert query(emails=["cy@example.com", "ann@example.com", "cy@example.com"]) == [
        ("ann@example.com",),
        ("cy@example.com",),
    ]
    assert query(emails=["bob@example.com", "nobody@example.com"]) == [("bob@example.com",)]
    assert query(emails=[]) == []


@pytest.mark.django_db
def test_it_keeps_an_empty_list_out_of_a_query_that_needs_no_list():
    user = make_user("only@example.com")
    query = Prepared(
        lambda pks, pk: (
            User.objects.filter(Q(pk__in=pks) | Q(pk=pk)).order_by("pk").values_list("email")
        ),
        pks=list,
        pk=int,
    )

    assert query(pks=[], pk=user.pk) == [("only@example.com",)]
    assert query(pks=[user.pk], pk=0) == [("only@example.com",)]


EMAILS = Prepared(
    lambda pk: User.objects.filter(pk__gte=pk).order_by("email").values_list("email"), pk=int
)


@pytest.mark.django_db
def test_it_reads_a_slice_and_a_count_as_the_queryset_gives_them():
    for n in range(5):
        make_user(f"u{n}@example.com")
    users = User.objects.filter(pk__gte=0).order_by("email").values_list("email")

    for start, stop in [(0, 2), (2, 4), (4, 6), (9, 12), (3, 3)]:
        assert EMAILS.slice(start, stop, pk=0) == list(users[start:stop])
    assert EMAILS.count(pk=0) == 5
    assert EMAILS.count(pk=10**9) == 0


@pytest.mark.django_db
def test_it_hands_a_paginator_its_pages(django_assert_num_queries):
    for n in range(5):
        make_user(f"u{n}@example.com")
    ids = Prepared(lambda pk: User.objects.filter(pk__gte=pk).values_list("pk").order_by(), pk=int)
    pages = Paginator(PreparedList(EMAILS, counted=ids, pk=0), 2)

    with django_assert_num_queries(2):  # the count and the page
        last = pages.get_page(9)
    assert (last.number, list(last)) == (3, [("u4@example.com",)])
    assert list(pages.page(1)) == [("u0@example.com",), ("u1@example.com",)]


@pytest.mark.django_db
def test_it_refuses_to_slice_a_query_that_slices_itself():
    query = Prepared(lambda pk: User.objects.filter(pk__gte=pk).values_list("pk")[:3], pk=int)

    with pytest.raises(ValueError, match="cannot be sliced again"):
        query.slice(0, 2, pk=0)


def test_it_gives_instances_with_their_related_rows_as_select_related_does(
    alice, django_assert_num_queries
):
    from careertips.debriefs.models import Debrief
    from careertips.debriefs.tests.helpers import make_debrief
    from careertips.network.models import Contact

    loose = Contact.objects.create(owner=alice, name="Dana Whitfield")
    make_debrief(owner=alice, contact=loose)
    make_debrief(owner=alice)
    query = Prepared(
        lambda owner: (
            Debrief.objects.filter(owner_id=owner)
            .order_by("pk")
            .select_related("opportunity__organization", "contact__organization")
        ),
        owner=int,
    )
    expected = list(
        Debrief.objects.filter(owner=alice)
        .order_by("pk")
        .select_related("opportunity__organization", "contact__organization")
    )

    with django_assert_num_queries(1):
        found = query.instances(owner=alice.pk)
        assert [_fields(d) for d in found] == [_fields(d) for d in expected]
        assert [_fields(d.opportunity.organization) for d in found] == [
            _fields(d.opportunity.organization) for d in expected
        ]
        assert _fields(found[0].contact) == _fields(loose)
        assert found[0].contact.organization is None and found[1].contact is None
        assert found[0].opportunity.debrief is found[0]  # a one-to-one, both ways
    assert all(not d._state.adding and d._state.db == "default" for d in found)


@pytest.mark.django_db
def test_it_reads_a_slice_of_instances_with_their_joins(alice, django_assert_num_queries):
    from careertips.debriefs.models import Debrief
    from careertips.debriefs.tests.helpers import make_debrief

    made = [make_debrief(owner=alice) for _ in range(3)]
    query = Prepared(
        lambda owner: (
            Debrief.objects.filter(owner_id=owner).order_by("-pk").select_related("opportunity")
        ),
        owner=int,
    )

    with django_assert_num_queries(1):
        found = query.instance_slice(1, 3, owner=alice.pk)
        assert [d.pk for d in found] == [made[1].pk, made[0].pk]
        assert found[0].opportunity.pk == made[1].opportunity_id
    assert query.instance_slice(3, 9, owner=alice.pk) == []


@pytest.mark.django_db
def test_it_leaves_rows_read_apart_as_prefetch_related_would(alice, django_assert_num_queries):
    from careertips.debriefs import services
    from careertips.debriefs.models import CallAttempt
    from careertips.debriefs.tests.helpers import make_debrief

    debrief, other = make_debrief(owner=alice), make_debrief(owner=alice)
    for each in (debrief, other):
        services.log_attempt(debrief=each, channel="phone", outcome="no_answer")
    rows = list(CallAttempt.objects.filter(debrief=debrief))

    set_prefetched(debrief, "attempts", rows)

    with django_assert_num_queries(0):
        assert list(debrief.attempts.all()) == rows
        assert rows[0].debrief is debrief
    assert list(debrief.attempts.filter(channel="phone")) == rows  # still only its own


def _fields(instance):
    return {k: v for k, v in instance.__dict__.items() if not k.startswith("_")}


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


def test_it_has_postgresql_keep_a_statement_run_again_prepared(alice):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's prepared statements")

    def kept() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ["SELECT %date_joined%$2%"],
            )
            return cursor.fetchone()[0]

    first = list(JOINED(since=alice.date_joined, pk=alice.pk))
    assert kept() == 0  # once: parsed and planned as it came
    again = list(JOINED(since=alice.date_joined, pk=alice.pk))
    assert kept() == 1  # twice: kept, with its values bound by the server
    assert again == first and again[0][1] == alice.email
