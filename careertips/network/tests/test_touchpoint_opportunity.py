"""A touchpoint can be about one of the member's opportunities."""

import pytest
import time_machine

from careertips.core.testing import count_queries, htmx
from careertips.network.forms import TouchpointForm
from careertips.network.models import Touchpoint
from careertips.network.services import log_touchpoint
from careertips.network.tests.helpers import NOON, make_contact, make_touchpoint
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_opportunity

pytestmark = pytest.mark.django_db


@time_machine.travel(NOON, tick=False)
def test_it_links_a_touchpoint_to_one_of_the_members_opportunities(alice):
    opportunity = make_opportunity(owner=alice)
    form = TouchpointForm(
        {"kind": "call", "happened_on": "2026-03-09", "opportunity": opportunity.pk}, owner=alice
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["opportunity"] == opportunity


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("value", ["other", "99999999999999999999999", "x"])
def test_it_refuses_an_opportunity_not_the_members_at_the_field(alice, bob, value):
    if value == "other":
        value = make_opportunity(owner=bob).pk
    form = TouchpointForm(
        {"kind": "call", "happened_on": "2026-03-09", "opportunity": value}, owner=alice
    )

    assert not form.is_valid()
    assert form.errors["opportunity"] == ["Choose one of your opportunities."]


def test_it_refuses_another_members_opportunity_in_the_service(alice, bob):
    with pytest.raises(Exception, match="Choose one of your opportunities"):
        log_touchpoint(
            contact=make_contact(owner=alice),
            kind="call",
            when=NOON.date(),
            opportunity=make_opportunity(owner=bob),
        )
    assert not Touchpoint.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_it_offers_the_open_opportunities_on_the_contact_page(alice_client, alice, bob):
    dana = make_contact(owner=alice)
    open_one = make_opportunity(owner=alice, title="Plant Manager")
    make_opportunity(owner=alice, title="Closed Role", stage=Stage.WITHDRAWN)
    make_opportunity(owner=bob, title="Bobs Role")

    page = alice_client.get(f"/network/contacts/{dana.pk}/").content.decode()

    assert '<select name="opportunity">' in page
    assert f'<option value="{open_one.pk}">Plant Manager at Acme Analytics</option>' in page
    assert "Closed Role" not in page and "Bobs Role" not in page


@time_machine.travel(NOON, tick=False)
def test_it_logs_a_touchpoint_about_an_opportunity_from_the_contact_page(alice_client, alice):
    dana = make_contact(owner=alice)
    opportunity = make_opportunity(owner=alice, title="Plant Manager")

    response = alice_client.post(
        f"/network/contacts/{dana.pk}/touchpoints/",
        {
            "kind": "email",
            "happened_on": "2026-03-09",
            "opportunity": opportunity.pk,
            "choose_opportunity": "1",
        },
        headers=htmx(),
    )

    html = response.content.decode()
    assert "Logged: email on 9 Mar 2026." in html
    assert dana.touchpoints.get().opportunity == opportunity
    # The redrawn form still offers the menu, ready for the next one.
    assert '<select name="opportunity">' in html


@time_machine.travel(NOON, tick=False)
def test_it_keeps_the_fixed_opportunity_when_a_touchpoint_is_refused(alice_client, alice, bob):
    dana = make_contact(owner=alice)
    opportunity = make_opportunity(owner=alice)

    inline = alice_client.post(
        f"/network/contacts/{dana.pk}/touchpoints/",
        {"kind": "call", "happened_on": "2026-04-01", "opportunity": opportunity.pk},
        headers=htmx(),
    )
    foreign = alice_client.post(
        f"/network/contacts/{dana.pk}/touchpoints/",
        {
            "kind": "call",
            "happened_on": "2026-03-09",
            "opportunity": make_opportunity(owner=bob).pk,
        },
    )

    assert f'<input type="hidden" name="opportunity" value="{opportunity.pk}">' in (
        inline.content.decode()
    )
    assert foreign.status_code == 422
    assert "Choose one of your opportunities." in foreign.content.decode()
    assert not Touchpoint.objects.exists()


def test_it_renders_the_contact_page_in_a_fixed_number_of_queries_with_opportunities(
    alice_client, alice
):
    dana = make_contact(owner=alice)

    def add(n):
        for i in range(n):
            opportunity = make_opportunity(owner=alice, title=f"Role {i}")
            make_touchpoint(contact=dana, opportunity=opportunity)

    add(2)
    few = count_queries(alice_client, f"/network/contacts/{dana.pk}/")
    add(15)
    many = count_queries(alice_client, f"/network/contacts/{dana.pk}/")

    assert few == many


def test_it_names_the_opportunity_on_the_contacts_timeline(alice_client, alice):
    dana = make_contact(owner=alice)
    opportunity = make_opportunity(owner=alice, title="Plant Manager")
    make_touchpoint(contact=dana, opportunity=opportunity)

    page = alice_client.get(f"/network/contacts/{dana.pk}/").content.decode()

    assert "Coffee about Plant Manager" in page


@time_machine.travel(NOON, tick=False)
def test_it_keeps_the_chosen_opportunity_selected_when_a_touchpoint_is_refused(alice_client, alice):
    dana = make_contact(owner=alice)
    chosen = make_opportunity(owner=alice, title="R&D <Lead>")
    other = make_opportunity(owner=alice, title="Plant Manager")

    html = alice_client.post(
        f"/network/contacts/{dana.pk}/touchpoints/",
        {"kind": "email", "happened_on": "", "opportunity": chosen.pk, "choose_opportunity": "1"},
        headers=htmx(),
    ).content.decode()

    assert 'aria-invalid="true"' in html
    assert f'<option value="{chosen.pk}" selected>R&amp;D &lt;Lead&gt; at Acme Analytics' in html
    assert f'<option value="{other.pk}">Plant Manager at Acme Analytics</option>' in html
