"""The coaching loop clicked through: a member's debrief reaches their coach, the coach's
comment and session reach the member's Today, the member completes the coach's action item,
and an editor turns the practice's figures into an article members are pointed to."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from careertips.coaching.models import ActionItem, CoachingSession
from careertips.coaching.services import set_practice_consent
from careertips.core.testing import login, make_user
from careertips.debriefs.models import FeedbackTheme, Theme
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.tests.helpers import make_contact
from careertips.newsletter.models import Article, Issue

pytestmark = pytest.mark.browser


def _switch(page, live_server, user):
    page.context.clear_cookies()
    login(page, live_server, user)


def _consenting_members(count):
    for number in range(count):
        member = make_user(f"counted{number}@example.com")
        set_practice_consent(member=member, consents=True, role_family="operations")
        FeedbackTheme.objects.create(debrief=make_debrief(owner=member), theme=Theme.SKILLS_GAP)


def test_it_closes_the_coaching_loop(
    browser_page, live_server, transactional_db, alice, coach, editor
):
    page, url = browser_page, live_server.url
    refused: list[str] = []  # every page of the loop keeps to the Content-Security-Policy
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    debrief = make_debrief(owner=alice, contact=make_contact(owner=alice, name="Dana Whitfield"))

    # The member writes down what she heard, with a theme, and shares with her coach.
    login(page, live_server, alice)
    page.goto(f"{url}/debriefs/{debrief.pk}/")
    page.get_by_label("What they said").fill("They wanted someone who had owned a budget.")
    page.get_by_role("checkbox", name="Skills gap").check()
    page.get_by_role("button", name="Save what you heard").click()
    expect(page.locator(".debrief-themes")).to_contain_text("Skills gap")
    page.goto(f"{url}/coaching/")
    page.locator("#id_coach").select_option(label="Robin Coach")
    page.get_by_role("button", name="Share my search").click()
    expect(page.get_by_text("Robin Coach can now read your search.")).to_be_visible()

    # The coach reads the feedback, comments, and books a session.
    _switch(page, live_server, coach)
    page.goto(f"{url}/coaching/clients/")
    page.get_by_role("link", name="Alice Moreno").click()
    page.get_by_role("link", name=re.compile("Operations Manager at")).first.click()
    expect(page.get_by_text("They wanted someone who had owned a budget.")).to_be_visible()
    page.locator("#id_body").fill("Good call. Write a budget story before Friday.")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.get_by_text("Comment added")).to_be_visible()
    page.get_by_role("link", name="Alice Moreno").click()
    starts = timezone.localtime(timezone.now() + dt.timedelta(days=1)).replace(hour=10, minute=0)
    page.locator("#id_starts_at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_video_url").fill("https://meet.example.com/alice")
    page.get_by_role("button", name="Schedule and invite").click()
    expect(page.get_by_text("Session booked")).to_be_visible()

    # The member sees the comment and the session in Today, and the comment by the debrief.
    _switch(page, live_server, alice)
    page.goto(f"{url}/today/")
    expect(
        page.get_by_role("link", name=re.compile("^Robin Coach commented on your Debrief"))
    ).to_be_visible()
    expect(
        page.locator(".kind-session", has_text="Coaching session with Robin Coach")
    ).to_be_visible()
    page.goto(f"{url}/debriefs/{debrief.pk}/")
    expect(page.locator(".coach-comments")).to_contain_text("Write a budget story before Friday.")

    # After the session the coach writes a summary and assigns an action item.
    session = CoachingSession.objects.get()
    session.starts_at = timezone.now() - dt.timedelta(hours=2)
    session.save(update_fields=["starts_at"])
    _switch(page, live_server, coach)
    page.goto(f"{url}/coaching/sessions/{session.pk}/")
    page.locator("#id_summary").fill("We drafted the budget story together.")
    page.get_by_role("button", name="Save the summary").click()
    page.locator("#id_title").fill("Finish the budget story")
    page.locator("#id_due_on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(".session-items")).to_contain_text("Finish the budget story — due")
    expect(page.locator(".session-items")).to_contain_text("open")

    # The member completes it from Today; the coach sees it done.
    _switch(page, live_server, alice)
    page.goto(f"{url}/today/")
    item = ActionItem.objects.get()
    page.locator(f"#item-coach-action-{item.pk}").get_by_role(
        "button", name=re.compile("^Done")
    ).click()
    expect(page.locator(f"#item-coach-action-{item.pk}")).to_have_count(0)
    item.refresh_from_db()
    assert item.is_done
    _switch(page, live_server, coach)
    page.goto(f"{url}/coaching/sessions/{session.pk}/")
    expect(page.locator(".session-items")).to_contain_text("done")

    # An editor reads the practice's figures and starts a draft from the theme.
    _consenting_members(5)
    _switch(page, live_server, editor)
    page.goto(f"{url}/coaching/practice/")
    page.get_by_role("link", name="Skills gap").click()
    expect(page.get_by_role("heading", name="Skills gap: the trend")).to_be_visible()
    page.get_by_role("button", name="Start a newsletter draft").click()
    article = Article.objects.get()
    expect(page).to_have_url(re.compile(f"/newsletter/staff/articles/{article.pk}/$"))
    assert "5 clients" in article.body

    # Once the issue is published, the member's debrief with that theme suggests it.
    Issue.objects.update(
        status=Issue.Status.SENT, sent_at=timezone.now(), published_at=timezone.now()
    )
    _switch(page, live_server, alice)
    page.goto(f"{url}/debriefs/{debrief.pk}/")
    expect(page.get_by_role("link", name=article.title)).to_be_visible()
    assert not refused, refused
