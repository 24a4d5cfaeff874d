import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from careertips.debriefs import services
from careertips.debriefs.models import (
    MAX_UNANSWERED_ATTEMPTS,
    CallAttempt,
    Debrief,
    FeedbackTheme,
    ImprovementAction,
)
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.models import Contact, Organization
from careertips.network.tests.helpers import make_contact, make_organization
from careertips.pipeline.models import Stage
from careertips.pipeline.services import move_opportunity
from careertips.pipeline.tests.helpers import make_opportunity

UTC = dt.UTC
FRIDAY = dt.datetime(2026, 3, 6, 15, 0, tzinfo=UTC)


@pytest.fixture
def dana(alice):
    return make_contact(
        owner=alice, name="Dana Whitfield", title="Director of Operations",
        email="dana@acme.example",
    )  # fmt: skip


@pytest.fixture
def debrief(alice, dana):
    return make_debrief(owner=alice, contact=dana)


def _attempt(debrief, outcome, **kw):
    kw.setdefault("when", timezone.now() - dt.timedelta(minutes=len(kw) + 1))
    return services.log_attempt(debrief=debrief, channel="phone", outcome=outcome, **kw)


def _fresh(debrief):
    return Debrief.objects.get(pk=debrief.pk)


# Opening


@time_machine.travel(FRIDAY, tick=False)
def test_it_opens_a_debrief_due_three_business_days_after_the_no(alice, dana):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING, hiring_manager=dana)
    move_opportunity(opportunity=opportunity, to_stage=Stage.TURNED_DOWN)
    debrief = Debrief.objects.get(opportunity=opportunity)
    assert debrief.call_by == dt.date(2026, 3, 11)  # Friday + 3 business days = Wednesday
    assert debrief.contact == dana
    assert debrief.owner == alice
    assert debrief.is_open


def test_it_returns_the_existing_debrief_instead_of_opening_a_second(debrief):
    again = services.open_debrief(opportunity=debrief.opportunity)
    assert again.pk == debrief.pk
    assert Debrief.objects.count() == 1


@time_machine.travel(dt.datetime(2026, 3, 6, 23, 30, tzinfo=UTC), tick=False)
def test_it_counts_business_days_from_the_members_own_calendar_day(alice):
    alice.time_zone = "Asia/Tokyo"  # already Saturday morning there
    alice.save(update_fields=["time_zone"])
    debrief = make_debrief(owner=alice)
    assert debrief.call_by == dt.date(2026, 3, 11)  # Sat -> Mon, Tue, Wed


# Who to call


def test_it_creates_the_hiring_manager_at_the_employer(alice):
    debrief = make_debrief(owner=alice)
    contact = services.set_debrief_contact(
        debrief=debrief, name="  Priya   Natarajan ", title="VP Ops", email="priya@acme.example"
    )
    assert contact.owner == alice
    assert contact.name == "Priya Natarajan"
    assert contact.organization == debrief.opportunity.organization
    assert contact.relationship == Contact.Relationship.HIRING_MANAGER
    debrief.opportunity.refresh_from_db()
    assert debrief.opportunity.hiring_manager == contact
    assert _fresh(debrief).contact == contact


def test_it_refuses_another_members_contact(alice, bob):
    debrief = make_debrief(owner=alice)
    bobs = make_contact(owner=bob, name="Bob's Boss")
    with pytest.raises(ValidationError) as error:
        services.set_debrief_contact(debrief=debrief, contact=bobs)
    assert "contact" in error.value.message_dict
    assert _fresh(debrief).contact is None


def test_it_refuses_a_new_contact_without_a_name_or_with_a_bad_email(alice):
    debrief = make_debrief(owner=alice)
    with pytest.raises(ValidationError) as error:
        services.set_debrief_contact(debrief=debrief, name="  ")
    assert "name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.set_debrief_contact(debrief=debrief, name="Dana", email="not-an-email")
    assert "email" in error.value.message_dict
    assert not Contact.objects.filter(owner=alice).exists()


# Call-by date


