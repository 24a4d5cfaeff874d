"""The coaching loop: scoped sharing, the desk, comments, sessions and action items, and the
practice's anonymous figures reaching the newsletter and back to members."""

import datetime as dt

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from careertips.coaching import services
from careertips.coaching.models import AccessLogEntry, ActionItem, Comment, Sharing
from careertips.coaching.services.practice import K_ANONYMITY, practice_overview
from careertips.core.testing import make_user
from careertips.debriefs.models import FeedbackTheme, Theme
from careertips.debriefs.tests.helpers import make_debrief
from careertips.newsletter.models import Article, Issue
from careertips.offers.models import Offer
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_interview, make_opportunity
from careertips.stories.models import Story


def _as(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def shared(alice, coach):
    return Sharing.objects.create(member=alice, coach=coach)


def _items(alice):
    debrief = make_debrief(owner=alice, feedback="They wanted budget ownership.")
    FeedbackTheme.objects.create(debrief=debrief, theme=Theme.SKILLS_GAP, detail="budgets")
    story = Story.objects.create(
        owner=alice, title="Cut scrap 30%", challenge="c", action="a", result="30%"
    )
    opp = make_opportunity(owner=alice, stage=Stage.OFFER, title="Plant Lead")
    interview = make_interview(opportunity=opp)
    offer = Offer.objects.create(opportunity=opp, base_salary=120_000)
    return {"debrief": debrief, "story": story, "prep": interview, "offer": offer}


ITEM_SCOPES = {"debrief": "debriefs", "story": "stories", "prep": "stories", "offer": "offers"}


@pytest.mark.parametrize("kind", sorted(ITEM_SCOPES))
def test_it_shows_a_shared_item_hides_an_unshared_one_and_ends_with_sharing(
    alice, coach, shared, kind
):
    item = _items(alice)[kind]
    url = f"/coaching/clients/{alice.pk}/{kind}/{item.pk}/"
    assert _as(coach).get(url).status_code == 200
    setattr(shared, ITEM_SCOPES[kind], False)
    shared.save()
    assert _as(coach).get(url).status_code == 404
    setattr(shared, ITEM_SCOPES[kind], True)
    shared.save()
    services.stop_sharing(member=alice, coach_id=coach.pk)
    assert _as(coach).get(url).status_code == 404


@pytest.mark.parametrize("scope", ["pipeline", "debriefs", "stories", "offers", "network"])
def test_it_reads_each_scope_only_while_shared(alice, coach, shared, scope):
    url = f"/coaching/clients/{alice.pk}/shared/{scope}/"
    shared.network = True
    shared.save()
    assert _as(coach).get(url).status_code == 200
    everything = {"pipeline", "debriefs", "stories", "offers", "network"}
    services.set_scopes(member=alice, coach_id=coach.pk, scopes=everything - {scope})
    assert _as(coach).get(url).status_code == 404
    services.set_scopes(member=alice, coach_id=coach.pk, scopes={scope})
    services.stop_sharing(member=alice, coach_id=coach.pk)
    assert _as(coach).get(url).status_code == 404


def test_it_keeps_the_network_private_by_default(alice, coach, shared):
    assert not shared.network
    assert _as(coach).get(f"/coaching/clients/{alice.pk}/shared/network/").status_code == 404


def test_it_logs_each_scoped_read_with_its_scope(alice, coach, shared):
    debrief = _items(alice)["debrief"]
    _as(coach).get(f"/coaching/clients/{alice.pk}/debrief/{debrief.pk}/")
    entry = AccessLogEntry.objects.get(member=alice)
    assert entry.coach == coach and entry.page == "Debriefs: Debrief"
    assert entry.path == f"/coaching/clients/{alice.pk}/debrief/{debrief.pk}/"


def test_it_shows_the_member_what_the_coach_sees_without_logging(alice, coach, shared):
    _items(alice)
    services.set_scopes(member=alice, coach_id=coach.pk, scopes={"stories"})
    page = _as(alice).get(f"/coaching/preview/{coach.pk}/").content.decode()
    assert "Cut scrap 30%" in page and "Plant Lead at" in page  # prep sheet of the interview
    assert "scope-debriefs" not in page and not AccessLogEntry.objects.exists()


def test_it_shows_a_coach_only_notes_written_while_sharing(alice, coach):
    services.add_note(member=alice, author=alice, body="Before sharing")
    Sharing.objects.filter(pk=Sharing.objects.create(member=alice, coach=coach).pk).update(
        created_at=timezone.now() + dt.timedelta(seconds=1)
    )
    later = services.add_note(member=alice, author=alice, body="After sharing")
    later.created_at = timezone.now() + dt.timedelta(seconds=2)
    later.save()
    assert [n.body for n in services.thread_of(alice, coach=coach)] == ["After sharing"]


def test_it_orders_the_desk_by_what_needs_the_coach(alice, bob, coach):
    Sharing.objects.create(member=alice, coach=coach)
    Sharing.objects.create(member=bob, coach=coach)
    make_opportunity(owner=alice)
    make_debrief(owner=bob, call_by=timezone.localdate() - dt.timedelta(days=2))
    opp = make_opportunity(owner=bob, stage=Stage.OFFER, title="Lead")
    Offer.objects.create(
        opportunity=opp,
        base_salary=1,
        decision_deadline=timezone.localdate() + dt.timedelta(days=2),
    )
    make_interview(opportunity=opp, scheduled_at=timezone.now() + dt.timedelta(days=1))
    services.add_note(member=bob, author=bob, body="Help!")
    rows = services.desk_of(coach)
    assert [row.member for row in rows] == [bob, alice]
    reasons = " | ".join(rows[0].reasons)
    assert "past the call-by date" in reasons and "without a prep sheet" in reasons
    assert "decide on this week" in reasons and "new note" in reasons
    page = _as(coach).get("/coaching/clients/").content.decode()
    assert page.index("Bob Lindqvist") < page.index("Alice Moreno")


def test_it_tells_the_member_of_a_comment_and_shows_it_beside_the_item(
    alice, coach, shared, mailoutbox, django_capture_on_commit_callbacks
):
    debrief = _items(alice)["debrief"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(coach).post(
            f"/coaching/clients/{alice.pk}/debrief/{debrief.pk}/comments/",
            {"body": "Call again Tuesday."},
        )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[alice.email]]
    assert "Call again Tuesday" not in mailoutbox[0].body  # the words stay in the app
    member = _as(alice)
    assert "Call again Tuesday." in member.get(f"/debriefs/{debrief.pk}/").content.decode()
    today = member.get("/today/").content.decode()
    assert "Robin Coach commented on your Debrief" in today
    comment = Comment.objects.get()
    member.post(f"/today/items/coach-comment/{comment.pk}/done/")
    comment.refresh_from_db()
    assert comment.seen_at is not None


def test_it_refuses_an_empty_comment_at_the_field(alice, coach, shared):
    story = _items(alice)["story"]
    response = _as(coach).post(
        f"/coaching/clients/{alice.pk}/story/{story.pk}/comments/", {"body": " "}
    )
    assert response.status_code == 400 and not Comment.objects.exists()


def test_it_invites_both_to_a_session_with_an_ics_file(
    alice, coach, shared, mailoutbox, django_capture_on_commit_callbacks
):
    starts = (timezone.now() + dt.timedelta(days=2)).replace(microsecond=0, second=0)
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(coach).post(
            f"/coaching/clients/{alice.pk}/sessions/",
            {"starts_at": timezone.localtime(starts).strftime("%Y-%m-%dT%H:%M"),
             "duration_minutes": 50, "video_url": "https://meet.example.com/abc"},
        )  # fmt: skip
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == [alice.email, coach.email]
    part = next(
        p for p in mailoutbox[0].message().walk() if p.get_content_type() == "text/calendar"
    )
    assert part.get_filename() == "coaching-session.ics"
    cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    event = next(iter(cal.walk("VEVENT")))
    assert cal["METHOD"] == "REQUEST"
    assert event.decoded("dtstart") == starts
    assert event.decoded("duration") == dt.timedelta(minutes=50)
    assert str(event["url"]) == "https://meet.example.com/abc"
    assert "Coaching session with Robin Coach" in _as(alice).get("/today/").content.decode()
    assert "Coaching session with Alice Moreno" in _as(coach).get("/today/").content.decode()


def test_it_puts_the_session_in_the_members_calendar_feed(alice, coach, shared):
    from careertips.agenda.services.feed import build_calendar

    session = services.schedule_session(
        coach=coach, member=alice, starts_at=timezone.now() + dt.timedelta(days=3),
        duration_minutes=45, place="The office",
    )  # fmt: skip
    feed = icalendar.Calendar.from_ical(build_calendar(owner=alice))
    uids = [str(e["uid"]) for e in feed.walk("VEVENT")]
    assert any(uid.startswith(f"coaching-session-{session.pk}@") for uid in uids)


def test_it_refuses_a_session_without_a_place_at_the_field(alice, coach, shared):
    response = _as(coach).post(
        f"/coaching/clients/{alice.pk}/sessions/",
        {"starts_at": "2099-01-01T10:00", "duration_minutes": 45},
    )
    assert (
        response.status_code == 400
        and "Give a place to meet or a video link." in response.content.decode()
    )


def test_it_lets_the_member_complete_an_action_item_from_today(alice, coach, shared):
    session = services.schedule_session(
        coach=coach, member=alice, starts_at=timezone.now() + dt.timedelta(minutes=1),
        duration_minutes=45, place="Cafe",
    )  # fmt: skip
    session.starts_at = timezone.now() - dt.timedelta(hours=1)
    session.save()
    coach_client = _as(coach)
    coach_client.post(
        f"/coaching/sessions/{session.pk}/summary/", {"summary": "Worked on the pitch."}
    )
    coach_client.post(
        f"/coaching/sessions/{session.pk}/actions/",
        {"title": "Rewrite the scrap story", "due_on": timezone.localdate().isoformat()},
    )
    item = ActionItem.objects.get()
    member = _as(alice)
    assert "Rewrite the scrap story" in member.get("/today/").content.decode()
    member.post(f"/today/items/coach-action/{item.pk}/done/")
    item.refresh_from_db()
    assert item.is_done
    page = coach_client.get(f"/coaching/sessions/{session.pk}/").content.decode()
    assert "Worked on the pitch." in page and "done" in page


# Practice insights ---------------------------------------------------------------------------


def _consenting(count, theme=Theme.SKILLS_GAP, *, prefix="m"):
    members = []
    for number in range(count):
        member = make_user(f"{prefix}{number}@example.com")
        services.set_practice_consent(member=member, consents=True, role_family="operations")
        debrief = make_debrief(owner=member)
        FeedbackTheme.objects.create(debrief=debrief, theme=theme, detail="Acme secret words")
        members.append(member)
    return members


def _figures(theme=Theme.SKILLS_GAP):
    return next(t for t in practice_overview().themes if t.theme == theme)


def test_it_hides_a_theme_heard_by_fewer_than_five_members(db):
    _consenting(K_ANONYMITY - 1)
    figures = _figures()
    assert figures.members is None and figures.role_families == []
    assert all(cell.members is None for cell in figures.months)


def test_it_shows_a_theme_heard_by_five_members(db, coach):
    _consenting(K_ANONYMITY)
    figures = _figures()
    assert figures.members == 5 and figures.role_families[0].members == 5
    assert any(cell.members == 5 for cell in figures.months)
    page = _as(coach).get("/coaching/practice/?theme=skills_gap").content.decode()
    assert "Skills gap" in page and "Acme" not in page and "m0@example.com" not in page


def test_it_counts_nobody_who_has_not_consented(db):
    _consenting(K_ANONYMITY)
    for number in range(3):
        FeedbackTheme.objects.create(
            debrief=make_debrief(owner=make_user(f"quiet{number}@example.com")), theme=Theme.FIT
        )
    assert _figures().members == 5 and _figures(Theme.FIT).members is None


def test_it_takes_a_withdrawn_member_out_of_every_aggregate(db):
    members = _consenting(K_ANONYMITY)
    assert _figures().members == 5
    services.set_practice_consent(member=members[0], consents=False)
    figures = _figures()
    overview = practice_overview()
    assert figures.members is None and overview.members is None
    assert figures.role_families == [] and all(c.members is None for c in figures.months)


def test_it_lets_a_member_consent_and_withdraw_on_the_coaching_page(alice, alice_client):
    alice_client.post(
        "/coaching/consent/", {"consents": "on", "role_family": "finance", "industry": "retail"}
    )
    assert alice.practice_profile.consents and alice.practice_profile.industry == "retail"
    alice_client.post("/coaching/consent/", {"role_family": "finance"})
    alice.practice_profile.refresh_from_db()
    assert not alice.practice_profile.consents
    response = alice_client.post("/coaching/consent/", {"consents": "on", "industry": "nope"})
    assert response.status_code == 400


def test_it_lets_only_coaches_and_editors_read_practice_insights(
    alice, coach, editor, administrator
):
    assert _as(coach).get("/coaching/practice/").status_code == 200
    assert _as(editor).get("/coaching/practice/").status_code == 200
    assert _as(alice).get("/coaching/practice/").status_code == 404
    assert _as(administrator).get("/coaching/practice/").status_code == 404
    assert (
        _as(coach)
        .post("/coaching/practice/draft/", {"theme": "fit", "kind": "feature"})
        .status_code
        == 404
    )


def test_it_drafts_an_article_from_a_theme_that_members_are_then_pointed_to(alice, editor):
    _consenting(K_ANONYMITY)
    response = _as(editor).post(
        "/coaching/practice/draft/", {"theme": "skills_gap", "kind": "feature"}
    )
    article = Article.objects.get()
    assert response["Location"] == f"/newsletter/staff/articles/{article.pk}/"
    assert "5 clients" in article.body and "/coaching/practice/?theme=skills_gap" in article.body
    assert "Acme" not in article.body
    assert list(article.themes.values_list("theme", flat=True)) == ["skills_gap"]
    debrief = make_debrief(owner=alice)
    FeedbackTheme.objects.create(debrief=debrief, theme=Theme.SKILLS_GAP)
    alice_client = _as(alice)
    assert article.title not in alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    Issue.objects.update(
        status=Issue.Status.SENT, sent_at=timezone.now(), published_at=timezone.now()
    )
    assert article.title in alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()


def test_it_refuses_a_draft_for_a_theme_too_few_heard(editor):
    _consenting(K_ANONYMITY - 1)
    _as(editor).post("/coaching/practice/draft/", {"theme": "skills_gap", "kind": "letter"})
    assert not Article.objects.exists()


def test_it_reads_the_desk_in_a_fixed_number_of_queries(coach, django_assert_max_num_queries):
    for number in range(6):
        member = make_user(f"desk{number}@example.com")
        Sharing.objects.create(member=member, coach=coach)
        make_debrief(owner=member, call_by=timezone.localdate() - dt.timedelta(days=1))
    client = _as(coach)
    with django_assert_max_num_queries(12):
        response = client.get("/coaching/clients/")
    assert response.content.decode().count("past the call-by date") == 6


def test_it_lets_an_editor_tag_an_article_with_themes(editor):
    from careertips.newsletter.tests.helpers import make_article, make_issue

    article = make_article(issue=make_issue(status=Issue.Status.DRAFT))
    response = _as(editor).post(
        f"/newsletter/staff/articles/{article.pk}/",
        {"title": article.title, "body": article.body, "themes": ["fit", "skills_gap"]},
    )
    assert response.status_code == 302
    assert sorted(article.themes.values_list("theme", flat=True)) == ["fit", "skills_gap"]
    assert suggested_ids(["fit"]) == []  # not published yet


def suggested_ids(themes):
    return [a.pk for a in services.suggested_articles(themes)]
