"""A new member's whole "no" in the browser: sign in, track an opportunity until it is turned
down, work the debrief from call plan to close, and pick the work up again in Today."""

import datetime as dt
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from careertips.core.testing import PASSWORD, make_user
from careertips.debriefs.models import CallAttempt, Debrief, ImprovementAction, Theme
from careertips.network.models import Contact, Organization
from careertips.pipeline.models import Opportunity, Stage, StageChange

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPLOYER = "Northwind Logistics"
ROLE = "Operations Manager"
MANAGER = "Priya Natarajan"
MANAGER_EMAIL = "priya@northwind.example"
ASSOCIATION = "Regional Operations Forum"
PERSONAL_LINE = "I have already started a budget course at the community college."


@pytest.fixture
def jordan():
    return make_user("jordan@example.com", display_name="Jordan Reyes")


def sign_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("jordan@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/today/")


def add_opportunity(page, live_server) -> Opportunity:
    page.goto(f"{live_server.url}/opportunities/new/")
    page.get_by_label("Role title").fill(ROLE)
    page.get_by_label("New employer").fill(EMPLOYER)
    page.get_by_role("button", name="Add opportunity").click()
    expect(page).to_have_url(re.compile(r"/opportunities/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ROLE)
    return Opportunity.objects.get(title=ROLE, organization__name=EMPLOYER)


def move_to(page, stage_label: str) -> None:
    page.get_by_label("Move to").select_option(label=stage_label)
    page.get_by_role("button", name="Move", exact=True).click()


def name_the_hiring_manager(page) -> None:
    contact = page.locator("#section-contact")
    contact.get_by_label("Name").fill(MANAGER)
    contact.get_by_label("Job title").fill("Director of Operations")
    contact.get_by_label("Email").fill(MANAGER_EMAIL)
    contact.get_by_role("button", name="Save who to call").click()
    expect(contact.get_by_role("link", name=MANAGER)).to_be_visible()
    # The call plan is refreshed in place with both names.
    expect(page.locator("#section-plan")).to_contain_text(
        f"Hi Priya, this is Jordan Reyes. We spoke about the {ROLE} role at {EMPLOYER}."
    )


def record_what_was_heard(page) -> None:
    feedback = page.locator("#section-feedback")
    feedback.get_by_label("What they said").fill(
        "They went with someone who had owned a departmental budget."
    )
    feedback.get_by_role("checkbox", name="Perceived experience gap").check()
    feedback.get_by_label("Detail for “Perceived experience gap”").fill("budget ownership")
    feedback.get_by_role("checkbox", name="Accomplishment story not strong enough").check()
    feedback.get_by_role("button", name="Save what you heard").click()
    expect(feedback.locator(".debrief-action")).to_have_count(2)
    expect(feedback).to_contain_text("cover the gap they saw in budget ownership")


def test_it_turns_a_rejection_into_work_on_today(browser_page, live_server, jordan):
    page = browser_page
    sign_in(page, live_server)
    opportunity = add_opportunity(page, live_server)

    move_to(page, "Applied")
    expect(page.locator(".page-head .badge")).to_have_text("Applied")
    move_to(page, "Interviewing")
    expect(page.locator(".page-head .badge")).to_have_text("Interviewing")
    move_to(page, "Turned down")
    expect(page).to_have_url(re.compile(r"/debriefs/\d+/$"))
    expect(page.locator("#messages")).to_contain_text("Here's your debrief plan.")
    moves = StageChange.objects.filter(opportunity=opportunity).values_list(
        "from_stage", "to_stage"
    )
    assert list(moves) == [
        ("", Stage.INTERESTED),
        (Stage.INTERESTED, Stage.APPLIED),
        (Stage.APPLIED, Stage.INTERVIEWING),
        (Stage.INTERVIEWING, Stage.TURNED_DOWN),
    ]
    debrief = Debrief.objects.get(opportunity=opportunity)
    assert page.url == f"{live_server.url}/debriefs/{debrief.pk}/"

    name_the_hiring_manager(page)
    manager = Contact.objects.get(owner=jordan, name=MANAGER)
    assert manager.email == MANAGER_EMAIL
    assert Opportunity.objects.get(pk=opportunity.pk).hiring_manager == manager

    call = page.locator("#section-call")
    call.get_by_label("Reached them").check()
    call.get_by_label("Note").fill("Ten minutes, very open.")
    call.get_by_role("button", name="Log attempt").click()
    expect(call.locator(".debrief-attempts li")).to_have_count(1)
    expect(call.locator(".debrief-attempts")).to_contain_text("Reached them")
    attempt = CallAttempt.objects.get(debrief=debrief)
    assert (attempt.outcome, attempt.channel) == ("reached", "phone")

    record_what_was_heard(page)
    assert set(debrief.themes.values_list("theme", "detail")) == {
        (Theme.EXPERIENCE_GAP, "budget ownership"),
        (Theme.STORY_NOT_STRONG, ""),
    }
    assert ImprovementAction.objects.owned_by(jordan).pending().count() == 2

    thank_you = page.locator("#section-thank_you")
    note = thank_you.get_by_label("Your note")
    expect(note).to_have_value(re.compile(r"^Dear Priya,"))
    expect(note).to_have_value(re.compile("What you said about budget ownership"))
    note.fill(note.input_value().replace("With thanks,", f"{PERSONAL_LINE}\n\nWith thanks,"))
    thank_you.get_by_role("button", name=f"Send by email to {MANAGER_EMAIL}").click()
    expect(thank_you).to_contain_text("Emailed from Career Tips on")
    expect(thank_you).to_contain_text(f"to {MANAGER_EMAIL}")
    [message] = mail.outbox
    assert message.to == [f"{MANAGER} <{MANAGER_EMAIL}>"]
    assert message.reply_to == ["Jordan Reyes <jordan@example.com>"]
    assert message.subject == f"Thank you: {ROLE}"
    assert PERSONAL_LINE in message.body
    assert "What you said about budget ownership" in message.body
    assert PERSONAL_LINE in message.alternatives[0][0]

    next_touch = jordan.local_today() + dt.timedelta(days=3)
    close = page.locator("#section-close")
    close.get_by_label(re.compile(r"^Next touch")).fill(next_touch.isoformat())
    close.get_by_label("Or a new association").fill(ASSOCIATION)
    close.get_by_role("button", name="Close the debrief").click()
    expect(page.get_by_text(f"{MANAGER} is part of your network now.")).to_be_visible()
    assert Debrief.objects.get(pk=debrief.pk).status == Debrief.Status.CLOSED
    manager.refresh_from_db()
    assert manager.next_touch_on == next_touch
    assert manager.meet_at == Organization.objects.get(owner=jordan, name=ASSOCIATION)
    assert manager.meet_at.kind == Organization.Kind.ASSOCIATION

    page.get_by_role("link", name="Today", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/today/")
    agenda = page.locator("#agenda")
    actions = agenda.locator(".agenda-item.kind-action")
    expect(actions).to_have_count(2)
    expect(actions.filter(has_text="budget ownership")).to_contain_text(
        f"From the {EMPLOYER} debrief (perceived experience gap)"
    )
    expect(actions.filter(has_text="Rework your accomplishment story")).to_have_count(1)
    touch = agenda.locator(f"#item-touch-{manager.pk}")
    expect(touch).to_contain_text(f"Get in touch with {MANAGER} ({EMPLOYER})")
    expect(touch).to_contain_text(f"You last spoke with {MANAGER} after the {EMPLOYER} decision.")
    expect(touch.locator("time")).to_have_attribute("datetime", next_touch.isoformat())

    page.evaluate("window.notReloaded = true")
    gap = ImprovementAction.objects.get(theme__theme=Theme.EXPERIENCE_GAP)
    item = agenda.locator(f"#item-action-{gap.pk}")
    item.get_by_role("button", name=re.compile(r"^Done\W+Prepare how you position")).click()
    expect(page.locator(f"#item-action-{gap.pk}")).to_have_count(0)
    expect(page.locator("#agenda")).to_contain_text(f"Done: {gap.title}")
    expect(page.locator("#agenda .agenda-item.kind-action")).to_have_count(1)
    assert page.evaluate("window.notReloaded") is True
    gap.refresh_from_db()
    assert gap.done_at is not None
    assert ImprovementAction.objects.owned_by(jordan).pending().count() == 1
