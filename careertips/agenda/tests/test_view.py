import datetime as dt
import re

import icalendar
import pytest
import time_machine
import vobject
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from careertips.agenda.models import AgendaSettings, Metric, Snooze, WeeklyGoal
from careertips.agenda.services import today as today_service
from careertips.agenda.services.goals import set_weekly_goals
from careertips.agenda.tests.helpers import NOW, TODAY, days, due_contact, expect_at, make_action
from careertips.core.testing import count_queries, htmx
from careertips.debriefs.models import CallAttempt
from careertips.debriefs.services import log_attempt
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.models import Touchpoint
from careertips.network.tests.helpers import (
    make_contact,
    make_event,
    make_organization,
    make_touchpoint,
)
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_interview, make_opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _text(response) -> str:
    return response.content.decode()


def _flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the page -----------------------------------------------------------------------------------


def test_it_sends_visitors_to_the_login_page(client):
    response = client.get("/today/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_the_day_in_groups(alice, alice_client):
    make_action(owner=alice, due_on=TODAY - days(1), title="Rework the budget story")
    due_contact(owner=alice, on=TODAY)
    opp = make_opportunity(owner=alice, stage=Stage.INTERVIEWING, title="Ops Lead")
    make_interview(opportunity=opp, scheduled_at=NOW + days(2), prep_notes="ERP rollout")

    response = alice_client.get("/today/")

    html = _text(response)
    assert response.status_code == 200
    assert "<strong>2 things to do today</strong>, 1 overdue; 1 coming up this week." in html
    overdue, today, soon = (
        html.index(f'id="group-{slug}"') for slug in ("overdue", "today", "soon")
    )
    assert overdue < html.index("Rework the budget story") < today
    assert today < html.index("Get in touch with Dana Whitfield") < soon
    assert soon < html.index("Video interview for Ops Lead at Acme Analytics")
    assert "Fri Mar 13, 15:00" in html


def test_it_offers_done_and_snooze_to_plain_forms_and_to_htmx(alice, alice_client):
    action = make_action(owner=alice, due_on=TODAY)
    path = f"/today/items/action/{action.pk}/"

    html = _text(alice_client.get("/today/"))

    assert f'<form method="post" action="{path}snooze/"' in html
    assert f'formaction="{path}done/" data-hx-post="{path}done/"' in html
    assert f'data-hx-post="{path}snooze/"' in html
    assert f'<a href="{path}">Open this item</a>' in html
    assert '<option value="1">1 day</option><option value="3">3 days</option>' in html


def test_it_shows_times_in_the_members_time_zone(alice, alice_client):
    alice.time_zone = "America/Los_Angeles"
    alice.save(update_fields=["time_zone"])
    opp = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)
    make_interview(opportunity=opp, scheduled_at=NOW + dt.timedelta(hours=2))

    html = _text(alice_client.get("/today/"))

    assert "Wed Mar 11, 10:00" in html  # 17:00 UTC is 10:00 in Los Angeles


def test_it_says_so_when_nothing_is_due(alice_client):
    html = _text(alice_client.get("/today/"))
    assert "Nothing due" in html
    assert 'id="group-' not in html


def test_it_sends_only_the_list_to_htmx(alice, alice_client):
    make_action(owner=alice, due_on=TODAY)

    response = alice_client.get("/today/", headers=htmx())

    html = _text(response)
    assert html.lstrip().startswith('<div id="agenda"')
    assert "<html" not in html
    assert "Strengthen the budget story" in html
    assert "HX-Request" in response["Vary"]


def test_it_keeps_another_members_items_off_the_page(bob, alice_client):
    make_action(owner=bob, due_on=TODAY, title="Bob's secret plan")
    assert "Bob&#x27;s secret plan" not in _text(alice_client.get("/today/"))