@time_machine.travel(FRIDAY, tick=False)
def test_it_refuses_a_call_by_date_before_the_decision_or_too_far_out(alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)
    move_opportunity(opportunity=opportunity, to_stage=Stage.TURNED_DOWN)
    debrief = Debrief.objects.get(opportunity=opportunity)
    today = dt.date(2026, 3, 6)
    with pytest.raises(ValidationError, match="on or after the decision"):
        services.set_call_by(debrief=debrief, call_by=dt.date(2026, 3, 5), today=today)
    with pytest.raises(ValidationError, match="within 60 days"):
        services.set_call_by(debrief=debrief, call_by=today + dt.timedelta(days=61), today=today)
    services.set_call_by(debrief=debrief, call_by=today + dt.timedelta(days=60), today=today)
    assert _fresh(debrief).call_by == dt.date(2026, 5, 5)


# Attempts


def test_it_refuses_an_attempt_in_the_future(debrief):
    with pytest.raises(ValidationError) as error:
        _attempt(debrief, "no_answer", when=timezone.now() + dt.timedelta(hours=1))
    assert "attempted_at" in error.value.message_dict
    assert not CallAttempt.objects.exists()


def test_it_refuses_attempts_on_a_closed_debrief(debrief, alice):
    services.close_debrief(debrief=debrief, next_touch_on=alice.local_today() + dt.timedelta(90))
    with pytest.raises(ValidationError, match="closed; reopen it"):
        _attempt(debrief, "reached")
    assert not CallAttempt.objects.exists()


def test_it_refuses_an_unknown_outcome_or_channel(debrief):
    with pytest.raises(ValidationError):
        _attempt(debrief, "shouted")
    with pytest.raises(ValidationError):
        services.log_attempt(debrief=debrief, channel="pigeon", outcome="reached")


def test_it_keeps_a_double_submitted_attempt_once(debrief):
    when = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=3)
    first = _attempt(debrief, "left_message", when=when, note="Voicemail")
    second = _attempt(debrief, "left_message", when=when, note="Voicemail")
    assert first.pk == second.pk
    assert debrief.attempts.count() == 1


def test_it_suggests_stopping_after_enough_unanswered_calls(debrief):
    for i in range(MAX_UNANSWERED_ATTEMPTS):
        assert not _fresh(debrief).should_stop_calling
        _attempt(debrief, "no_answer", when=timezone.now() - dt.timedelta(hours=i + 1))
    fresh = _fresh(debrief)
    assert fresh.should_stop_calling
    assert fresh.call_done
    _attempt(debrief, "reached")
    assert not _fresh(debrief).should_stop_calling


# Feedback


def test_it_turns_themes_into_improvement_actions(debrief, alice):
    with time_machine.travel(FRIDAY, tick=False):
        created = services.record_feedback(
            debrief=debrief,
            feedback="They went with someone who had run a budget.",
            themes=[("experience_gap", "budget ownership"), ("story_not_strong", ""),
                    ("no_feedback", "")],
        )  # fmt: skip
    titles = [a.title for a in created]
    assert titles == [
        "Prepare how you position related experience to cover the gap they saw in budget "
        "ownership, with one concrete example ready.",
        "Rework your accomplishment story about Operations Manager: open with the result, "
        "put a number on it, and tell it in under two minutes.",
    ]
    assert all(a.owner == alice and a.due_on == dt.date(2026, 3, 13) for a in created)
    assert list(ImprovementAction.objects.pending().owned_by(alice)) == created
    assert FeedbackTheme.objects.filter(debrief=debrief).count() == 3


def test_it_does_not_duplicate_actions_when_feedback_is_recorded_again(debrief):
    themes = [("skills_gap", "SQL"), ("fit", "")]
    services.record_feedback(debrief=debrief, feedback="First notes", themes=themes)
    again = services.record_feedback(debrief=debrief, feedback="Fuller notes", themes=themes)
    assert again == []
    assert ImprovementAction.objects.filter(debrief=debrief).count() == 2
    assert FeedbackTheme.objects.filter(debrief=debrief).count() == 2
    assert _fresh(debrief).feedback == "Fuller notes"


