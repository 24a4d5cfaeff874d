import datetime as dt
from unittest.mock import ANY

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from careertips.core.testing import count_queries, htmx
from careertips.debriefs import forms, services
from careertips.debriefs.models import MAX_UNANSWERED_ATTEMPTS, Debrief, ImprovementAction
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.models import Contact, Organization
from careertips.network.tests.helpers import make_contact, make_organization
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_opportunity


@pytest.fixture
def dana(alice):
    return make_contact(owner=alice, name="Dana Whitfield", email="dana@acme.example")


@pytest.fixture
def debrief(alice, dana):
    return make_debrief(owner=alice, contact=dana)


def _fresh(debrief):
    return Debrief.objects.get(pk=debrief.pk)


def _minutes_ago(minutes: int) -> str:
    return (timezone.localtime() - dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def _attempt(client, debrief, outcome="no_answer", minutes=5, **kw):
    data = {"attempted_at": _minutes_ago(minutes), "channel": "phone", "outcome": outcome}
    return client.post(f"/debriefs/{debrief.pk}/attempts/", data, **kw)


# The list


def test_it_lists_open_debriefs_first_with_next_step_and_overdue_call_by(alice_client, alice):
    late = make_debrief(
        owner=alice, opportunity=make_opportunity(owner=alice, title="Plant Manager")
    )
    late.call_by = alice.local_today() - dt.timedelta(days=2)
    late.save(update_fields=["call_by"])
    done = make_debrief(owner=alice, opportunity=make_opportunity(owner=alice, title="Buyer"))
    services.dismiss_debrief(debrief=done, reason="Form rejection from a recruiter")
    page = alice_client.get("/debriefs/").content.decode()
    assert page.index("Plant Manager") < page.index("Closed and dismissed") < page.index("Buyer")
    assert '<tr class="debrief-overdue">' in page
    assert "Overdue" in page
    assert "Name who to call" in page
    assert "Form rejection from a recruiter" in page


def test_it_offers_to_open_a_debrief_for_an_old_no(alice_client, alice):
    old = make_opportunity(owner=alice, stage=Stage.TURNED_DOWN, title="Analyst")
    page = alice_client.get("/debriefs/").content.decode()
    assert f'action="/debriefs/open/{old.pk}/"' in page
    response = alice_client.post(f"/debriefs/open/{old.pk}/")
    debrief = Debrief.objects.get(opportunity=old)
    assert response["Location"] == f"/debriefs/{debrief.pk}/"
    assert alice_client.post(f"/debriefs/open/{old.pk}/")["Location"] == f"/debriefs/{debrief.pk}/"
    assert Debrief.objects.filter(opportunity=old).count() == 1


def test_it_lists_debriefs_in_a_fixed_number_of_queries(alice_client, alice):
    def add(n):
        for i in range(n):
            d = make_debrief(owner=alice, opportunity=make_opportunity(owner=alice, title=f"R{i}"))
            d.contact = make_contact(owner=alice, name=f"Person {i}")
            d.save(update_fields=["contact"])
            services.log_attempt(debrief=d, channel="phone", outcome="no_answer")
            if i % 2:
                services.dismiss_debrief(debrief=d, reason="No one to call")

    add(2)
    few = count_queries(alice_client, "/debriefs/")
    add(20)
    assert count_queries(alice_client, "/debriefs/") == few


def test_it_pages_through_the_closed_and_dismissed_debriefs(alice_client, alice):
    for i in range(27):
        d = make_debrief(owner=alice, opportunity=make_opportunity(owner=alice, title=f"R{i:02}"))
        with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=i)):
            services.dismiss_debrief(debrief=d, reason=f"Reason {i:02}")
    first = alice_client.get("/debriefs/").content.decode()
    assert "R26" in first and "R02" in first and "R01" not in first
    assert "Page 1 of 2" in first and "Jan 27, 2026" in first
    second = alice_client.get("/debriefs/", {"page": "2"}).content.decode()
    assert "R01" in second and "R00" in second and "R02" not in second
    assert "Page 2 of 2" in second and "Reason 00" in second


