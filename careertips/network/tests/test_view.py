import datetime as dt
import json

import time_machine
from django.template.loader import render_to_string
from django.utils import timezone

from careertips.core.testing import count_queries, htmx
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network import services
from careertips.network.models import Contact
from careertips.network.tests.helpers import (
    NOON,
    attend,
    make_contact,
    make_event,
    make_organization,
    make_touchpoint,
)
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_interview, make_opportunity

# --- contacts list -----------------------------------------------------------------------------


def test_it_lists_and_filters_contacts(alice_client, alice, bob):
    dana = make_contact(owner=alice, name="Dana Whitfield", title="Director of Ops")
    dana.tags.set(services.tags_named(owner=alice, names=["ops"]))
    make_contact(owner=alice, name="Sam Lee", relationship="recruiter")
    make_contact(owner=bob, name="Bob's Secret Contact")

    everyone = alice_client.get("/network/").content.decode()
    by_tag = alice_client.get("/network/?tag=ops").content.decode()
    by_search = alice_client.get("/network/?q=ops").content.decode()
    by_relationship = alice_client.get("/network/?relationship=recruiter").content.decode()

    assert "Dana Whitfield" in everyone and "Sam Lee" in everyone
    assert "Bob&#x27;s Secret" not in everyone and "Secret" not in everyone
    assert "Dana Whitfield" in by_tag and "Sam Lee" not in by_tag
    assert "Dana Whitfield" in by_search and "Sam Lee" not in by_search
    assert "Sam Lee" in by_relationship and "Dana Whitfield" not in by_relationship


@time_machine.travel(NOON, tick=False)
def test_it_filters_contacts_whose_touch_is_due(alice_client, alice):
    make_contact(owner=alice, name="Due Dana", next_touch_on=dt.date(2026, 3, 9))
    make_contact(owner=alice, name="Later Lee", next_touch_on=dt.date(2026, 4, 9))

    page = alice_client.get("/network/?due=on").content.decode()

    assert "Due Dana" in page and "Later Lee" not in page


def test_it_returns_only_the_results_to_htmx(alice_client, alice):
    make_contact(owner=alice, name="Dana Whitfield")

    response = alice_client.get("/network/?q=dana", headers=htmx("contact-results"))

    html = response.content.decode()
    assert '<div id="contact-results">' in html
    assert "<html" not in html and "Dana Whitfield" in html


def test_it_ignores_nonsense_filters(alice_client, alice):
    make_contact(owner=alice, name="Dana Whitfield")

    response = alice_client.get("/network/?warmth=hot&sort=evil&tag=nope&page=abc")

    assert response.status_code == 200
    assert "Dana Whitfield" in response.content.decode()


def test_it_lists_contacts_in_a_fixed_number_of_queries(alice_client, alice):
    def add(n: int) -> None:
        for i in range(n):
            contact = make_contact(owner=alice, name=f"Person {Contact.objects.count()} {i}")
            contact.tags.set(services.tags_named(owner=alice, names=[f"tag{i % 3}"]))
            make_touchpoint(contact=contact)

    add(2)
    few = count_queries(alice_client, "/network/")
    add(18)
    many = count_queries(alice_client, "/network/")

    assert few == many


def test_it_paginates_the_contact_list(alice_client, alice):
    for n in range(55):
        make_contact(owner=alice, name=f"Person {n:02d}")

    first = alice_client.get("/network/").content.decode()
    second = alice_client.get("/network/?page=2").content.decode()

    assert "Person 49" in first and "Person 50" not in first
    assert "Person 54" in second and "Page 2 of 2" in second


# --- contact page --------------------------------------------------------------------------------