def test_it_rewrites_a_pending_action_when_the_detail_changes(debrief):
    [action] = services.record_feedback(debrief=debrief, feedback="", themes=[("skills_gap", "")])
    services.record_feedback(debrief=debrief, feedback="", themes=[("skills_gap", "SQL")])
    action.refresh_from_db()
    assert action.title.startswith("Close or position the skills gap in SQL:")
    assert FeedbackTheme.objects.get(debrief=debrief).detail == "SQL"


def test_it_drops_pending_work_for_a_theme_taken_back_but_keeps_finished_work(debrief):
    done, pending = services.record_feedback(
        debrief=debrief, feedback="", themes=[("skills_gap", "SQL"), ("fit", "")]
    )
    services.complete_action(action=done)
    services.record_feedback(debrief=debrief, feedback="Only notes now", themes=[])
    assert not FeedbackTheme.objects.filter(debrief=debrief).exists()
    assert not ImprovementAction.objects.filter(pk=pending.pk).exists()
    done.refresh_from_db()
    assert done.is_done and done.theme is None


def test_it_refuses_empty_feedback_and_unknown_themes(debrief):
    with pytest.raises(ValidationError) as error:
        services.record_feedback(debrief=debrief, feedback="  ", themes=[])
    assert "feedback" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.record_feedback(debrief=debrief, feedback="x", themes=[("made_up", "")])
    assert _fresh(debrief).feedback_recorded_at is None


def test_it_completes_and_reopens_an_action_keeping_the_first_done_time(debrief):
    [action] = services.record_feedback(debrief=debrief, feedback="", themes=[("fit", "")])
    services.complete_action(action=action)
    first = action.done_at
    services.complete_action(action=action, done=True)
    assert action.done_at == first
    services.complete_action(action=action, done=False)
    action.refresh_from_db()
    assert action.done_at is None
    assert ImprovementAction.objects.pending().filter(pk=action.pk).exists()


# Thank-you note


def test_it_drafts_the_thank_you_from_what_was_said(debrief):
    services.record_feedback(
        debrief=debrief, feedback="Budget", themes=[("experience_gap", "budget ownership")]
    )
    subject, body = services.draft_thank_you(
        debrief=services.get_debrief_for(debrief.owner, debrief.pk)
    )
    assert subject == "Thank you: Operations Manager"
    assert body.startswith("Dear Dana,\n\n")
    assert "What you said about budget ownership gives me something concrete" in body
    assert "Operations Manager role at Acme Analytics" in body
    assert body.endswith("With thanks,\nAlice Moreno\n")


def test_it_drafts_a_short_email_when_calls_went_unanswered(debrief):
    for i in range(MAX_UNANSWERED_ATTEMPTS):
        _attempt(debrief, "left_message", when=timezone.now() - dt.timedelta(hours=i + 1))
    subject, body = services.draft_thank_you(debrief=_fresh(debrief))
    assert subject == "Thank you for considering me: Operations Manager"
    assert "I tried to reach you by phone" in body
    assert "talk with me" not in body


def test_it_needs_an_email_address_to_send_the_note_from_the_app(alice):
    debrief = make_debrief(owner=alice, contact=make_contact(owner=alice, email=""))
    with pytest.raises(ValidationError) as error:
        services.send_thank_you(
            debrief=debrief, subject="Thanks", body="Thank you.", channel="email"
        )
    assert "channel" in error.value.message_dict
    assert _fresh(debrief).thank_you_sent_at is None


def test_it_emails_the_note_with_text_and_html(debrief, django_capture_on_commit_callbacks):
    body = "Dear Dana,\n\nThank you for the <candid> feedback & your time.\n\nAlice"
    with django_capture_on_commit_callbacks(execute=True):
        services.send_thank_you(
            debrief=debrief, subject="Thank you & goodbye", body=body, channel="email"
        )
    [message] = mail.outbox
    assert message.subject == "Thank you & goodbye"
    assert message.to == ["Dana Whitfield <dana@acme.example>"]
    assert message.reply_to == ["Alice Moreno <alice@example.com>"]
    assert message.from_email == "Alice Moreno via Career Tips <hello@careertips.local>"
    assert message.body.startswith(body)
    assert "Reply to this email to reach Alice Moreno directly" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Thank you for the &lt;candid&gt; feedback &amp; your time." in html
    assert "<p>Dear Dana,</p>" in html
    fresh = _fresh(debrief)
    assert fresh.thank_you_channel == "email"
    assert fresh.thank_you_sent_at is not None