def test_it_escapes_and_links_each_open_debrief(alice_client, alice):
    evil = make_opportunity(owner=alice, title="<script>alert(1)</script> Lead")
    debrief = make_debrief(owner=alice, opportunity=evil)
    debrief.contact = make_contact(owner=alice, name="Ann <b>Bell</b>")
    debrief.call_by = alice.local_today()
    debrief.save(update_fields=["contact", "call_by"])
    page = alice_client.get("/debriefs/").content.decode()
    assert "<script>alert(1)</script>" not in page and "<b>Bell</b>" not in page
    assert (
        f'<a href="/debriefs/{debrief.pk}/">&lt;script&gt;alert(1)&lt;/script&gt; Lead</a>' in page
    )
    assert "<td>Ann &lt;b&gt;Bell&lt;/b&gt;</td>" in page
    assert "<td>Plan the call to Ann</td>" in page
    assert '<span class="badge due">Today</span>' in page


def test_it_shows_only_the_members_own_debriefs(alice_client, bob):
    make_debrief(owner=bob, opportunity=make_opportunity(owner=bob, title="Bob's Secret Role"))
    assert "Bob&#x27;s Secret Role" not in alice_client.get("/debriefs/").content.decode()


# The debrief page


def test_it_shows_the_call_plan_with_names_and_the_step_indicator(alice_client, debrief):
    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    assert "Hi Dana, this is Alice Moreno. We spoke about the Operations Manager role" in page
    assert "You cannot be turned down twice." in page
    assert "Come to learn." in page
    assert '<li class="current" aria-current="step">' in page
    assert page.index("Plan the call") < page.index("Thank-you") < page.index("Close")
    assert 'href="/network/contacts/' in page


def test_it_escapes_names_in_the_call_plan(alice_client, alice):
    evil = make_contact(owner=alice, name="<script>alert(1)</script> Smith")
    debrief = make_debrief(owner=alice, contact=evil)
    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "Hi &lt;script&gt;alert(1)&lt;/script&gt;, this is" in page


def test_it_renders_the_page_in_a_fixed_number_of_queries(alice_client, alice, debrief):
    make_organization(owner=alice, name="Ops Guild", kind=Organization.Kind.ASSOCIATION)
    services.log_attempt(debrief=debrief, channel="phone", outcome="no_answer")
    services.record_feedback(debrief=debrief, feedback="x", themes=[("fit", "")])
    few = count_queries(alice_client, f"/debriefs/{debrief.pk}/")
    for i in range(10):
        services.log_attempt(
            debrief=debrief, channel="email", outcome="left_message",
            when=timezone.now() - dt.timedelta(hours=i + 1),
        )  # fmt: skip
    themes = [("fit", ""), ("skills_gap", "SQL"), ("experience_gap", "budgets"),
              ("story_not_strong", "launch"), ("pay_expectations", "")]  # fmt: skip
    services.record_feedback(debrief=debrief, feedback="more", themes=themes)
    assert count_queries(alice_client, f"/debriefs/{debrief.pk}/") == few


def test_it_finds_no_debrief_past_what_an_id_holds_or_of_another_member(alice_client, bob):
    others = make_debrief(owner=bob)
    for pk in (others.pk, 2**63, 10**30):
        assert alice_client.get(f"/debriefs/{pk}/").status_code == 404
        assert alice_client.post(f"/debriefs/{pk}/dismiss/", {"reason": "x"}).status_code == 404