def test_it_shows_one_timeline_for_a_contact(alice_client, alice):
    dana = make_contact(owner=alice, name="Dana Whitfield", cadence_days=60)
    make_touchpoint(contact=dana, note="Talked about the Q3 reorg")
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING, hiring_manager=dana)
    make_interview(opportunity=opportunity).interviewers.set([dana])
    make_debrief(
        owner=alice,
        opportunity=opportunity,
        contact=dana,
        status="closed",
        closed_at=timezone.now(),
    )
    attend(event=make_event(owner=alice), contact=dana, status="met")

    page = alice_client.get(f"/network/contacts/{dana.pk}/").content.decode()

    assert "Talked about the Q3 reorg" in page
    assert "interview: Operations Manager at Acme Analytics" in page
    assert "Hiring manager for Operations Manager at Acme Analytics" in page
    assert "Kept in touch after the Acme Analytics decision (Operations Manager)" in page
    assert "Met at ASQ chapter dinner" in page
    assert "Every 60 days" in page
    assert f'action="/network/contacts/{dana.pk}/touchpoints/"' in page


def test_it_escapes_the_timeline_and_lets_each_touchpoint_be_deleted(alice_client, alice):
    dana = make_contact(owner=alice)
    touch = make_touchpoint(contact=dana, kind="email", note='<script>alert("hi")</script>')
    opportunity = make_opportunity(owner=alice, title="Ops <Lead> & Co", hiring_manager=dana)

    page = alice_client.get(f"/network/contacts/{dana.pk}/").content.decode()

    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;" in page and "<script>a" not in page
    assert "Hiring manager for Ops &lt;Lead&gt; &amp; Co at" in page
    assert f'href="/opportunities/{opportunity.pk}/"' in page
    delete = f'<form method="post" action="/network/touchpoints/{touch.pk}/delete/"'
    assert page.count(delete) == 1
    form = page[page.index(delete) :].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form
    assert f'name="next" value="/network/contacts/{dana.pk}/"' in form
    assert 'aria-label="Delete this email"' in form


def test_it_renders_a_contact_page_in_a_fixed_number_of_queries(alice_client, alice):
    dana = make_contact(owner=alice)
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING, hiring_manager=dana)

    def add(n: int) -> None:
        for _ in range(n):
            make_touchpoint(contact=dana, event=make_event(owner=alice))
            make_interview(opportunity=opportunity).interviewers.add(dana)
            attend(event=make_event(owner=alice), contact=dana)
        dana.tags.add(*services.tags_named(owner=alice, names=[f"t{n}"]))

    add(2)
    few = count_queries(alice_client, f"/network/contacts/{dana.pk}/")
    add(18)
    many = count_queries(alice_client, f"/network/contacts/{dana.pk}/")

    assert few == many


def test_it_refreshes_the_activity_partial_for_htmx(alice_client, alice):
    dana = make_contact(owner=alice)
    make_touchpoint(contact=dana, note="Catch-up")

    response = alice_client.get(f"/network/contacts/{dana.pk}/", headers=htmx("contact-activity"))

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="contact-activity"')
    assert "Catch-up" in html and "<html" not in html


def test_it_points_out_a_likely_duplicate_on_the_contact_page(alice_client, alice):
    dana = make_contact(owner=alice, email="dana@acme.test")
    twin = make_contact(owner=alice, name="D. Whitfield", email="DANA@acme.test")

    page = alice_client.get(f"/network/contacts/{dana.pk}/").content.decode()

    assert f"/network/contacts/{dana.pk}/merge/?other={twin.pk}" in page


def _callout(page: str) -> str:
    return page.split('<div class="network-callout" role="note">')[1].split("</div>")[0]


def test_it_names_each_likely_duplicate_by_name_title_and_employer(alice_client, alice, bob):
    labs = make_organization(owner=alice, name="R&D <Labs>")
    name = 'Dana "D" O\'Neil'
    dana = make_contact(owner=alice, name=name, organization=labs, email="Dana@Acme.test")
    twin = make_contact(owner=alice, name=name, organization=labs, title="VP <Ops>")
    by_mail = make_contact(owner=alice, name="D. O'Neil", organization=None, email="dana@ACME.test")
    make_contact(owner=alice, name=name, organization=make_organization(owner=alice, name="Else"))
    make_contact(owner=bob, name=name, organization=labs, email="dana@acme.test")

    callout = _callout(alice_client.get(f"/network/contacts/{dana.pk}/").content.decode())

    assert (
        f'<a href="/network/contacts/{twin.pk}/">Dana &quot;D&quot; O&#x27;Neil, VP &lt;Ops&gt;, '
        "R&amp;D &lt;Labs&gt;</a>"
    ) in callout
    assert f'<a href="/network/contacts/{by_mail.pk}/">D. O&#x27;Neil</a>' in callout
    assert callout.count("compare and merge") == 2