def test_it_shows_more_of_a_group_on_request(alice, alice_client, monkeypatch):
    monkeypatch.setattr(today_service, "GROUP_LIMIT", 3)
    actions = [make_action(owner=alice, due_on=TODAY - days(n + 1)) for n in range(5)]

    short = _text(alice_client.get("/today/"))
    full = _text(alice_client.get("/today/?group=overdue"))
    ignored = _text(alice_client.get("/today/?group=everything"))

    assert short.count('class="agenda-item kind-action"') == 3
    assert "…and 2 more." in short
    assert 'href="?group=overdue#group-overdue"' in short
    assert full.count('class="agenda-item kind-action"') == 5
    assert "Show more overdue" not in full
    assert ignored.count('class="agenda-item kind-action"') == 3
    done = alice_client.post(
        f"/today/items/action/{actions[0].pk}/done/", {"group": "overdue"}, headers=htmx()
    )
    assert _text(done).count('class="agenda-item kind-action"') == 4


# --- done, snooze, wake ----------------------------------------------------------------------


def test_it_marks_an_item_done_in_place(alice, alice_client):
    action = make_action(owner=alice, due_on=TODAY)

    response = alice_client.post(f"/today/items/action/{action.pk}/done/", headers=htmx())

    html = _text(response)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="agenda"')
    assert "Done: Strengthen the budget story" in html
    assert f'id="item-action-{action.pk}"' not in html
    action.refresh_from_db()
    assert action.done_at == NOW


def test_it_marks_an_item_done_without_javascript(alice, alice_client):
    opp = make_opportunity(owner=alice, applied_on=TODAY - days(9), found_on=TODAY - days(10))

    response = alice_client.post(f"/today/items/follow-up/{opp.pk}/done/")

    assert response.status_code == 302
    assert response["Location"] == "/today/"
    assert _flash(response) == ["Noted: you followed up on Operations Manager."]
    opp.refresh_from_db()
    assert opp.followed_up_on == TODAY


def test_it_logs_a_call_from_the_opened_item(alice, alice_client):
    debrief = make_debrief(owner=alice, contact=make_contact(owner=alice))
    url = f"/today/items/call/{debrief.pk}/done/"

    response = alice_client.post(url, {"outcome": "reached", "channel": "phone"}, headers=htmx())

    assert "Logged: reached them." in _text(response)
    assert debrief.attempts.get().outcome == CallAttempt.Outcome.REACHED


def test_it_puts_a_call_form_error_at_the_field_inside_the_opened_item(alice, alice_client):
    debrief = make_debrief(owner=alice, contact=make_contact(owner=alice))
    url = f"/today/items/call/{debrief.pk}/done/"

    response = alice_client.post(url, {"outcome": "shouted", "channel": "phone"}, headers=htmx())

    html = _text(response)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#open-item-call-{debrief.pk}"
    assert response["HX-Reswap"] == "innerHTML"
    assert "Select a valid choice" in html
    assert f'id="id_item-call-{debrief.pk}_outcome"' in html
    assert not debrief.attempts.exists()


def test_it_shows_the_call_form_again_with_errors_without_javascript(alice, alice_client):
    debrief = make_debrief(owner=alice, contact=make_contact(owner=alice))

    response = alice_client.post(f"/today/items/call/{debrief.pk}/done/", {"channel": "phone"})

    html = _text(response)
    assert response.status_code == 200
    assert "<html" in html
    assert "Choose what happened on the call." in html


def test_it_names_who_to_call_from_today(alice, alice_client):
    debrief = make_debrief(owner=alice)
    url = f"/today/items/call/{debrief.pk}/done/"

    bad = alice_client.post(url, {"name": "   ", "email": "not-an-email"}, headers=htmx())
    assert "Give the hiring manager&#x27;s name." in _text(bad)
    assert "Enter a valid email address." in _text(bad)

    alice_client.post(url, {"name": "Dana  Whitfield", "email": "dana@acme.test"}, headers=htmx())
    debrief.refresh_from_db()
    assert debrief.contact.name == "Dana Whitfield"
    assert debrief.contact.owner == alice


