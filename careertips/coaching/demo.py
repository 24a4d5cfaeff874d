"""Demo coaching: the demo member shares their search with the practice's coach, a few more
clients in different states fill the coach's desk, and enough consenting members for the
practice insights to show real (never small) figures."""

import datetime as dt

from django.utils import timezone

from careertips.coaching.models import ActionItem, CoachingSession, CoachNote, Comment, Sharing
from careertips.coaching.services.practice import set_practice_consent
from careertips.core.models import User

# The demo member's debriefs and offers come first: the coach comments on them.
SEED_AFTER = ("debriefs", "offers")

NOTES = [
    ("staff", "Good work getting to the offer at Fulton Street. Before you answer, write down "
     "your walk-away number and the three-site consolidation story: that is your case for "
     "**$128,000**."),
    ("member", "Thanks. I have a call with Victor on Friday; I will ask for a day to consider."),
]  # fmt: skip

# (name, themes heard, role family, industry, days since their last change, a note waiting)
CLIENTS = [
    ("Priya Natarajan", ["skills_gap", "story_not_strong"], "finance", "financial", 2, True),
    ("Marcus Webb", ["experience_gap"], "operations", "logistics", 20, False),
    ("Hannah Okafor", ["skills_gap", "pay_expectations"], "engineering", "technology", 1, False),
]
CONSENTING = [  # anonymous demo members counted in the practice insights only
    ("skills_gap", "operations", "manufacturing"), ("skills_gap", "operations", "logistics"),
    ("skills_gap", "finance", "financial"), ("skills_gap", "operations", "manufacturing"),
    ("skills_gap", "operations", "manufacturing"), ("skills_gap", "sales", "retail"),
    ("story_not_strong", "operations", "manufacturing"),
    ("story_not_strong", "finance", "financial"),
    ("story_not_strong", "operations", "logistics"), ("story_not_strong", "people", "public"),
    ("story_not_strong", "operations", "manufacturing"),
    ("experience_gap", "operations", "manufacturing"),
]  # fmt: skip


def seed(*, staff: User, member: User) -> None:
    _, created = Sharing.objects.get_or_create(member=member, coach=staff)
    if not created:
        return
    for who, body in NOTES:
        CoachNote.objects.create(
            member=member, author=staff if who == "staff" else member, body=body
        )
    _seed_session(staff, member)
    _seed_member_loop(staff, member)
    for number, spec in enumerate(CLIENTS):
        _seed_client(staff, number, *spec)
    for number, (theme, family, industry) in enumerate(CONSENTING):
        _seed_consenting(number, theme, family, industry)


def _seed_member_loop(coach: User, member: User) -> None:
    """The demo member counts in the practice's figures and has a comment from the coach."""
    from careertips.debriefs.models import Debrief

    set_practice_consent(
        member=member, consents=True, role_family="operations", industry="manufacturing"
    )
    debrief = Debrief.objects.owned_by(member).select_related("opportunity__organization").first()
    if debrief is not None:
        opp = debrief.opportunity
        Comment.objects.create(
            member=member, coach=coach, coach_name=coach.display_name or coach.email,
            kind=Comment.Kind.DEBRIEF, object_id=debrief.pk,
            title=f"Debrief: {opp.title} at {opp.organization}",
            body="Strong call. Turn the budget feedback into a story before your next interview.",
        )  # fmt: skip


def _seed_session(coach: User, member: User) -> None:
    now = timezone.now()
    past = CoachingSession.objects.create(
        member=member, coach=coach, coach_name=coach.display_name or coach.email,
        starts_at=now - dt.timedelta(days=6), duration_minutes=45,
        video_url="https://meet.example.com/careertips-demo",
        summary="Practised the rejection-call opening; agreed to tighten two stories.",
        summary_at=now - dt.timedelta(days=6),
    )  # fmt: skip
    ActionItem.objects.create(
        session=past, member=member, title="Add numbers to the vendor-consolidation story",
        due_on=timezone.localdate() + dt.timedelta(days=1),
    )  # fmt: skip
    CoachingSession.objects.create(
        member=member, coach=coach, coach_name=past.coach_name, place="The practice office",
        starts_at=now + dt.timedelta(days=2), duration_minutes=60,
    )  # fmt: skip


def _debrief_with(owner: User, themes: list[str], title: str, days_ago: int) -> None:
    from careertips.debriefs.models import FeedbackTheme
    from careertips.debriefs.services import open_debrief
    from careertips.network.models import Organization
    from careertips.pipeline.models import Stage
    from careertips.pipeline.services import create_opportunity

    organization, _ = Organization.objects.get_or_create(owner=owner, name="Northwind Supply")
    applied = timezone.localdate() - dt.timedelta(days=days_ago + 20)
    opportunity = create_opportunity(
        owner=owner, organization=organization, title=title, stage=Stage.INTERVIEWING,
        applied_on=applied, found_on=applied - dt.timedelta(days=2),
    )  # fmt: skip
    debrief = open_debrief(opportunity=opportunity)
    debrief.call_by = timezone.localdate() - dt.timedelta(days=days_ago)
    debrief.save(update_fields=["call_by"])
    for theme in themes:
        FeedbackTheme.objects.create(debrief=debrief, theme=theme)


def _demo_user(email: str, name: str) -> User:
    user, _ = User.objects.get_or_create(email=email, defaults={"display_name": name})
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def _seed_client(coach: User, number: int, name: str, themes: list[str], family: str,
                 industry: str, quiet_days: int, note: bool) -> None:  # fmt: skip
    client = _demo_user(f"client{number + 1}@careertips.local", name)
    Sharing.objects.get_or_create(member=client, coach=coach)
    set_practice_consent(member=client, consents=True, role_family=family, industry=industry)
    _debrief_with(client, themes, "Operations Analyst", days_ago=3)
    from careertips.pipeline.models import Opportunity

    Opportunity.objects.filter(owner=client).update(
        updated_at=timezone.now() - dt.timedelta(days=quiet_days)
    )
    if note:
        CoachNote.objects.create(member=client, author=client, body="Could we talk this week?")
    from careertips.debriefs.models import Debrief

    debrief = Debrief.objects.owned_by(client).first()
    if debrief is not None:
        Comment.objects.create(
            member=client, coach=coach, coach_name=coach.display_name or coach.email,
            kind=Comment.Kind.DEBRIEF, object_id=debrief.pk, title="Debrief",
            body="Call them before Friday: the sooner, the warmer.",
        )  # fmt: skip


def _seed_consenting(number: int, theme: str, family: str, industry: str) -> None:
    member = _demo_user(f"consenting{number + 1}@careertips.local", "")
    set_practice_consent(member=member, consents=True, role_family=family, industry=industry)
    _debrief_with(member, [theme], "Team Lead", days_ago=10)