def test_it_finds_a_duplicate_of_a_contact_with_no_employer_or_email(alice_client, alice):
    dana = make_contact(owner=alice, name="Dana Whitfield", organization=None)
    twin = make_contact(owner=alice, name="Dana Whitfield", organization=None, title="CTO")
    make_contact(owner=alice, name="Dana Whitfield")  # at an employer: someone else

    callout = _callout(alice_client.get(f"/network/contacts/{dana.pk}/").content.decode())

    assert f'<a href="/network/contacts/{twin.pk}/">Dana Whitfield, CTO</a>' in callout
    assert callout.count("compare and merge") == 1


def test_it_links_each_tag_of_a_contact_to_the_list_of_its_contacts(alice_client, alice):
    dana = make_contact(owner=alice)
    dana.tags.set(services.tags_named(owner=alice, names=["R&D <x>", "alumni"]))

    page = alice_client.get(f"/network/contacts/{dana.pk}/").content.decode()

    assert (
        '<a class="badge network-tag" href="/network/?tag=R%26D%20%3Cx%3E">R&amp;D &lt;x&gt;</a> '
        '<a class="badge network-tag" href="/network/?tag=alumni">alumni</a>'
    ) in page


# --- adding and editing --------------------------------------------------------------------------


def test_it_adds_a_contact_with_a_new_organization_and_tags(alice_client, alice):
    response = alice_client.post(
        "/network/contacts/new/",
        {
            "name": "Kim Osei",
            "new_organization": "ASQ  Boston",
            "relationship": "association_member",
            "warmth": "3",
            "tags": "ASQ, mentor, asq",
            "cadence_days": "45",
        },
    )

    kim = Contact.objects.get(name="Kim Osei")
    assert response.status_code == 302 and response["Location"] == f"/network/contacts/{kim.pk}/"
    assert (kim.owner, kim.organization.name, kim.warmth, kim.cadence_days) == (
        alice,
        "ASQ Boston",
        3,
        45,
    )
    assert sorted(t.name for t in kim.tags.all()) == ["ASQ", "mentor"]


def test_it_warns_about_a_duplicate_before_adding(alice_client, alice):
    dana = make_contact(owner=alice, name="Dana Whitfield", email="dana@acme.test")
    data = {"name": "Dana W", "email": "DANA@acme.test", "relationship": "other", "warmth": "2"}

    warned = alice_client.post("/network/contacts/new/", data)
    saved = alice_client.post("/network/contacts/new/", {**data, "different_person": "on"})

    html = warned.content.decode()
    assert warned.status_code == 200
    assert "looks like someone already in your network" in html
    assert f'href="/network/contacts/{dana.pk}/"' in html
    assert saved.status_code == 302
    assert Contact.objects.filter(owner=alice).count() == 2


