"""The people on an opportunity: the hiring manager and who referred you, picked from the
member's contacts or added in place; the touchpoints about it; the debrief they lead to."""

import io
import json
import zipfile

import pytest
from django.utils import timezone

from careertips.core.testing import count_queries
from careertips.debriefs.models import Debrief
from careertips.network.models import Contact, Touchpoint
from careertips.network.tests.helpers import make_contact, make_organization, make_touchpoint
from careertips.pipeline.forms import OpportunityForm
from careertips.pipeline.models import Opportunity, Source, Stage
from careertips.pipeline.services import (
    build_timeline,
    create_opportunity,
    people_on_opportunity,
    update_opportunity,
)
from careertips.pipeline.tests.helpers import make_opportunity

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "title": "Plant Manager",
        "organization_name": "Initech",
        "work_mode": "onsite",
        "source": "referral",
        "currency": "USD",
        "found_on": timezone.localdate().isoformat(),
        "stage": "interested",
    }
    data.update(overrides)
    return data


# The form


def test_it_accepts_the_members_own_contacts(alice):
    dana = make_contact(owner=alice, name="Dana Whitfield")
    sam = make_contact(owner=alice, name="Sam Ortiz")
    form = OpportunityForm(_form(hiring_manager=dana.pk, referred_by=sam.pk), owner=alice)

    assert form.is_valid(), form.errors
    assert form.people() == {"hiring_manager": dana, "referred_by": sam}


def test_it_refuses_another_members_contact_at_the_field(alice, bob):
    bobs = make_contact(owner=bob, name="Bobs Private Contact")
    form = OpportunityForm(_form(hiring_manager=bobs.pk, referred_by=bobs.pk), owner=alice)

    assert not form.is_valid()
    assert form.errors["hiring_manager"] == ["Choose one of your own contacts."]
    assert form.errors["referred_by"] == ["Choose one of your own contacts."]


@pytest.mark.parametrize("value", ["99999999999999999999999", "abc", "-1"])
def test_it_refuses_a_nonsense_contact_id_at_the_field(alice, value):
    form = OpportunityForm(_form(referred_by=value), owner=alice)

    assert not form.is_valid()
    assert form.errors["referred_by"] == ["Choose one of your own contacts."]


def test_it_takes_a_new_contact_typed_in_place(alice):
    form = OpportunityForm(
        _form(
            referred_by_name="  Jane   Doe ",
            referred_by_email="jane@example.com",
            referred_by_title="Engineering Manager",
        ),
        owner=alice,
    )

    assert form.is_valid(), form.errors
    new = form.people()["referred_by"]
    assert (new.name, new.email, new.title) == (
        "Jane Doe",
        "jane@example.com",
        "Engineering Manager",
    )
    assert form.people()["hiring_manager"] is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"referred_by_email": "jane@example.com"}, "Type the new contact’s name too."),
        ({"referred_by_name": "Jane Doe", "referred_by": "mine"}, "not both"),
        ({"referred_by_name": "sam ortiz"}, "You already have a contact named Sam Ortiz"),
    ],
)
def test_it_explains_a_new_contact_it_cannot_take_at_the_name(alice, extra, message):
    sam = make_contact(owner=alice, name="Sam Ortiz")
    if extra.get("referred_by") == "mine":
        extra["referred_by"] = sam.pk
    form = OpportunityForm(_form(**extra), owner=alice)

    assert not form.is_valid()
    assert message in form.errors["referred_by_name"][0]


def test_it_refuses_a_bad_new_contact_email_at_the_field(alice):
    form = OpportunityForm(
        _form(referred_by_name="Jane Doe", referred_by_email="jane@"), owner=alice
    )

    assert not form.is_valid()
    assert "referred_by_email" in form.errors


def test_it_proposes_the_people_already_named_when_editing(alice):
    dana = make_contact(owner=alice, name="Dana Whitfield")
    opportunity = make_opportunity(owner=alice, hiring_manager=dana)

    form = OpportunityForm(instance=opportunity, owner=alice)

    assert form["hiring_manager"].value() == dana.pk
    assert form["referred_by"].value() is None


# The services


def test_it_refuses_another_members_contact_in_the_service(alice, bob):
    bobs = make_contact(owner=bob)
    org = make_organization(owner=alice)
    with pytest.raises(Exception, match="Choose one of your own contacts"):
        create_opportunity(owner=alice, organization=org, title="Lead", referred_by=bobs)
    opportunity = make_opportunity(owner=alice)
    with pytest.raises(Exception, match="Choose one of your own contacts"):
        update_opportunity(opportunity=opportunity, organization=org, hiring_manager=bobs)