def test_it_never_sends_the_note_twice(debrief, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_thank_you(
            debrief=debrief, subject="Thanks", body="Thank you.", channel="email"
        )
    with pytest.raises(ValidationError, match="already been sent"):
        services.send_thank_you(
            debrief=debrief, subject="Thanks", body="Thank you.", channel="email"
        )
    assert len(mail.outbox) == 1


def test_it_records_a_note_sent_by_hand_without_emailing(
    debrief, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_thank_you(debrief=debrief, subject="", body="Thank you.", channel="copied")
    fresh = _fresh(debrief)
    assert fresh.thank_you_channel == "copied"
    assert fresh.thank_you_subject == "Thank you: Operations Manager"
    assert mail.outbox == []


# Closing


def test_it_closes_and_keeps_the_hiring_manager_in_the_network(debrief, dana, alice):
    today = alice.local_today()
    services.close_debrief(
        debrief=debrief,
        next_touch_on=today + dt.timedelta(days=90),
        meet_at_name="  Regional  Operations Forum ",
        note="Congratulate them on the launch",
        today=today,
    )
    dana.refresh_from_db()
    assert dana.next_touch_on == today + dt.timedelta(days=90)
    assert dana.next_touch_note == "Congratulate them on the launch"
    assert dana.meet_at.name == "Regional Operations Forum"
    assert dana.meet_at.kind == Organization.Kind.ASSOCIATION
    assert dana.meet_at.owner == alice
    assert dana.relationship == Contact.Relationship.HIRING_MANAGER
    assert dana.how_we_met == "Interviewed me for Operations Manager at Acme Analytics"
    fresh = _fresh(debrief)
    assert fresh.status == Debrief.Status.CLOSED
    assert fresh.closed_at is not None


@pytest.mark.parametrize(
    ("days", "message"), [(0, "after today"), (-5, "after today"), (731, "within two years")]
)
def test_it_refuses_a_next_touch_that_makes_no_sense(debrief, alice, days, message):
    today = alice.local_today()
    with pytest.raises(ValidationError, match=message):
        services.close_debrief(
            debrief=debrief, next_touch_on=today + dt.timedelta(days=days), today=today
        )
    assert _fresh(debrief).is_open


def test_it_refuses_to_close_without_a_contact(alice):
    debrief = make_debrief(owner=alice)
    with pytest.raises(ValidationError, match="Name who you spoke with"):
        services.close_debrief(
            debrief=debrief, next_touch_on=alice.local_today() + dt.timedelta(days=9)
        )


def test_it_refuses_another_members_association(debrief, alice, bob):
    bobs = make_organization(owner=bob, name="Bob's Guild", kind=Organization.Kind.ASSOCIATION)
    with pytest.raises(ValidationError) as error:
        services.close_debrief(
            debrief=debrief, next_touch_on=alice.local_today() + dt.timedelta(9), meet_at=bobs
        )
    assert "meet_at" in error.value.message_dict
    assert _fresh(debrief).is_open


# Dismiss and reopen


def test_it_needs_a_reason_to_dismiss_and_can_reopen(debrief):
    with pytest.raises(ValidationError):
        services.dismiss_debrief(debrief=debrief, reason="   ")
    services.dismiss_debrief(debrief=debrief, reason="Recruiter form letter")
    fresh = _fresh(debrief)
    assert fresh.status == Debrief.Status.DISMISSED
    assert fresh.dismissed_reason == "Recruiter form letter"
    services.reopen_debrief(debrief=fresh)
    fresh = _fresh(debrief)
    assert fresh.is_open and fresh.dismissed_reason == "" and fresh.closed_at is None