def test_it_suggests_the_newest_published_articles_on_its_themes_once_each(alice_client, debrief):
    from careertips.newsletter.models import ArticleTheme, Issue
    from careertips.newsletter.tests.helpers import make_article, make_issue

    services.record_feedback(
        debrief=debrief, feedback="x", themes=[("fit", ""), ("skills_gap", "")]
    )
    now = timezone.now()
    articles = [
        ("Oldest fit", ["fit"]), ("Gaps and fit", ["fit", "skills_gap"]),
        ("Off topic", ["pay_expectations"]), ("Newer gap", ["skills_gap"]), ("Newest fit", ["fit"]),
    ]  # fmt: skip
    for number, (title, themes) in enumerate(articles, start=1):
        when = now - dt.timedelta(days=40 - number)
        issue = make_issue(number=number, sent_at=when, published_at=when)
        article = make_article(issue=issue, title=title)
        ArticleTheme.objects.bulk_create(ArticleTheme(article=article, theme=t) for t in themes)
    draft = make_article(issue=make_issue(number=9, status=Issue.Status.DRAFT), title="Draft fit")
    ArticleTheme.objects.create(article=draft, theme="fit")

    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    shown = page[page.index("The practice has written about this") :]
    assert shown.count("Gaps and fit") == 1
    assert shown.index("Newest fit") < shown.index("Newer gap") < shown.index("Gaps and fit")
    for missing in ("Oldest fit", "Off topic", "Draft fit"):
        assert missing not in shown


# Who to call


def test_it_asks_for_the_hiring_manager_and_creates_them(alice_client, alice):
    debrief = make_debrief(owner=alice)
    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    assert "Who made the decision?" in page
    response = alice_client.post(
        f"/debriefs/{debrief.pk}/contact/",
        {"name": "Priya Natarajan", "title": "VP Operations", "email": "priya@acme.example"},
    )
    assert response["Location"] == f"/debriefs/{debrief.pk}/#section-contact"
    contact = _fresh(debrief).contact
    assert (contact.name, contact.owner) == ("Priya Natarajan", alice)
    assert (
        "You will call Priya Natarajan." in alice_client.get(response["Location"]).content.decode()
    )


def test_it_lets_the_member_pick_one_of_their_contacts(alice_client, alice):
    debrief = make_debrief(owner=alice)
    mine = make_contact(owner=alice, name="Sam Ortiz")
    alice_client.post(f"/debriefs/{debrief.pk}/contact/", {"contact": mine.pk})
    assert _fresh(debrief).contact == mine


