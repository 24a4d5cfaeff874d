"""The people on an opportunity and the opportunity a touchpoint is about, through the API:
validated by the pages' own forms, with their messages."""

import pytest

from careertips.api.tests.helpers import call, make_token
from careertips.network.models import Touchpoint
from careertips.network.tests.helpers import make_contact
from careertips.pipeline.models import Opportunity
from careertips.pipeline.tests.helpers import make_opportunity

V1 = "/api/v1"


@pytest.fixture
def token(alice):
    return make_token(alice)


def test_it_names_the_people_when_adding_an_opportunity(alice, token):
    dana = make_contact(owner=alice, name="Dana Whitfield")
    jane = make_contact(owner=alice, name="Jane Doe")
    body = {
        "title": "Plant Manager",
        "organization_name": "Initech",
        "source": "referral",
        "hiring_manager_id": dana.pk,
        "referred_by_id": jane.pk,
    }

    response = call("post", f"{V1}/opportunities", token=token, body=body)

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["hiring_manager_id"], data["referred_by_id"]) == (dana.pk, jane.pk)
    opportunity = Opportunity.objects.get(pk=data["id"])
    assert (opportunity.hiring_manager, opportunity.referred_by) == (dana, jane)


def test_it_changes_one_person_and_keeps_the_other(alice, token):
    dana = make_contact(owner=alice, name="Dana Whitfield")
    jane = make_contact(owner=alice, name="Jane Doe")
    opportunity = make_opportunity(owner=alice, hiring_manager=dana)
    path = f"{V1}/opportunities/{opportunity.pk}"

    changed = call("patch", path, token=token, body={"referred_by_id": jane.pk})
    cleared = call("patch", path, token=token, body={"hiring_manager_id": None})

    assert changed.status_code == 200, changed.content
    assert changed.json()["hiring_manager_id"] == dana.pk
    assert changed.json()["referred_by_id"] == jane.pk
    assert cleared.json()["hiring_manager_id"] is None
    assert cleared.json()["referred_by_id"] == jane.pk


def test_it_refuses_another_members_contact_at_the_field(alice, bob, token):
    bobs = make_contact(owner=bob)
    opportunity = make_opportunity(owner=alice)

    response = call(
        "patch", f"{V1}/opportunities/{opportunity.pk}", token=token,
        body={"referred_by_id": bobs.pk},
    )  # fmt: skip

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "referred_by", "message": "Choose one of your own contacts."}
    ]
    opportunity.refresh_from_db()
    assert opportunity.referred_by is None


def test_it_logs_a_touchpoint_about_an_opportunity(alice, bob, token):
    dana = make_contact(owner=alice)
    opportunity = make_opportunity(owner=alice)
    path = f"{V1}/contacts/{dana.pk}/touchpoints"

    logged = call(
        "post", path, token=token, body={"kind": "call", "opportunity_id": opportunity.pk}
    )
    foreign = call(
        "post", path, token=token,
        body={"kind": "call", "opportunity_id": make_opportunity(owner=bob).pk},
    )  # fmt: skip

    assert logged.status_code == 201, logged.content
    assert logged.json()["opportunity_id"] == opportunity.pk
    assert call("get", path, token=token).json()["items"][0]["opportunity_id"] == opportunity.pk
    assert foreign.status_code == 422
    assert foreign.json()["errors"] == [
        {"field": "opportunity", "message": "Choose one of your opportunities."}
    ]
    assert Touchpoint.objects.count() == 1