def test_it_logs_a_network_touch_through_the_network(alice, alice_client):
    dana = due_contact(owner=alice, on=TODAY)

    response = alice_client.post(
        f"/today/items/touch/{dana.pk}/done/", {"kind": "email", "note": "Sent the article"}
    )

    assert response.status_code == 302
    touch = Touchpoint.objects.get(contact=dana)
    assert (touch.kind, touch.happened_on, touch.note) == ("email", TODAY, "Sent the article")


def test_it_offers_no_done_for_an_interview_that_is_yet_to_happen(alice, alice_client):
    opp = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)
    interview = make_interview(opportunity=opp)

    response = alice_client.post(f"/today/items/interview/{interview.pk}/done/", headers=htmx())

    assert "There is nothing to mark done here yet; open it, or snooze it." in _text(response)
    assert "flash-error" in _text(response)


def test_it_snoozes_an_item_in_place(alice, alice_client):
    action = make_action(owner=alice, due_on=TODAY)

    response = alice_client.post(
        f"/today/items/action/{action.pk}/snooze/", {"days": "7"}, headers=htmx()
    )

    html = _text(response)
    assert "Snoozed until Wed Mar 18: Strengthen the budget story" in html
    assert f'id="item-action-{action.pk}"' not in html
    assert "back on Wed Mar 18" in html  # listed under Snoozed
    snooze = Snooze.objects.get()
    assert (snooze.owner, snooze.key, snooze.until) == (
        alice,
        f"action:{action.pk}",
        TODAY + days(7),
    )


@pytest.mark.parametrize("days_", ["2", "", "week", "-1"])
def test_it_refuses_a_snooze_it_does_not_offer(alice, alice_client, days_):
    action = make_action(owner=alice, due_on=TODAY)

    response = alice_client.post(f"/today/items/action/{action.pk}/snooze/", {"days": days_})

    assert response.status_code == 302
    assert not Snooze.objects.exists()
    assert _flash(response) in (
        ["Snooze for 1 day, 3 days or a week."],
        ["This field is required."],
    )


def test_it_brings_a_snoozed_item_back(alice, alice_client):
    action = make_action(owner=alice, due_on=TODAY)
    alice_client.post(f"/today/items/action/{action.pk}/snooze/", {"days": "1"})

    response = alice_client.post(f"/today/snoozes/{Snooze.objects.get().pk}/wake/", headers=htmx())

    assert f'id="item-action-{action.pk}"' in _text(response)
    assert not Snooze.objects.exists()


def test_it_answers_404_for_an_unknown_kind_of_item(alice_client):
    assert alice_client.get("/today/items/nonsense/1/").status_code == 404
    assert alice_client.post("/today/items/nonsense/1/snooze/", {"days": "1"}).status_code == 404


# --- opened in place ---------------------------------------------------------------------------


def test_it_opens_an_interview_with_its_prep_notes(alice, alice_client):
    opp = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)
    interview = make_interview(opportunity=opp, prep_notes="Lead with the <ERP> rollout.")

    partial = alice_client.get(f"/today/items/interview/{interview.pk}/", headers=htmx())
    page = alice_client.get(f"/today/items/interview/{interview.pk}/")

    assert "<html" not in _text(partial)
    assert "Lead with the &lt;ERP&gt; rollout." in _text(partial)
    assert "data-hx-post" not in _text(page)  # the full page posts plainly
    assert "<h1>Video interview for Operations Manager at Acme Analytics</h1>" in _text(page)


def test_it_opens_a_follow_up_with_a_draft_to_copy(alice, alice_client):
    opp = make_opportunity(owner=alice, applied_on=TODAY - days(9), found_on=TODAY - days(10))

    html = _text(alice_client.get(f"/today/items/follow-up/{opp.pk}/", headers=htmx()))

    assert "I applied for the Operations Manager role at Acme Analytics on March 2" in html
    assert "Alice Moreno" in html
    assert 'data-copy="#draft-item-follow-up-' in html


