"""Organization pages: the list, one organization with its people and opportunities."""

from careertips.core.testing import count_queries
from careertips.network.models import Organization
from careertips.network.tests.helpers import (
    make_contact,
    make_event,
    make_organization,
)
from careertips.pipeline.tests.helpers import make_opportunity

# --- organizations -------------------------------------------------------------------------------


def test_it_lists_organizations_with_counts_in_fixed_queries(alice_client, alice):
    def add(n: int) -> None:
        for _ in range(n):
            org = make_organization(owner=alice, name=f"Org {Organization.objects.count()}")
            make_contact(owner=alice, organization=org)
            make_opportunity(owner=alice, organization=org)
            make_event(owner=alice, organization=org)

    add(2)
    few = count_queries(alice_client, "/network/organizations/")
    add(18)
    many = count_queries(alice_client, "/network/organizations/")
    page = alice_client.get("/network/organizations/?q=Org 1").content.decode()

    assert few == many
    assert '<td class="right">1</td>' in page


def test_it_shows_people_opportunities_and_events_at_an_organization(alice_client, alice):
    acme = make_organization(owner=alice, name="Acme Analytics")
    make_contact(owner=alice, name="Dana Whitfield", organization=acme)
    make_opportunity(owner=alice, organization=acme, title="Ops Lead")
    make_event(owner=alice, name="Acme open house", organization=acme)

    page = alice_client.get(f"/network/organizations/{acme.pk}/").content.decode()

    assert "Dana Whitfield" in page and "Ops Lead" in page and "Acme open house" in page


def test_it_refuses_a_second_organization_with_the_same_name(alice_client, alice):
    make_organization(owner=alice, name="Acme Analytics")

    response = alice_client.post(
        "/network/organizations/new/", {"name": "acme  ANALYTICS", "kind": "employer"}
    )
    created = alice_client.post(
        "/network/organizations/new/", {"name": "ASQ Boston", "kind": "association"}
    )

    assert response.context["form"].errors["name"] == [
        "You already have an organization with this name."
    ]
    assert created.status_code == 302
    assert Organization.objects.filter(owner=alice).count() == 2


def test_it_keeps_an_organization_that_has_opportunities(alice_client, alice):
    opportunity = make_opportunity(owner=alice)
    org = opportunity.organization

    confirm = alice_client.get(f"/network/organizations/{org.pk}/delete/").content.decode()
    response = alice_client.post(f"/network/organizations/{org.pk}/delete/", follow=True)

    assert "Move or delete them first" in confirm
    assert "still exist" in response.content.decode()
    assert Organization.objects.filter(pk=org.pk).exists()
