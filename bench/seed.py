"""A large account for benchmarks: years of searching by one very busy member.

Rows go in with bulk_create (seconds, not minutes). Each app has one seeding function taking
the shared `Account`; to put a new app's rows under load, write `seed_<app>(account)` and add
it to SEEDERS in dependency order. Call only after `django.setup()`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.db import transaction
from django.utils import timezone

from careertips.core.models import User
from careertips.debriefs.models import CallAttempt, Debrief, FeedbackTheme, ImprovementAction
from careertips.network.models import Contact, Event, EventAttendance, Organization, Touchpoint
from careertips.offers.models import ExchangeRate, MarketFigure, Negotiation, Offer
from careertips.pipeline.models import TRANSITIONS, Interview, Opportunity, Stage, StageChange
from careertips.stories.models import Competency, Coverage, Gap, Question, Requirement, Story

SIZES = {
    "organizations": 600, "contacts": 3000, "opportunities": 2000, "stage_changes": 15000,
    "touchpoints": 20000, "events": 200, "debriefs": 300, "stories": 500, "competencies": 40,
    "requirements": 40, "offers": 6,
}  # fmt: skip
BATCH = 500
# Stages a history passes through only as its last move.
ENDINGS = {Stage.ACCEPTED, Stage.TURNED_DOWN, Stage.WITHDRAWN, Stage.OFFER_DECLINED, Stage.OFFER}
FIRST = [
    "Alex", "Sam", "Jordan", "Priya", "Chen", "Maria", "Tom", "Aisha", "Luis", "Grace", "Omar",
]  # fmt: skip
LAST = [
    "Raman", "Bell", "Karim", "Sorokina", "Okafor", "Brooks", "Schultz", "Mendes", "Cole", "Liu",
]  # fmt: skip
TITLES = [
    "Operations Manager", "Program Manager", "Logistics Manager", "Supply Chain Lead",
    "Business Operations Manager", "Fulfillment Manager", "Process Improvement Lead",
]  # fmt: skip


@dataclass
class Account:
    member: User
    rng: random.Random
    now: dt.datetime = field(default_factory=timezone.now)
    organization_ids: list[int] = field(default_factory=list)
    contact_ids: list[int] = field(default_factory=list)
    opportunity_ids: list[int] = field(default_factory=list)
    # How much of everything: SIZES for the one very busy member, less for a crowd of them.
    sizes: dict[str, int] = field(default_factory=lambda: dict(SIZES))

    def days_ago(self, days: float) -> dt.datetime:
        return self.now - dt.timedelta(days=days)


def seed_network(account: Account) -> None:
    rng, member = account.rng, account.member
    kinds = [Organization.Kind.EMPLOYER] * 18 + [
        Organization.Kind.ASSOCIATION,
        Organization.Kind.RECRUITER,
    ]
    Organization.objects.bulk_create(
        [
            Organization(owner=member, name=f"Company {n:04d}", kind=rng.choice(kinds))
            for n in range(account.sizes["organizations"])
        ],
        batch_size=BATCH,
    )
    account.organization_ids = list(
        Organization.objects.filter(owner=member).values_list("id", flat=True)
    )
    today = account.now.date()
    Contact.objects.bulk_create(
        [
            Contact(
                owner=member,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
                title=rng.choice(TITLES),
                organization_id=rng.choice(account.organization_ids),
                email=f"contact{n}@example.com",
                relationship=rng.choice(Contact.Relationship.values),
                next_touch_on=today + dt.timedelta(days=rng.randint(-20, 60))
                if rng.random() < 0.3
                else None,
            )
            for n in range(account.sizes["contacts"])
        ],
        batch_size=BATCH,
    )
    account.contact_ids = list(Contact.objects.filter(owner=member).values_list("id", flat=True))


def _history(rng: random.Random, length: int, end: str | None) -> list[str]:
    """`length` stages along allowed moves, open until the last one, which may end it."""
    path = [Stage.INTERESTED.value, Stage.APPLIED.value]
    while len(path) < length - 1:
        path.append(rng.choice([s for s in TRANSITIONS[path[-1]] if s not in ENDINGS]))
    path.append(end or rng.choice(TRANSITIONS[path[-1]]))
    return path


def seed_pipeline(account: Account) -> None:
    rng, member, sizes = account.rng, account.member, account.sizes
    count = sizes["opportunities"]
    # Histories of 7 and 8 stages add up to the stage-change total; the first end in a "no".
    per = sizes["stage_changes"] / count
    paths = [
        _history(rng, int(per) + n % 2, Stage.TURNED_DOWN if n < sizes["debriefs"] else None)
        for n in range(count)
    ]
    opportunities = []
    for n, path in enumerate(paths):
        found = account.days_ago(rng.uniform(30, 720))
        opportunities.append(
            Opportunity(
                owner=member,
                organization_id=rng.choice(account.organization_ids),
                title=rng.choice(TITLES),
                stage=path[-1],
                stage_changed_at=found + dt.timedelta(days=len(path) * 3),
                found_on=found.date(),
                applied_on=(found + dt.timedelta(days=1)).date(),
                pay_min=90_000,
                pay_max=120_000,
                hiring_manager_id=rng.choice(account.contact_ids) if n % 3 == 0 else None,
            )
        )
    Opportunity.objects.bulk_create(opportunities, batch_size=BATCH)
    account.opportunity_ids = [o.pk for o in opportunities]
    _seed_stage_changes(account, opportunities, paths)
    _seed_interviews(account, opportunities)


def _seed_stage_changes(
    account: Account, opportunities: list[Opportunity], paths: list[list[str]]
) -> None:
    rows = []
    for opportunity, path in zip(opportunities, paths, strict=True):
        found = opportunity.stage_changed_at - dt.timedelta(days=len(path) * 3)
        for step, stage in enumerate(path):
            rows.append(
                StageChange(
                    opportunity_id=opportunity.pk,
                    from_stage=path[step - 1] if step else "",
                    to_stage=stage,
                    changed_at=found + dt.timedelta(days=step * 3),
                )
            )
    StageChange.objects.bulk_create(rows, batch_size=BATCH)


def _seed_interviews(account: Account, opportunities: list[Opportunity]) -> None:
    rng = account.rng
    rows = [
        Interview(
            opportunity_id=o.pk,
            scheduled_at=account.now + dt.timedelta(days=rng.uniform(-60, 14)),
            kind=rng.choice(Interview.Kind.values),
            prep_notes="Requirements against stories; questions to ask.",
        )
        for o in opportunities
        if o.stage in (Stage.INTERVIEWING, Stage.OFFER, Stage.TURNED_DOWN)
    ]
    Interview.objects.bulk_create(rows, batch_size=BATCH)


def seed_debriefs(account: Account) -> None:
    rng, member = account.rng, account.member
    turned_down = Opportunity.objects.filter(owner=member, stage=Stage.TURNED_DOWN)
    debriefs = [
        Debrief(
            owner=member,
            opportunity_id=opportunity_id,
            contact_id=rng.choice(account.contact_ids),
            call_by=(account.days_ago(rng.uniform(-5, 60))).date(),
            status=Debrief.Status.OPEN if n % 3 else Debrief.Status.CLOSED,
            feedback="They wanted deeper experience with warehouse systems." if n % 2 else "",
        )
        for n, opportunity_id in enumerate(
            turned_down.values_list("id", flat=True)[: account.sizes["debriefs"]]
        )
    ]
    Debrief.objects.bulk_create(debriefs, batch_size=BATCH)
    CallAttempt.objects.bulk_create(
        [
            CallAttempt(
                debrief_id=d.pk, outcome=CallAttempt.Outcome.LEFT_MESSAGE, attempted_at=account.now
            )
            for d in debriefs
        ],
        batch_size=BATCH,
    )
    themes = FeedbackTheme.objects.bulk_create(
        [FeedbackTheme(debrief_id=d.pk, theme="story_not_strong") for d in debriefs if d.feedback]
    )
    ImprovementAction.objects.bulk_create(
        [
            ImprovementAction(
                owner=member,
                debrief_id=t.debrief_id,
                theme_id=t.pk,
                title="Put a number on the peak-season story.",
                due_on=account.now.date() + dt.timedelta(days=rng.randint(-10, 10)),
            )
            for t in themes
        ]
    )


def seed_network_activity(account: Account) -> None:
    """Events over the past year and the next month, and years of touchpoints."""
    rng, member = account.rng, account.member
    associations = (
        list(
            Organization.objects.filter(
                owner=member, kind=Organization.Kind.ASSOCIATION
            ).values_list("id", flat=True)
        )
        or account.organization_ids
    )
    events = Event.objects.bulk_create(
        [
            Event(
                owner=member,
                name=f"Chapter meeting {n}",
                starts_at=account.days_ago(rng.uniform(-30, 365)),
                place="Community Hall",
                organization_id=rng.choice(associations),
            )
            for n in range(account.sizes["events"])
        ],
        batch_size=BATCH,
    )
    attendances = {
        (event.pk, contact_id)
        for event in events
        for contact_id in rng.sample(account.contact_ids, rng.randint(3, 12))
    }
    EventAttendance.objects.bulk_create(
        [EventAttendance(event_id=e, contact_id=c) for e, c in attendances], batch_size=BATCH
    )
    kinds = Touchpoint.Kind.values
    # A few well-tended relationships hold most of the touchpoints, as in a real network.
    busy = account.contact_ids[: max(1, len(account.contact_ids) // 10)]
    Touchpoint.objects.bulk_create(
        [
            Touchpoint(
                owner=member,
                contact_id=rng.choice(busy if rng.random() < 0.6 else account.contact_ids),
                kind=rng.choice(kinds),
                happened_on=account.days_ago(rng.uniform(1, 900)).date(),
                note="Caught up on the search and what they are hiring for.",
            )
            for _ in range(account.sizes["touchpoints"])
        ],
        batch_size=BATCH,
    )


def seed_stories(account: Account) -> None:
    """A bank of stories over many competencies; the busiest interview's posting broken into
    requirements, most covered by a few stories, some positioned as gaps."""
    rng, member, sizes = account.rng, account.member, account.sizes
    competencies = Competency.objects.bulk_create(
        [Competency(owner=member, name=f"Competency {n:02d}") for n in range(sizes["competencies"])]
    )
    stories = Story.objects.bulk_create(
        [
            Story(
                owner=member,
                title=f"Cut {rng.choice(TITLES).lower()} costs, story {n}",
                challenge="Peak season doubled the orders while the budget stayed flat.",
                action="Re-planned the shifts and renegotiated two carrier contracts.",
                result=f"Saved {rng.randint(5, 40)}% a year" if n % 4 else "Saved a lot",
                organization_name=f"Company {rng.randint(0, 599):04d}",
                role=rng.choice(TITLES),
                year=rng.randint(2005, 2025),
                strength=rng.randint(1, 5),
            )
            for n in range(sizes["stories"])
        ],
        batch_size=BATCH,
    )
    links = Story.competencies.through
    links.objects.bulk_create(
        [
            links(story_id=story.pk, competency_id=competency.pk)
            for story in stories
            for competency in rng.sample(competencies, min(len(competencies), rng.randint(1, 4)))
        ],
        batch_size=BATCH,
    )
    if stories and sizes["requirements"]:
        _seed_coverage(account, stories)


def _seed_coverage(account: Account, stories: list[Story]) -> None:
    rng, member = account.rng, account.member
    opportunity = Opportunity.objects.filter(owner=member, stage=Stage.INTERVIEWING).first()
    if opportunity is None:
        return
    requirements = Requirement.objects.bulk_create(
        [
            Requirement(opportunity=opportunity, position=n, text=f"Requirement {n}: {title}")
            for n, title in enumerate(rng.choices(TITLES, k=account.sizes["requirements"]))
        ]
    )
    Coverage.objects.bulk_create(
        [
            Coverage(requirement=requirement, story=story)
            for requirement in requirements[: len(requirements) * 3 // 4]
            for story in rng.sample(stories, min(len(stories), rng.randint(1, 3)))
        ]
    )
    Gap.objects.bulk_create(
        [
            Gap(owner=member, topic=f"Gap {n}", positioning="Adjacent experience.", requirement=r)
            for n, r in enumerate(requirements[len(requirements) * 3 // 4 :][:5])
        ]
    )
    Question.objects.bulk_create(
        [Question(opportunity=opportunity, position=n, text=f"Question {n}?") for n in range(8)]
    )


def seed_offers(account: Account) -> None:
    """Offers on the opportunities still at the offer stage, in two currencies with a rate
    between them, one with a negotiation under way."""
    rng, member = account.rng, account.member
    opportunities = Opportunity.objects.filter(owner=member, stage=Stage.OFFER)
    ids = list(opportunities.values_list("id", flat=True)[: account.sizes["offers"]])
    offers = Offer.objects.bulk_create(
        [
            Offer(
                opportunity_id=pk,
                received_on=account.days_ago(n + 1).date(),
                currency="EUR" if n % 3 == 2 else "USD",
                base_salary=rng.randint(90, 140) * 1000,
                sign_on_bonus=5000 * (n % 2),
                decision_deadline=account.days_ago(-3 - n).date(),
                benefits="Health, dental, 20 days off.",
            )
            for n, pk in enumerate(ids)
        ]
    )
    if not offers:
        return
    ExchangeRate.objects.create(
        owner=member, from_currency="EUR", to_currency="USD", rate="1.08",
        as_of=account.now.date(),
    )  # fmt: skip
    negotiation = Negotiation.objects.create(offer=offers[0])
    MarketFigure.objects.bulk_create(
        [
            MarketFigure(negotiation=negotiation, source=f"Survey {n}", low=95_000, high=130_000)
            for n in range(3)
        ]
    )


SEEDERS: list[Callable[[Account], None]] = [
    seed_network, seed_pipeline, seed_debriefs, seed_network_activity, seed_stories, seed_offers,
]  # fmt: skip


@transaction.atomic
def seed_public_site(*, volumes: int = 10) -> None:
    """The demo site and newsletter, plus years of monthly issues in the archive."""
    from django.apps import apps

    from careertips.newsletter.models import Article, Issue

    staff = User.objects.create_user(email="editor@example.com", password=None)
    for app in ("pages", "newsletter"):
        demo = import_module(f"{apps.get_app_config(app).name}.demo")
        demo.seed(staff=staff)
    kinds = [kind for kind, _ in Article.Kind.choices]
    first = max(Issue.objects.values_list("volume", flat=True), default=0) + 1
    month = dt.date(2000, 1, 1)
    issues = []
    for volume in range(first, first + volumes):
        for number in range(1, 13):
            sent = dt.datetime(month.year + volume, number, 3, 14, tzinfo=dt.UTC)
            issues.append(
                Issue(
                    volume=volume,
                    number=number,
                    month=sent.date().replace(day=1),
                    title=f"Issue {volume}.{number}: following up",
                    introduction="Hello.",
                    status=Issue.Status.SENT,
                    send_started_at=sent,
                    sent_at=sent,
                    published_at=sent,
                )  # fmt: skip
            )
    Issue.objects.bulk_create(issues, batch_size=BATCH)
    Article.objects.bulk_create(
        [
            Article(
                issue=issue,
                kind=kinds[n % len(kinds)],
                position=n,
                title=f"Article {n} of {issue.volume}.{issue.number}",
                slug=f"article-{n}",
                body="Call the hiring manager. **Come to learn.**",
                question="How do I ask why?",
                signed_as="Robert in Denver",
            )  # fmt: skip
            for issue in Issue.objects.filter(volume__gte=first)
            for n in range(4)
        ],
        batch_size=BATCH,
    )


@transaction.atomic
def seed_large_account(
    *,
    email: str = "bench@example.com",
    sizes: dict[str, int] | None = None,
    seed: int = 7,
    name: str = "Bench Member",
) -> User:
    member = User.objects.create_user(email=email, password=None, display_name=name)
    account = Account(member=member, rng=random.Random(seed))  # noqa: S311 -- repeatable data
    if sizes is not None:
        account.sizes = {**SIZES, **sizes}
    for seeder in SEEDERS:
        seeder(account)
    return member