def test_it_adds_a_typed_person_to_the_network_at_the_employer(alice):
    from careertips.pipeline.people_forms import NewContact

    org = make_organization(owner=alice, name="Initech")
    people = people_on_opportunity(
        owner=alice,
        organization=org,
        people={"hiring_manager": NewContact("Priya Raman", "", "Director"), "referred_by": None},
    )

    priya = people["hiring_manager"]
    assert (priya.owner, priya.organization, priya.title) == (alice, org, "Director")
    assert priya.relationship == Contact.Relationship.HIRING_MANAGER
    assert people["referred_by"] is None


# The pages


def test_it_adds_an_opportunity_naming_an_existing_and_a_new_person(alice_client, alice):
    dana = make_contact(owner=alice, name="Dana Whitfield")
    response = alice_client.post(
        "/opportunities/new/",
        _form(hiring_manager=dana.pk, referred_by_name="Jane Doe", referred_by_email="j@x.example"),
    )

    opportunity = Opportunity.objects.get()
    assert response["Location"] == f"/opportunities/{opportunity.pk}/"
    assert opportunity.hiring_manager == dana
    jane = opportunity.referred_by
    assert (jane.name, jane.email, jane.owner) == ("Jane Doe", "j@x.example", alice)
    # The new contact works at the employer the same form created.
    assert jane.organization == opportunity.organization
    assert jane.organization.name == "Initech"


def test_it_writes_nothing_when_the_form_is_refused(alice_client, alice, bob):
    bobs = make_contact(owner=bob, name="Bobs Private Contact")
    response = alice_client.post(
        "/opportunities/new/", _form(hiring_manager=bobs.pk, referred_by_name="Jane Doe")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose one of your own contacts." in page
    assert "Bobs Private Contact" not in page
    assert not Opportunity.objects.exists()
    assert not Contact.objects.filter(owner=alice).exists()


def test_it_changes_and_clears_the_people_when_editing(alice_client, alice):
    dana = make_contact(owner=alice, name="Dana Whitfield")
    sam = make_contact(owner=alice, name="Sam Ortiz")
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERESTED, hiring_manager=dana)
    page = alice_client.get(f"/opportunities/{opportunity.pk}/edit/").content.decode()
    assert f'<option value="{dana.pk}" selected>Dana Whitfield, Acme Analytics</option>' in page

    data = _form(organization=opportunity.organization_id, organization_name="")
    data.pop("stage")
    alice_client.post(f"/opportunities/{opportunity.pk}/edit/", {**data, "referred_by": sam.pk})

    opportunity.refresh_from_db()
    assert (opportunity.hiring_manager, opportunity.referred_by) == (None, sam)


def test_it_labels_the_people_fields_for_keyboard_and_screen_readers(alice_client, alice):
    make_contact(owner=alice, name="Dana Whitfield")
    page = alice_client.get("/opportunities/new/").content.decode()

    assert '<label for="id_hiring_manager">Hiring manager</label>' in page
    assert '<label for="id_referred_by">Referred by</label>' in page
    assert '<label for="id_referred_by_name">…or a new referrer’s name</label>' in page
    assert '<select name="referred_by"' in page and "Dana Whitfield" in page


def test_it_shows_both_people_on_the_opportunity_page(alice_client, alice):
    dana = make_contact(owner=alice, name="Dana Whitfield")
    jane = make_contact(owner=alice, name="Jane Doe")
    opportunity = make_opportunity(owner=alice, hiring_manager=dana, referred_by=jane)

    page = alice_client.get(f"/opportunities/{opportunity.pk}/").content.decode()

    assert (
        f'<dt>Hiring manager</dt><dd><a href="/network/contacts/{dana.pk}/">Dana Whitfield</a>'
        in page
    )
    assert f'<dt>Referred by</dt><dd><a href="/network/contacts/{jane.pk}/">Jane Doe</a>' in page
    # A conversation with either is logged from here, about this opportunity.
    assert f'action="/network/contacts/{dana.pk}/touchpoints/"' in page
    assert f'action="/network/contacts/{jane.pk}/touchpoints/"' in page
    assert f'<input type="hidden" name="opportunity" value="{opportunity.pk}">' in page


def test_it_shows_touchpoints_about_the_opportunity_in_its_history(alice_client, alice):
    jane = make_contact(owner=alice, name="Jane Doe")
    opportunity = make_opportunity(owner=alice)
    make_touchpoint(contact=jane, opportunity=opportunity, note="Asked her for an intro")
    make_touchpoint(contact=jane, note="About something else")

    page = alice_client.get(f"/opportunities/{opportunity.pk}/").content.decode()
    entries = build_timeline(opportunity=opportunity)

    assert [e.title for e in entries if e.kind == "touchpoint"] == ["Coffee with Jane Doe"]
    assert "Asked her for an intro" in page
    assert "About something else" not in page
    assert f'<a href="/network/contacts/{jane.pk}/">Coffee with Jane Doe</a>' in page


