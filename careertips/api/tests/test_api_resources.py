"""Interviews, debriefs, contacts, stories, Today and offers: each write through its service."""

import datetime as dt

import pytest
from django.utils import timezone

from careertips.agenda.models import Snooze
from careertips.api.tests.helpers import call, make_token
from careertips.debriefs.models import CallAttempt, ImprovementAction
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.models import Contact
from careertips.network.tests.helpers import make_contact
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_opportunity
from careertips.stories.models import Story

V1 = "/api/v1"


@pytest.fixture
def token(alice):
    return make_token(alice)


def test_it_schedules_an_interview_with_new_interviewers(alice, token):
    opportunity = make_opportunity(owner=alice)
    when = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    body = {"scheduled_at": when.isoformat(), "kind": "panel", "new_interviewers": "Dana Lee"}
    response = call(
        "post", f"{V1}/opportunities/{opportunity.pk}/interviews", token=token, body=body
    )
    assert response.status_code == 201, response.content
    interview = response.json()
    assert interview["kind"] == "panel"
    dana = Contact.objects.get(owner=alice, name="Dana Lee")
    assert interview["interviewer_ids"] == [dana.pk]
    listed = call("get", f"{V1}/interviews", token=token).json()["items"]
    assert [row["id"] for row in listed] == [interview["id"]]