def test_it_opens_an_event_with_who_to_see_there(alice, alice_client):
    asq = make_organization(owner=alice, name="ASQ Boston")
    event = make_event(owner=alice, organization=asq, starts_at=timezone.now() + days(3))
    lee = make_contact(owner=alice, name="Lee Park")
    expect_at(event, lee)
    make_touchpoint(
        contact=lee, happened_on=TODAY - days(20), kind="call", note="Talked about audits"
    )

    html = _text(alice_client.get(f"/today/items/event/{event.pk}/", headers=htmx()))

    assert "Lee Park" in html
    assert "Talked about audits" in html


def test_it_opens_a_call_with_the_opening_line(alice, alice_client):
    debrief = make_debrief(owner=alice, contact=make_contact(owner=alice, phone="+1 555 0100"))
    log_attempt(debrief=debrief, channel="phone", outcome="no_answer")

    html = _text(alice_client.get(f"/today/items/call/{debrief.pk}/", headers=htmx()))

    assert "Hi Dana, this is Alice Moreno." in html
    assert 'href="tel:+1 555 0100"' in html
    assert "Choose what happened on the call" not in html  # no errors before posting


# --- goals -------------------------------------------------------------------------------------


def test_it_saves_weekly_goals_and_shows_progress(alice, alice_client):
    make_opportunity(owner=alice, stage=Stage.APPLIED)

    response = alice_client.post(
        "/today/goals/",
        {"applications": "5", "touches": "", "meetings": "0", "interviews": "2"},
        headers=htmx(),
    )

    html = _text(response)
    assert "Weekly goals saved." in html
    assert '<progress id="goal-applications" max="5" value="1">1 of 5</progress>' in html
    assert "Applications sent" in html and "1 of 5" in html
    assert dict(WeeklyGoal.objects.values_list("metric", "target")) == {
        "applications": 5,
        "interviews": 2,
    }


@pytest.mark.parametrize("value", ["-1", "101", "lots"])
def test_it_puts_a_bad_goal_at_its_field(alice, alice_client, value):
    response = alice_client.post("/today/goals/", {"applications": value})

    html = _text(response)
    assert response.status_code == 200
    assert 'class="field field-error"' in html
    assert not WeeklyGoal.objects.exists()


def test_it_redirects_after_saving_goals_without_javascript(alice, alice_client):
    set_weekly_goals(owner=alice, targets={Metric.TOUCHES: 3})

    response = alice_client.post("/today/goals/", {"touches": "4"})

    assert response["Location"] == "/today/#goals"
    assert WeeklyGoal.objects.get().target == 4


# --- digest settings ----------------------------------------------------------------------------


def test_it_saves_the_digest_settings(alice, alice_client):
    response = alice_client.post(
        "/today/digest/", {"digest_enabled": "on", "digest_hour": "6"}, headers=htmx()
    )

    assert "Daily digest saved." in _text(response)
    prefs = AgendaSettings.objects.get(owner=alice)
    assert (prefs.digest_enabled, prefs.digest_hour) == (True, 6)

    alice_client.post("/today/digest/", {"digest_hour": "6"})
    prefs.refresh_from_db()
    assert prefs.digest_enabled is False


@pytest.mark.parametrize("hour", ["24", "-1", "seven", ""])
def test_it_puts_a_bad_digest_hour_at_its_field(alice, alice_client, hour):
    response = alice_client.post("/today/digest/", {"digest_enabled": "on", "digest_hour": hour})

    assert response.status_code == 200
    assert "field-error" in _text(response)
    assert not AgendaSettings.objects.filter(digest_enabled=True).exists()


# --- calendar -------------------------------------------------------------------------------------


def _new_feed_url(client: Client) -> str:
    html = _text(client.post("/today/calendar/new/", headers=htmx()))
    return re.search(r'value="(http://testserver/today/calendar/[^"]+\.ics)"', html).group(1)