def test_it_logs_a_touchpoint_from_the_opportunity_page_and_returns(alice_client, alice):
    jane = make_contact(owner=alice, name="Jane Doe")
    opportunity = make_opportunity(owner=alice, referred_by=jane)

    response = alice_client.post(
        f"/network/contacts/{jane.pk}/touchpoints/",
        {
            "kind": "call",
            "happened_on": timezone.localdate().isoformat(),
            "note": "Thanked her for the referral",
            "opportunity": opportunity.pk,
            "next": f"/opportunities/{opportunity.pk}/",
        },
    )

    assert response["Location"] == f"/opportunities/{opportunity.pk}/"
    assert Touchpoint.objects.get().opportunity == opportunity
    page = alice_client.get(response["Location"]).content.decode()
    assert "Call with Jane Doe" in page and "Thanked her for the referral" in page


def test_it_shows_the_opportunity_page_in_a_fixed_number_of_queries(alice_client, alice):
    jane = make_contact(owner=alice, name="Jane Doe")
    dana = make_contact(owner=alice, name="Dana Whitfield")
    opportunity = make_opportunity(owner=alice, hiring_manager=dana, referred_by=jane)
    url = f"/opportunities/{opportunity.pk}/"

    def add(n):
        for i in range(n):
            contact = make_contact(owner=alice, name=f"Person {i}")
            make_touchpoint(contact=contact, opportunity=opportunity)

    add(2)
    few = count_queries(alice_client, url)
    add(20)
    many = count_queries(alice_client, url)

    assert few == many


def test_it_keeps_the_opportunity_when_a_person_is_deleted(alice):
    jane = make_contact(owner=alice, name="Jane Doe")
    opportunity = make_opportunity(owner=alice, referred_by=jane)
    touchpoint = make_touchpoint(contact=make_contact(owner=alice), opportunity=opportunity)

    jane.delete()
    opportunity.refresh_from_db()
    assert opportunity.referred_by is None
    opportunity.delete()
    touchpoint.refresh_from_db()
    assert touchpoint.opportunity is None


# The debrief


def test_it_proposes_the_hiring_manager_set_on_the_form_to_the_debrief(alice_client, alice):
    alice_client.post(
        "/opportunities/new/",
        _form(stage="interviewing", hiring_manager_name="Priya Raman", source="job_board"),
    )
    opportunity = Opportunity.objects.get()

    alice_client.post(f"/opportunities/{opportunity.pk}/move/", {"stage": "turned_down"})

    debrief = Debrief.objects.get(opportunity=opportunity)
    assert debrief.contact == opportunity.hiring_manager
    assert debrief.contact.name == "Priya Raman"
    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    contact_url = f"/network/contacts/{debrief.contact_id}/"
    assert f'<dt>Name</dt><dd><a href="{contact_url}">Priya Raman</a>' in page
    assert "Who made the decision?" not in page


def test_it_preselects_the_hiring_manager_on_the_call_plan(alice_client, alice):
    dana = make_contact(owner=alice, name="Dana Whitfield")
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)
    data = _form(organization=opportunity.organization_id, organization_name="")
    data.pop("stage")
    alice_client.post(
        f"/opportunities/{opportunity.pk}/edit/",
        {**data, "source": Source.JOB_BOARD, "hiring_manager": dana.pk},
    )

    alice_client.post(f"/opportunities/{opportunity.pk}/move/", {"stage": "turned_down"})

    debrief = Debrief.objects.get(opportunity=opportunity)
    assert debrief.contact == dana


# The archive


def test_it_exports_the_people_and_the_touchpoints_link(alice_client, alice):
    jane = make_contact(owner=alice, name="Jane Doe")
    dana = make_contact(owner=alice, name="Dana Whitfield")
    opportunity = make_opportunity(owner=alice, hiring_manager=dana, referred_by=jane)
    touchpoint = make_touchpoint(contact=jane, opportunity=opportunity)

    response = alice_client.get("/settings/data/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    [row] = json.loads(archive.read("pipeline/opportunities.json"))
    assert (row["hiring_manager_id"], row["referred_by_id"]) == (dana.pk, jane.pk)
    [touch] = json.loads(archive.read("network/touchpoints.json"))
    assert (touch["id"], touch["opportunity_id"]) == (touchpoint.pk, opportunity.pk)
