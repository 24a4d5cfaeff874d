"""Adding, editing and deleting opportunities and their interviews."""

import datetime as dt

from django.contrib.messages import get_messages
from django.utils import timezone

from careertips.core.testing import htmx
from careertips.network.models import Contact, Organization
from careertips.network.tests.helpers import make_contact, make_organization
from careertips.pipeline.models import Interview, Opportunity, Stage
from careertips.pipeline.tests.helpers import make_interview, make_opportunity


def _flashes(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Creating, editing, deleting


def _form(**overrides):
    data = {
        "title": "Plant Manager",
        "organization_name": "Initech",
        "work_mode": "onsite",
        "source": "job_board",
        "currency": "USD",
        "found_on": timezone.localdate().isoformat(),
        "stage": "applied",
    }
    data.update(overrides)
    return data


def test_it_adds_an_opportunity_at_a_new_employer(alice_client, alice):
    response = alice_client.post("/opportunities/new/", _form())

    opportunity = Opportunity.objects.get()
    assert response["Location"] == f"/opportunities/{opportunity.pk}/"
    assert opportunity.owner == alice
    assert opportunity.organization.name == "Initech"
    assert opportunity.organization.owner == alice
    assert opportunity.stage == Stage.APPLIED
    assert opportunity.applied_on == timezone.localdate()
    assert opportunity.stage_changes.get().to_stage == Stage.APPLIED


def test_it_adds_an_opportunity_at_a_known_employer(alice_client, alice):
    org = make_organization(owner=alice, name="Initech")

    alice_client.post("/opportunities/new/", _form(organization_name="initech"))
    alice_client.post("/opportunities/new/", _form(organization=org.pk, organization_name=""))

    assert Organization.objects.filter(owner=alice).count() == 1
    assert Opportunity.objects.filter(organization=org).count() == 2


def test_it_shows_errors_at_the_field_and_saves_nothing(alice_client):
    response = alice_client.post(
        "/opportunities/new/", _form(pay_min="100", pay_max="50", title="")
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "The top of the range is below the bottom." in body
    assert 'aria-invalid="true"' in body
    assert not Opportunity.objects.exists()
    assert not Organization.objects.exists()


def test_it_preselects_an_employer_from_the_address(alice_client, alice, bob):
    mine = make_organization(owner=alice, name="Initech")
    theirs = make_organization(owner=bob, name="Hidden Corp")

    mine_form = alice_client.get(f"/opportunities/new/?organization={mine.pk}").context["form"]
    theirs_page = alice_client.get(f"/opportunities/new/?organization={theirs.pk}")
    junk_page = alice_client.get("/opportunities/new/?organization=abc")

    assert mine_form.initial["organization"] == mine
    assert theirs_page.context["form"].initial["organization"] is None
    assert b"Hidden Corp" not in theirs_page.content
    assert junk_page.status_code == 200


def test_it_edits_an_opportunity_but_not_its_stage(alice_client, alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.SCREENING)

    response = alice_client.post(
        f"/opportunities/{opportunity.pk}/edit/",
        _form(
            title="Senior Plant Manager",
            stage="offer",
            found_on=opportunity.found_on.isoformat(),
            applied_on=opportunity.applied_on.isoformat(),
        ),
    )

    assert response["Location"] == f"/opportunities/{opportunity.pk}/"
    opportunity.refresh_from_db()
    assert opportunity.title == "Senior Plant Manager"
    assert opportunity.organization.name == "Initech"
    assert opportunity.stage == Stage.SCREENING


def test_it_asks_before_deleting(alice_client, alice):
    opportunity = make_opportunity(owner=alice, title="Plant Manager")
    make_interview(opportunity=opportunity)

    page = alice_client.get(f"/opportunities/{opportunity.pk}/delete/")
    assert b"Delete this opportunity?" in page.content
    assert b"1 interview" in page.content
    assert Opportunity.objects.exists()

    response = alice_client.post(f"/opportunities/{opportunity.pk}/delete/")

    assert response["Location"] == "/opportunities/"
    assert not Opportunity.objects.exists()
    assert not Interview.objects.exists()


# Interviews


def test_it_adds_an_interview_with_a_new_interviewer(alice_client, alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.SCREENING)
    dana = make_contact(owner=alice)
    when = timezone.localtime() + dt.timedelta(days=2)

    response = alice_client.post(
        f"/opportunities/{opportunity.pk}/interviews/new/",
        {
            "scheduled_at": when.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60",
            "kind": "onsite",
            "interviewers": [dana.pk],
            "new_interviewers": "Sam Ortiz",
            "prep_notes": "Bring the plant turnaround story.",
        },
    )

    assert response["Location"] == f"/opportunities/{opportunity.pk}/#interviews"
    interview = opportunity.interviews.get()
    assert interview.kind == "onsite"
    assert sorted(c.name for c in interview.interviewers.all()) == ["Dana Whitfield", "Sam Ortiz"]
    assert Contact.objects.get(name="Sam Ortiz").owner == alice


def test_it_refuses_another_members_contact_on_an_interview(alice_client, alice, bob):
    opportunity = make_opportunity(owner=alice)
    stranger = make_contact(owner=bob, name="Eve Stranger")

    response = alice_client.post(
        f"/opportunities/{opportunity.pk}/interviews/new/",
        {
            "scheduled_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "45",
            "kind": "video",
            "interviewers": [stranger.pk],
        },
    )

    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert b"Eve Stranger" not in response.content
    assert not Interview.objects.exists()


def test_it_edits_and_deletes_an_interview(alice_client, alice):
    opportunity = make_opportunity(owner=alice)
    interview = make_interview(opportunity=opportunity)
    when = timezone.localtime() + dt.timedelta(days=3)

    alice_client.post(
        f"/opportunities/interviews/{interview.pk}/edit/",
        {
            "scheduled_at": when.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "30",
            "kind": "phone",
        },
    )
    interview.refresh_from_db()
    assert (interview.kind, interview.duration_minutes) == ("phone", 30)

    response = alice_client.post(f"/opportunities/interviews/{interview.pk}/delete/")

    assert response["Location"] == f"/opportunities/{opportunity.pk}/#interviews"
    assert not Interview.objects.exists()


def test_it_toggles_the_thank_you(alice_client, alice):
    interview = make_interview(opportunity=make_opportunity(owner=alice))
    url = f"/opportunities/interviews/{interview.pk}/thank-you/"

    response = alice_client.post(url)
    interview.refresh_from_db()
    assert interview.thank_you_sent_at is not None
    assert _flashes(response) == ["Marked the thank-you note as sent."]

    alice_client.post(url)
    interview.refresh_from_db()
    assert interview.thank_you_sent_at is None


def test_it_toggles_the_thank_you_in_place_for_htmx(alice_client, alice):
    interview = make_interview(opportunity=make_opportunity(owner=alice))

    response = alice_client.post(
        f"/opportunities/interviews/{interview.pk}/thank-you/",
        headers=htmx(f"interview-{interview.pk}"),
    )

    body = response.content.decode()
    assert body.lstrip().startswith(f'<li id="interview-{interview.pk}"')
    assert "✓ Thank-you sent" in body
    assert "<html" not in body