def test_it_refuses_another_members_organization(alice_client, alice, bob):
    theirs = make_organization(owner=bob, name="Bob Corp")

    response = alice_client.post(
        "/network/contacts/new/",
        {"name": "Kim", "organization": theirs.pk, "relationship": "other", "warmth": "2"},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Contact.objects.filter(name="Kim").exists()


@time_machine.travel(NOON, tick=False)
def test_it_rejects_bad_input_at_the_field(alice_client, alice):
    response = alice_client.post(
        "/network/contacts/new/",
        {
            "name": "",
            "email": "nope",
            "relationship": "boss",
            "warmth": "9",
            "cadence_days": "0",
            "next_touch_on": "2026-02-30",
            "tags": "x" * 60,
        },
    )

    form = response.context["form"]
    assert set(form.errors) == {
        "name", "email", "relationship", "warmth", "cadence_days", "next_touch_on", "tags",
    }  # fmt: skip
    assert not Contact.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_it_refuses_a_next_touch_in_the_past_or_too_far_ahead(alice_client, alice):
    base = {"name": "Kim", "relationship": "other", "warmth": "2"}

    past = alice_client.post("/network/contacts/new/", {**base, "next_touch_on": "2026-03-01"})
    far = alice_client.post("/network/contacts/new/", {**base, "next_touch_on": "2029-01-01"})

    assert past.context["form"].errors["next_touch_on"] == ["Pick today or a later date."]
    assert far.context["form"].errors["next_touch_on"] == ["Pick a date within the next two years."]


def test_it_edits_a_contact(alice_client, alice):
    dana = make_contact(owner=alice)
    dana.tags.set(services.tags_named(owner=alice, names=["old"]))

    form_page = alice_client.get(f"/network/contacts/{dana.pk}/edit/").content.decode()
    response = alice_client.post(
        f"/network/contacts/{dana.pk}/edit/",
        {"name": "Dana Whitfield-Ng", "relationship": "mentor", "warmth": "1", "tags": "new"},
    )

    assert 'value="old"' in form_page
    assert response.status_code == 302
    dana.refresh_from_db()
    assert (dana.name, dana.relationship, dana.organization) == (
        "Dana Whitfield-Ng",
        "mentor",
        None,
    )
    assert [t.name for t in dana.tags.all()] == ["new"]


def test_it_deletes_a_contact_after_confirming(alice_client, alice):
    dana = make_contact(owner=alice)

    confirm = alice_client.get(f"/network/contacts/{dana.pk}/delete/")
    response = alice_client.post(f"/network/contacts/{dana.pk}/delete/")

    assert "Delete Dana Whitfield?" in confirm.content.decode()
    assert response["Location"] == "/network/"
    assert not Contact.objects.exists()


# --- touchpoints ---------------------------------------------------------------------------------


@time_machine.travel(NOON, tick=False)
def test_it_logs_a_touchpoint_inline_with_htmx(alice_client, alice):
    dana = make_contact(owner=alice, cadence_days=30)

    response = alice_client.post(
        f"/network/contacts/{dana.pk}/touchpoints/",
        {"kind": "coffee", "happened_on": "2026-03-09", "note": "Flour bakery"},
        headers=htmx(),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form class="log-touch"')
    assert "Logged: coffee on 9 Mar 2026. Next touch 8 Apr 2026." in html
    assert json.loads(response["HX-Trigger"]) == {"touchpoint-logged": {"contact": dana.pk}}
    assert dana.touchpoints.get().note == "Flour bakery"


@time_machine.travel(NOON, tick=False)
def test_it_logs_a_touchpoint_without_javascript_and_returns(alice_client, alice):
    dana = make_contact(owner=alice)

    back = alice_client.post(
        f"/network/contacts/{dana.pk}/touchpoints/",
        {"kind": "call", "happened_on": "2026-03-10", "next": "/network/?q=dana"},
    )
    offsite = alice_client.post(
        f"/network/contacts/{dana.pk}/touchpoints/",
        {"kind": "call", "happened_on": "2026-03-10", "next": "https://evil.test/"},
    )

    assert back["Location"] == "/network/?q=dana"
    assert offsite["Location"] == f"/network/contacts/{dana.pk}/"
    assert dana.touchpoints.count() == 2


@time_machine.travel(NOON, tick=False)
def test_it_shows_touchpoint_errors_in_place(alice_client, alice, bob):
    dana = make_contact(owner=alice)
    bobs_event = make_event(owner=bob)

    inline = alice_client.post(
        f"/network/contacts/{dana.pk}/touchpoints/",
        {"kind": "call", "happened_on": "2026-04-01"},
        headers=htmx(),
    )
    page = alice_client.post(
        f"/network/contacts/{dana.pk}/touchpoints/",
        {"kind": "carrier-pigeon", "happened_on": "yesterday", "event": bobs_event.pk},
    )

    assert "A touchpoint cannot be in the future." in inline.content.decode()
    assert 'value="2026-04-01"' in inline.content.decode()
    assert page.status_code == 422
    assert set(page.context["touch_form"].errors) == {"kind", "happened_on", "event"}
    assert not dana.touchpoints.exists()


def test_it_offers_the_log_form_to_any_page_that_includes_it(rf, alice):
    dana = make_contact(owner=alice)
    request = rf.get("/today/")
    request.user = alice

    html = render_to_string("network/_log_touchpoint.html", {"contact": dana}, request=request)

    assert f'data-hx-post="/network/contacts/{dana.pk}/touchpoints/"' in html
    assert 'name="next" value="/today/"' in html
    for value, _label in dana.touchpoint_kinds:
        assert f'<option value="{value}"' in html
    assert '<option value="call" selected>' in html


def test_it_deletes_a_touchpoint(alice_client, alice):
    touch = make_touchpoint(contact=make_contact(owner=alice))

    response = alice_client.post(f"/network/touchpoints/{touch.pk}/delete/")

    assert response["Location"] == f"/network/contacts/{touch.contact_id}/"
    assert not touch.contact.touchpoints.exists()


# --- merging and duplicates ----------------------------------------------------------------------


def test_it_compares_and_merges_two_contacts(alice_client, alice):
    dana = make_contact(owner=alice, email="dana@acme.test")
    twin = make_contact(owner=alice, name="Dana W.", email="DANA@acme.test", phone="555")
    make_touchpoint(contact=dana)

    choose = alice_client.get(f"/network/contacts/{dana.pk}/merge/").content.decode()
    compare = alice_client.get(f"/network/contacts/{dana.pk}/merge/?other={twin.pk}")
    response = alice_client.post(
        f"/network/contacts/{dana.pk}/merge/", {"other": twin.pk, "keep": "other"}
    )

    assert f'href="?other={twin.pk}"' in choose
    assert "Which one stays?" in compare.content.decode()
    assert response["Location"] == f"/network/contacts/{twin.pk}/"
    assert list(Contact.objects.values_list("pk", flat=True)) == [twin.pk]
    assert twin.touchpoints.count() == 1


def test_it_refuses_to_merge_with_another_members_contact(alice_client, alice, bob):
    dana = make_contact(owner=alice)
    theirs = make_contact(owner=bob)

    response = alice_client.post(
        f"/network/contacts/{dana.pk}/merge/", {"other": theirs.pk, "keep": "this"}
    )

    assert response.status_code == 200
    assert "Choose a contact." in response.content.decode()
    assert Contact.objects.count() == 2


def test_it_lists_duplicate_groups(alice_client, alice):
    dana = make_contact(owner=alice, email="dana@acme.test")
    twin = make_contact(owner=alice, name="Someone", email="Dana@Acme.test")

    page = alice_client.get("/network/contacts/duplicates/").content.decode()

    assert f"/network/contacts/{dana.pk}/merge/?other={twin.pk}" in page


# --- export ---------------------------------------------------------------------------------------


def test_it_exports_csv_and_vcard_as_downloads(alice_client, alice, bob):
    make_contact(owner=alice, name="=Dana", email="dana@acme.test")
    make_contact(owner=bob, name="Bob's contact")

    csv_response = alice_client.get("/network/contacts/export.csv")
    vcf_response = alice_client.get("/network/contacts/export.vcf")

    csv_text = b"".join(csv_response.streaming_content).decode()
    vcf_text = b"".join(vcf_response.streaming_content).decode()
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"].startswith("attachment; filename=")
    assert "'=Dana" in csv_text and "Bob" not in csv_text
    assert vcf_response["Content-Type"] == "text/vcard; charset=utf-8"
    assert "FN:=Dana" in vcf_text and "Bob" not in vcf_text