def test_it_shows_a_new_feed_url_once(alice, alice_client):
    response = alice_client.post("/today/calendar/new/")
    assert response["Location"] == "/today/#reminders"

    first = _text(alice_client.get("/today/"))
    again = _text(alice_client.get("/today/"))

    assert re.search(
        r'id="calendar-url" value="http://testserver/today/calendar/[\w-]+\.ics"', first
    )
    assert 'id="calendar-url"' not in again
    assert "Make a new URL" in again


def test_it_serves_the_feed_to_whoever_holds_the_url(alice, alice_client):
    opp = make_opportunity(owner=alice, stage=Stage.INTERVIEWING, title="Ops Lead")
    interview = make_interview(opportunity=opp, scheduled_at=NOW + days(1))
    url = _new_feed_url(alice_client)

    response = Client().get(url)  # a calendar app: no session

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    parsed = vobject.readOne(response.content.decode())
    assert [e.uid.value for e in parsed.vevent_list] == [f"interview-{interview.pk}@127.0.0.1"]
    assert icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]["summary"] == (
        "Interview: Ops Lead at Acme Analytics"
    )


def test_it_reveals_nothing_for_a_wrong_token(alice, alice_client):
    url = _new_feed_url(alice_client)
    wrong = url[:-5] + ("x" if url[-5] != "x" else "y") + ".ics"

    for path in (wrong, "/today/calendar/nope.ics", "/today/calendar/" + "a" * 43 + ".ics"):
        response = Client().get(path)
        assert response.status_code == 404
        assert b"BEGIN:VCALENDAR" not in response.content


def test_it_retires_the_old_url_when_a_new_one_is_made(alice, alice_client):
    old = _new_feed_url(alice_client)
    new = _new_feed_url(alice_client)

    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_it_turns_the_feed_off(alice, alice_client):
    url = _new_feed_url(alice_client)

    response = alice_client.post("/today/calendar/off/", headers=htmx())

    assert "Create my feed URL" in _text(response)
    assert Client().get(url).status_code == 404


# --- cost ---------------------------------------------------------------------------------------


def _fill(user, n: int) -> None:
    asq = make_organization(owner=user, name="ASQ Boston")
    for i in range(n):
        make_action(owner=user, due_on=TODAY - days(i % 9))
        make_opportunity(owner=user, applied_on=TODAY - days(8 + i), found_on=TODAY - days(90))
        dana = due_contact(owner=user, on=TODAY - days(i % 5), name=f"Dana {i}", meet_at=asq)
        debrief = make_debrief(owner=user, contact=dana)
        log_attempt(debrief=debrief, channel="phone", outcome="no_answer")
        opp = make_opportunity(owner=user, stage=Stage.INTERVIEWING, title=f"Role {i}")
        make_interview(opportunity=opp, scheduled_at=NOW + dt.timedelta(hours=5, minutes=i))
        expect_at(
            make_event(owner=user, organization=asq, starts_at=timezone.now() + days(3)), dana
        )
        Snooze.objects.create(owner=user, kind="touch", object_id=10_000 + i, until=TODAY + days(2))
    set_weekly_goals(owner=user, targets=dict.fromkeys(Metric.values, 3))


def _page_queries(user) -> int:
    client = Client()
    client.force_login(user)
    return count_queries(client, "/today/")


def test_it_costs_the_same_queries_for_a_small_and_a_large_search(alice, bob, monkeypatch):
    monkeypatch.setattr(today_service, "GROUP_LIMIT", 500)  # every row on the page: no N+1
    _fill(alice, 2)
    _fill(bob, 30)

    assert _page_queries(alice) == _page_queries(bob)


def test_it_reads_no_more_for_an_account_far_larger_than_a_page(alice, bob):
    _fill(alice, 2)
    _fill(bob, 40)

    assert _page_queries(bob) <= _page_queries(alice)