def test_it_refuses_another_members_contact_id_without_leaking_it(alice_client, alice, bob):
    debrief = make_debrief(owner=alice)
    make_contact(owner=alice, name="Sam Ortiz")
    bobs = make_contact(owner=bob, name="Bobs Private Contact")
    response = alice_client.post(
        f"/debriefs/{debrief.pk}/contact/", {"contact": bobs.pk}, headers=htmx()
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in html
    assert "Bobs Private Contact" not in html
    assert _fresh(debrief).contact is None


@pytest.mark.parametrize("posted", ["²", "١", "1_0", "0", "9" * 30])
def test_it_refuses_a_contact_id_no_row_can_have_at_the_field(alice_client, alice, posted):
    debrief = make_debrief(owner=alice)
    make_contact(owner=alice, name="Sam Ortiz")  # "1_0" or "0" must not pick anyone
    response = alice_client.post(
        f"/debriefs/{debrief.pk}/contact/", {"contact": posted}, headers=htmx()
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert _fresh(debrief).contact is None


def test_it_shows_contact_errors_inline_with_htmx(alice_client, alice):
    debrief = make_debrief(owner=alice)
    response = alice_client.post(
        f"/debriefs/{debrief.pk}/contact/", {"name": "Dana", "email": "nope"}, headers=htmx()
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="section-contact"')
    assert '<ul class="errorlist" id="id_email_error">' in html
    assert "<html" not in html


def test_it_refreshes_the_plan_out_of_band_when_the_contact_changes(alice_client, alice):
    debrief = make_debrief(owner=alice)
    response = alice_client.post(
        f"/debriefs/{debrief.pk}/contact/", {"name": "Priya Natarajan"}, headers=htmx()
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="section-contact"')
    assert (
        '<section id="section-plan" class="card debrief-section" aria-labelledby="h-plan" '
        'data-hx-swap-oob="true">' in html
    )
    assert "Hi Priya, this is Alice Moreno." in html
    assert 'id="section-steps"' in html


def _many_contacts(monkeypatch, alice, debrief):
    """A member with more contacts than the menu lists: two at the employer, two elsewhere."""
    monkeypatch.setattr(forms, "CONTACT_MENU_LIMIT", 3)
    employer = debrief.opportunity.organization
    here = [make_contact(owner=alice, name=n, organization=employer) for n in ("Ada", "Ben")]
    elsewhere = make_organization(owner=alice, name="Elsewhere Ltd")
    away = [make_contact(owner=alice, name=n, organization=elsewhere) for n in ("Cy Far", "Di Far")]
    return here, away


def test_it_lists_the_people_at_the_employer_when_there_are_many_contacts(
    alice_client, alice, monkeypatch
):
    debrief = make_debrief(owner=alice)
    here, away = _many_contacts(monkeypatch, alice, debrief)
    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    for contact in here:
        assert f'<option value="{contact.pk}">{contact.name}, ' in page
    assert "Cy Far" not in page and "Di Far" not in page
    assert (
        f'<a href="/debriefs/{debrief.pk}/?contacts=all#section-contact">'
        "Choose from all 4 of your contacts</a>" in page
    )

    everyone = alice_client.get(f"/debriefs/{debrief.pk}/?contacts=all").content.decode()
    for contact in [*here, *away]:
        assert f'<option value="{contact.pk}">{contact.name}, ' in everyone
    assert "?contacts=all" not in everyone


def test_it_keeps_the_current_pick_in_the_short_menu_and_accepts_anyone(
    alice_client, alice, monkeypatch
):
    debrief = make_debrief(owner=alice)
    _here, (far, other) = _many_contacts(monkeypatch, alice, debrief)
    debrief.contact = far
    debrief.save(update_fields=["contact"])
    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    assert f'<option value="{far.pk}" selected>Cy Far, ' in page
    assert '<details class="debrief-change">' in page
    opened = alice_client.get(f"/debriefs/{debrief.pk}/?contacts=all").content.decode()
    assert '<details class="debrief-change" open>' in opened

    alice_client.post(f"/debriefs/{debrief.pk}/contact/", {"contact": other.pk})
    assert _fresh(debrief).contact == other


def test_it_orders_the_short_menu_and_counts_only_the_members_contacts(alice, bob, monkeypatch):
    debrief = make_debrief(owner=alice)
    (ada, ben), (far, _other) = _many_contacts(monkeypatch, alice, debrief)
    bobs = make_contact(owner=bob, name="Aaron Bob", organization=debrief.opportunity.organization)
    debrief.contact = far
    form = forms.DebriefContactForm(debrief=debrief)
    assert (form.contact_count, form.shortened) == (4, True)
    menu = [value for value, _label in form.fields["contact"].widget.choices]
    assert menu == ["", ada.pk, ben.pk, far.pk]
    for posted in (str(bobs.pk), "9" * 30, "x"):
        bound = forms.DebriefContactForm({"contact": posted}, debrief=debrief)
        assert [v for v, _ in bound.fields["contact"].widget.choices] == ["", ada.pk, ben.pk]
        assert not bound.is_valid()


def test_it_counts_the_contacts_when_no_one_works_at_the_employer(alice, monkeypatch):
    debrief = make_debrief(owner=alice)
    monkeypatch.setattr(forms, "CONTACT_MENU_LIMIT", 0)
    make_contact(owner=alice, name="Solo", organization=make_organization(owner=alice, name="X"))
    form = forms.DebriefContactForm(debrief=debrief)
    assert (form.contact_count, form.fields["contact"].widget.choices) == (1, [("", ANY)])


def test_it_shows_the_whole_menu_to_a_member_with_few_contacts(alice_client, alice, debrief):
    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    assert "Dana Whitfield, " in page
    assert "?contacts=all" not in page


# Call-by date


def test_it_shows_call_by_errors_at_the_field(alice_client, debrief, alice):
    too_late = alice.local_today() + dt.timedelta(days=61)
    response = alice_client.post(f"/debriefs/{debrief.pk}/call-by/", {"call_by": too_late})
    assert response.status_code == 200
    assert "Call within 60 days" in response.content.decode()
    assert _fresh(debrief).call_by == debrief.call_by
    response = alice_client.post(f"/debriefs/{debrief.pk}/call-by/", {"call_by": "soon"})
    assert "Enter a valid date." in response.content.decode()


# Attempts


def test_it_logs_an_attempt_and_swaps_the_call_section(alice_client, debrief):
    response = _attempt(alice_client, debrief, "left_message", headers=htmx())
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="section-call"')
    assert "Left a message" in html
    assert (
        'id="section-steps" class="debrief-steps" aria-label="Debrief progress" '
        'data-hx-swap-oob="true"' in html
    )
    assert debrief.attempts.get().outcome == "left_message"


def test_it_refuses_an_attempt_in_the_future_at_the_field(alice_client, debrief):
    response = _attempt(alice_client, debrief, minutes=-120, headers=htmx())
    html = response.content.decode()
    assert "An attempt cannot be in the future." in html
    assert 'id="id_attempted_at_error"' in html
    assert not debrief.attempts.exists()


def test_it_suggests_a_short_thank_you_email_after_unanswered_calls(alice_client, debrief):
    for i in range(MAX_UNANSWERED_ATTEMPTS):
        response = _attempt(alice_client, debrief, minutes=10 * (i + 1), headers=htmx())
    html = response.content.decode()
    assert "Time to stop calling." in html
    assert 'id="section-thank_you"' in html
    assert "Thank you for considering me: Operations Manager" in html
    assert "I tried to reach you by phone" in html


def test_it_refuses_attempts_once_closed(alice_client, debrief, alice):
    services.close_debrief(debrief=debrief, next_touch_on=alice.local_today() + dt.timedelta(9))
    response = _attempt(alice_client, debrief)
    assert "reopen it to log another attempt" in response.content.decode()
    assert not debrief.attempts.exists()


# Feedback and actions


def test_it_records_feedback_and_shows_the_action_each_theme_created(alice_client, debrief):
    response = alice_client.post(
        f"/debriefs/{debrief.pk}/feedback/",
        {"feedback": "Wanted budget experience.", "themes": ["experience_gap", "no_feedback"],
         "detail_experience_gap": "budget ownership"},
    )  # fmt: skip
    assert response["Location"] == f"/debriefs/{debrief.pk}/#section-feedback"
    page = alice_client.get(response["Location"]).content.decode()
    assert "Perceived experience gap</strong>: budget ownership" in page
    assert "cover the gap they saw in budget ownership" in page
    assert "No feedback given</strong>" in page
    assert ImprovementAction.objects.pending().count() == 1


def test_it_links_story_and_gap_themes_to_the_story_bank(alice_client, debrief):
    alice_client.post(
        f"/debriefs/{debrief.pk}/feedback/",
        {"feedback": "Thin examples.", "themes": ["story_not_strong", "experience_gap", "fit"],
         "detail_experience_gap": "budget ownership"},
    )  # fmt: skip
    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    themes = {t.theme: t.pk for t in debrief.themes.all()}
    assert f'href="/stories/from-theme/{themes["story_not_strong"]}/">Revise the story' in page
    assert f'href="/stories/from-theme/{themes["experience_gap"]}/">Work on the gap' in page
    assert f"/stories/from-theme/{themes['fit']}/" not in page


def test_it_wants_the_theme_ticked_for_a_detail(alice_client, debrief):
    response = alice_client.post(
        f"/debriefs/{debrief.pk}/feedback/",
        {"feedback": "x", "detail_skills_gap": "SQL"},
        headers=htmx(),
    )
    html = response.content.decode()
    assert "Tick this theme too, or clear the detail." in html
    assert 'value="SQL"' in html
    assert not ImprovementAction.objects.exists()


def test_it_toggles_an_action_and_swaps_the_row(alice_client, debrief):
    [action] = services.record_feedback(debrief=debrief, feedback="", themes=[("fit", "")])
    response = alice_client.post(
        f"/debriefs/actions/{action.pk}/done/", {"done": "1"}, headers=htmx()
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="action-{action.pk}" class="debrief-action is-done">')
    assert not ImprovementAction.objects.pending().exists()
    response = alice_client.post(f"/debriefs/actions/{action.pk}/done/", {"done": "0"})
    assert response["Location"] == f"/debriefs/{debrief.pk}/#section-feedback"
    assert ImprovementAction.objects.pending().get() == action


def test_it_goes_back_where_the_action_was_completed_from(alice_client, debrief):
    [action] = services.record_feedback(debrief=debrief, feedback="", themes=[("fit", "")])
    url = f"/debriefs/actions/{action.pk}/done/"
    assert alice_client.post(url, {"next": "/today/"})["Location"] == "/today/"
    evil = alice_client.post(url, {"next": "https://evil.example/"})["Location"]
    assert evil == f"/debriefs/{debrief.pk}/#section-feedback"


# Thank-you note


def test_it_sends_the_thank_you_by_email(alice_client, debrief, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            f"/debriefs/{debrief.pk}/thank-you/",
            {
                "subject": "Thank you",
                "body": "Dear Dana,\n\nThank you.\n\nAlice",
                "channel": "email",
            },
            headers=htmx(),
        )
    [message] = mail.outbox
    assert message.to == ["Dana Whitfield <dana@acme.example>"]
    assert message.body.startswith("Dear Dana,\n\nThank you.\n\nAlice")
    assert "<p>Thank you.</p>" in message.alternatives[0][0]
    html = response.content.decode()
    assert "Emailed from Career Tips" in html
    assert "to dana@acme.example" in html


def test_it_refuses_to_email_a_contact_without_an_address(alice_client, alice):
    debrief = make_debrief(owner=alice, contact=make_contact(owner=alice, email=""))
    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    assert 'name="channel" value="email"' not in page
    assert "add an email address for Dana Whitfield" in page
    response = alice_client.post(
        f"/debriefs/{debrief.pk}/thank-you/",
        {"subject": "Thanks", "body": "Thank you.", "channel": "email"},
        headers=htmx(),
    )
    assert "Add an email address for the contact" in response.content.decode()
    assert mail.outbox == []
    assert _fresh(debrief).thank_you_sent_at is None


def test_it_offers_copy_and_records_a_note_sent_by_hand(alice_client, debrief):
    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    assert 'data-copy="#id_body"' in page
    alice_client.post(
        f"/debriefs/{debrief.pk}/thank-you/",
        {"subject": "Thanks", "body": "Thank you, Dana.", "channel": "copied"},
    )
    fresh = _fresh(debrief)
    assert (fresh.thank_you_channel, fresh.thank_you_body) == ("copied", "Thank you, Dana.")
    assert fresh.thank_you_sent_at is not None
    assert mail.outbox == []


def test_it_saves_a_draft_and_shows_it_next_time(alice_client, debrief):
    alice_client.post(
        f"/debriefs/{debrief.pk}/thank-you/",
        {"subject": "Thanks", "body": "My own words", "channel": "draft"},
    )
    assert _fresh(debrief).thank_you_sent_at is None
    assert (
        "My own words</textarea>" in alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    )


def test_it_shows_an_empty_note_error_at_the_field(alice_client, debrief):
    response = alice_client.post(
        f"/debriefs/{debrief.pk}/thank-you/", {"body": "", "channel": "copied"}, headers=htmx()
    )
    assert 'id="id_body_error"' in response.content.decode()


# Close, dismiss, reopen


@time_machine.travel(dt.datetime(2026, 3, 6, 15, tzinfo=dt.UTC), tick=False)
def test_it_defaults_the_next_touch_to_about_ninety_days(alice_client, debrief):
    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    assert 'name="next_touch_on" value="2026-06-04"' in page


def test_it_closes_and_shows_the_relationship(alice_client, debrief, alice, dana):
    guild = make_organization(owner=alice, name="Ops Guild", kind=Organization.Kind.ASSOCIATION)
    next_touch = alice.local_today() + dt.timedelta(days=90)
    response = alice_client.post(
        f"/debriefs/{debrief.pk}/close/",
        {"next_touch_on": next_touch.isoformat(), "meet_at": guild.pk, "note": "Say hello"},
    )
    assert response["Location"] == f"/debriefs/{debrief.pk}/"
    page = alice_client.get(response["Location"]).content.decode()
    assert "Dana Whitfield is part of your network now." in page
    assert "Hiring manager" in page
    assert "Ops Guild" in page
    assert f'href="/network/contacts/{dana.pk}/"' in page
    dana.refresh_from_db()
    assert (dana.next_touch_on, dana.meet_at) == (next_touch, guild)


def test_it_reloads_the_page_after_closing_with_htmx(alice_client, debrief, alice):
    next_touch = alice.local_today() + dt.timedelta(days=30)
    response = alice_client.post(
        f"/debriefs/{debrief.pk}/close/", {"next_touch_on": next_touch.isoformat()}, headers=htmx()
    )
    assert response["HX-Redirect"] == f"/debriefs/{debrief.pk}/"


def test_it_shows_close_errors_at_the_field(alice_client, debrief, alice, bob):
    bobs = make_organization(owner=bob, name="Bob Guild", kind=Organization.Kind.ASSOCIATION)
    response = alice_client.post(
        f"/debriefs/{debrief.pk}/close/",
        {"next_touch_on": alice.local_today().isoformat(), "meet_at": bobs.pk},
        headers=htmx(),
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="section-close"')
    assert "Pick a date after today for the next touch." in html
    assert "Select a valid choice" in html
    assert "Bob Guild" not in html
    assert _fresh(debrief).is_open


def test_it_creates_a_new_association_typed_at_close(alice_client, debrief, alice, dana):
    next_touch = alice.local_today() + dt.timedelta(days=90)
    alice_client.post(
        f"/debriefs/{debrief.pk}/close/",
        {"next_touch_on": next_touch.isoformat(), "meet_at_name": "Supply Chain Circle"},
    )
    dana.refresh_from_db()
    assert dana.meet_at.name == "Supply Chain Circle"
    assert dana.meet_at.kind == Organization.Kind.ASSOCIATION


def test_it_dismisses_with_a_reason_and_reopens(alice_client, debrief):
    response = alice_client.post(f"/debriefs/{debrief.pk}/dismiss/", {"reason": ""}, headers=htmx())
    assert "This field is required." in response.content.decode()
    assert _fresh(debrief).is_open
    alice_client.post(f"/debriefs/{debrief.pk}/dismiss/", {"reason": "Nobody to call"})
    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    assert "Nobody to call" in page
    assert "Log attempt" not in page
    alice_client.post(f"/debriefs/{debrief.pk}/reopen/")
    assert _fresh(debrief).is_open


# Security


def test_it_refuses_posts_without_a_csrf_token(alice, debrief):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(f"/debriefs/{debrief.pk}/dismiss/", {"reason": "x"})
    assert response.status_code == 403
    assert _fresh(debrief).is_open


def test_it_sends_visitors_to_sign_in(client, debrief):
    response = client.get("/debriefs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_refuses_get_on_post_only_urls(alice_client, debrief):
    assert alice_client.get(f"/debriefs/{debrief.pk}/close/").status_code == 405


def test_it_keeps_contacts_created_here_private(alice_client, alice, bob):
    debrief = make_debrief(owner=alice)
    alice_client.post(f"/debriefs/{debrief.pk}/contact/", {"name": "New Person"})
    assert Contact.objects.get(name="New Person").owner == alice
    assert not Contact.objects.filter(owner=bob).exists()


def test_it_swaps_the_feedback_section_with_its_actions_and_a_fresh_note(alice_client, debrief):
    response = alice_client.post(
        f"/debriefs/{debrief.pk}/feedback/",
        {"feedback": "More SQL please", "themes": ["skills_gap"], "detail_skills_gap": "SQL"},
        headers=htmx(),
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="section-feedback"')
    action = ImprovementAction.objects.get()
    assert f'<li id="action-{action.pk}" class="debrief-action">' in html
    assert "Close or position the skills gap in SQL" in html
    assert (
        'id="section-thank_you" class="card debrief-section" aria-labelledby="h-thank-you" '
        'data-hx-swap-oob="true"' in html
    )
    assert "What you said about SQL gives me something concrete to work on" in html
