"""A coach's token reads what clients share with them, scope by scope, and nothing more;
every read lands in the member's access log."""

from __future__ import annotations

import pytest

from careertips.api.tests.helpers import call, make_token
from careertips.coaching.models import AccessLogEntry
from careertips.coaching.services import set_scopes, share_with, stop_sharing
from careertips.core.roles import Role
from careertips.core.testing import make_user
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.tests.helpers import make_contact
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_opportunity

pytestmark = pytest.mark.django_db


def _scope(member, scope):
    return f"/api/v1/coaching/clients/{member.pk}/{scope}"


@pytest.fixture
def shared(alice, coach):
    share_with(member=alice, coach=coach)
    return alice


def test_it_lists_the_clients_who_share_and_logs_the_read(shared, bob, coach):
    make_opportunity(owner=shared, stage=Stage.APPLIED)
    make_opportunity(owner=bob, stage=Stage.APPLIED)  # bob shares with nobody

    response = call("get", "/api/v1/coaching/clients", token=make_token(coach, ("read",)))

    assert response.status_code == 200, response.content
    rows = response.json()
    assert [row["member_id"] for row in rows] == [shared.pk]
    assert rows[0]["active_opportunities"] == 1
    assert rows[0]["scopes"] == ["pipeline", "debriefs", "stories", "offers"]
    logged = AccessLogEntry.objects.get(member=shared)
    assert (logged.coach_id, logged.page) == (coach.pk, "API: client list")


def test_it_reads_a_shared_scope_and_logs_it_for_the_member(shared, coach):
    opportunity = make_opportunity(owner=shared, stage=Stage.SCREENING, title="Ops lead")
    debrief = make_debrief(owner=shared)
    token = make_token(coach, ("read",))

    pipeline = call("get", _scope(shared, "pipeline"), token=token)
    debriefs = call("get", _scope(shared, "debriefs"), token=token)

    assert pipeline.status_code == 200, pipeline.content
    assert opportunity.pk in [row["id"] for row in pipeline.json()["opportunities"]]
    assert {"stage": "Screening", "count": 1} in pipeline.json()["stages"]
    assert [row["id"] for row in debriefs.json()["debriefs"]] == [debrief.pk]
    assert debriefs.json()["opportunities"] == []  # only the scope asked for
    pages = list(AccessLogEntry.objects.filter(member=shared).values_list("page", flat=True))
    assert sorted(pages) == ["API: Debriefs", "API: Pipeline and interviews"]


def test_it_refuses_a_scope_the_member_keeps_to_themselves(shared, coach):
    make_contact(owner=shared)
    token = make_token(coach, ("read",))
    assert call("get", _scope(shared, "network"), token=token).status_code == 404  # off by default

    set_scopes(member=shared, coach_id=coach.pk, scopes={"pipeline"})
    assert call("get", _scope(shared, "debriefs"), token=token).status_code == 404
    assert call("get", _scope(shared, "pipeline"), token=token).status_code == 200

    stop_sharing(member=shared, coach_id=coach.pk)
    assert call("get", _scope(shared, "pipeline"), token=token).status_code == 404
    assert call("get", "/api/v1/coaching/clients", token=token).json() == []
    assert not AccessLogEntry.objects.filter(member=shared, page__contains="Debriefs").exists()


def test_it_gives_other_coaches_members_and_staff_nothing(shared, bob, editor, administrator):
    make_opportunity(owner=shared)
    other_coach = make_user("other-coach@example.com", roles=[Role.COACH])
    for user in (other_coach, bob, editor, administrator):
        response = call("get", _scope(shared, "pipeline"), token=make_token(user, ("read",)))
        assert response.status_code == 404, (user.email, response.content)
    for user in (bob, editor, administrator):
        listing = call("get", "/api/v1/coaching/clients", token=make_token(user, ("read",)))
        assert listing.status_code == 404, user.email
    assert call("get", _scope(shared, "pipeline")).status_code == 401
    assert not AccessLogEntry.objects.exists()


def test_it_refuses_an_unknown_scope_at_the_path(shared, coach):
    response = call("get", _scope(shared, "passwords"), token=make_token(coach, ("read",)))
    assert response.status_code == 422


def test_it_names_each_offer_by_its_opportunity_and_employer(shared, coach):
    from careertips.offers.tests.factories import make_offer

    offer = make_offer(owner=shared)
    response = call("get", _scope(shared, "offers"), token=make_token(coach, ("read",)))

    row = response.json()["offers"][0]
    assert row["id"] == offer.pk
    assert row["opportunity"] == offer.opportunity.title
    assert row["organization"] == offer.opportunity.organization.name