def test_it_refuses_another_members_contact_as_interviewer(alice, bob, token):
    opportunity = make_opportunity(owner=alice)
    body = {
        "scheduled_at": (timezone.now() + dt.timedelta(days=3)).isoformat(),
        "interviewer_ids": [make_contact(owner=bob).pk],
    }
    response = call(
        "post", f"{V1}/opportunities/{opportunity.pk}/interviews", token=token, body=body
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "interviewers"


def test_it_logs_an_attempt_and_records_feedback_on_a_debrief(alice, token):
    debrief = make_debrief(owner=alice)
    path = f"{V1}/debriefs/{debrief.pk}"
    attempt = call("post", f"{path}/attempts", token=token, body={"outcome": "reached"})
    assert attempt.status_code == 201, attempt.content
    assert CallAttempt.objects.get(debrief=debrief).outcome == "reached"

    body = {
        "feedback": "Strong, but thin on budgets.",
        "themes": [{"theme": "skills_gap", "detail": "budgeting"}],
    }
    response = call("put", f"{path}/feedback", token=token, body=body)
    assert response.status_code == 200, response.content
    assert response.json()["themes"] == [{"theme": "skills_gap", "detail": "budgeting"}]
    assert ImprovementAction.objects.filter(debrief=debrief).count() == 1


def test_it_gives_the_service_error_for_an_attempt_on_a_closed_debrief(alice, token):
    from careertips.debriefs.services import dismiss_debrief

    debrief = make_debrief(owner=alice)
    dismiss_debrief(debrief=debrief, reason="Role was cancelled.")
    response = call(
        "post", f"{V1}/debriefs/{debrief.pk}/attempts", token=token, body={"outcome": "reached"}
    )
    assert response.status_code == 422
    assert "reopen it" in response.json()["detail"]


def test_it_refuses_an_attempt_in_the_future_with_the_pages_message(alice, token):
    debrief = make_debrief(owner=alice)
    later = (timezone.now() + dt.timedelta(days=1)).isoformat()
    body = {"outcome": "reached", "attempted_at": later}
    response = call("post", f"{V1}/debriefs/{debrief.pk}/attempts", token=token, body=body)
    assert response.json()["errors"] == [
        {"field": "attempted_at", "message": "An attempt cannot be in the future."}
    ]


def test_it_adds_a_contact_and_logs_a_touchpoint(alice, token):
    body = {"name": "Dana Whitfield", "new_organization": "Acme", "tags": ["ops", "ASQ"]}
    response = call("post", f"{V1}/contacts", token=token, body=body)
    assert response.status_code == 201, response.content
    contact = response.json()
    assert sorted(contact["tags"]) == ["ASQ", "ops"]
    again = call("post", f"{V1}/contacts", token=token, body=body)
    assert again.status_code == 422  # the page's duplicate check
    path = f"{V1}/contacts/{contact['id']}/touchpoints"
    logged = call("post", path, token=token, body={"kind": "coffee", "note": "Met at ASQ."})
    assert logged.status_code == 201, logged.content
    assert [t["note"] for t in call("get", path, token=token).json()["items"]] == ["Met at ASQ."]


def test_it_adds_a_story_with_its_first_revision(alice, token):
    body = {
        "title": "Cut vendor costs",
        "challenge": "Three vendors.",
        "action": "Merged them.",
        "result": "Saved 18%.",
    }
    response = call("post", f"{V1}/stories", token=token, body=body)
    assert response.status_code == 201, response.content
    story = Story.objects.get(pk=response.json()["id"], owner=alice)
    assert story.revisions.count() == 1


def test_it_lists_today_and_completes_and_snoozes_items(alice, token):
    applied = timezone.localdate() - dt.timedelta(days=30)
    due = make_opportunity(owner=alice, title="Waiting", applied_on=applied, found_on=applied)
    later = make_opportunity(
        owner=alice, title="Also waiting", applied_on=applied, found_on=applied
    )
    today = call("get", f"{V1}/today", token=token).json()
    keys = {(row["kind"], row["object_id"]) for row in today["items"]}
    assert {("follow-up", due.pk), ("follow-up", later.pk)} <= keys

    done = call("post", f"{V1}/today/follow-up/{due.pk}/complete", token=token, body={})
    assert done.status_code == 200, done.content
    due.refresh_from_db()
    assert due.followed_up_on == timezone.localdate()

    snoozed = call("post", f"{V1}/today/follow-up/{later.pk}/snooze", token=token, body={"days": 3})
    assert snoozed.status_code == 200
    assert Snooze.objects.get(
        owner=alice, object_id=later.pk
    ).until == timezone.localdate() + dt.timedelta(days=3)
    bad = call("post", f"{V1}/today/follow-up/{later.pk}/snooze", token=token, body={"days": 5})
    assert bad.json()["errors"] == [
        {"field": "days", "message": "Snooze for 1 day, 3 days or a week."}
    ]


def test_it_lists_what_completing_each_call_asks_for(alice, token):
    """A call to a named person asks how it went; one with nobody named asks who to call."""
    named = make_debrief(owner=alice, contact=make_contact(owner=alice, name="Lee"))
    unnamed = make_debrief(owner=alice)
    for debrief in (named, unnamed):
        debrief.call_by = timezone.localdate()
        debrief.save()

    response = call("get", f"{V1}/today", token=token)

    assert response.status_code == 200, response.content
    needs = {row["object_id"]: row["needs"] for row in response.json()["items"]}
    assert needs[named.pk] == ["outcome", "channel", "note"]
    assert needs[unnamed.pk] == ["name", "title", "email", "phone"]


def test_it_reads_offers(alice, token):
    from careertips.offers.tests.factories import make_offer

    offer = make_offer(owner=alice)
    listed = call("get", f"{V1}/offers", token=token).json()["items"]
    assert [row["id"] for row in listed] == [offer.pk]
    assert (
        call("get", f"{V1}/offers/{offer.pk}", token=token).json()["base_salary"]
        == offer.base_salary
    )


def test_it_never_widens_a_coachs_access_through_a_token(alice, coach):
    from careertips.coaching.services import share_with

    share_with(member=alice, coach=coach)
    opportunity = make_opportunity(owner=alice, stage=Stage.APPLIED)
    coach_token = make_token(coach)
    assert call("get", f"{V1}/opportunities/{opportunity.pk}", token=coach_token).status_code == 404
    assert call("get", f"{V1}/opportunities", token=coach_token).json()["items"] == []
