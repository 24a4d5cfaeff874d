"""Demo data for `careertips seed_demo`: a coach, an editor and an administrator of the
practice, and a member ten weeks into a job search.

The search follows published funnel numbers (roughly 45 applications, 8 screens, 5 interview
processes, 1 offer, many applications that never hear back) so every screen has something
realistic to show. Loaded once: when the demo member exists nothing is touched.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import random
import zoneinfo
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from careertips.core.models import User
from careertips.core.roles import Role
from careertips.core.services import set_roles
from careertips.debriefs import services as debriefs
from careertips.debriefs.models import CallAttempt, Debrief, Theme
from careertips.network.models import Contact, Organization
from careertips.offers.models import BonusKind
from careertips.offers.services.lifecycle import create_offer
from careertips.pipeline.models import Interview, Opportunity, Source, Stage, WorkMode
from careertips.pipeline.services import create_opportunity, move_opportunity, record_follow_up

COACH_EMAIL = "coach@careertips.local"
COACH_PASSWORD = "coach-password-2026"  # noqa: S105 -- published demo login
EDITOR_EMAIL = "editor@careertips.local"
EDITOR_PASSWORD = "editor-password-2026"  # noqa: S105 -- published demo login
ADMINISTRATOR_EMAIL = "admin@careertips.local"
ADMINISTRATOR_PASSWORD = "admin-password-2026"  # noqa: S105 -- published demo login
MEMBER_EMAIL = "demo@careertips.local"
MEMBER_PASSWORD = "demo-password-2026"  # noqa: S105 -- published demo login
# (role, email, password) of each published demo login, as `careertips serve` prints them.
DEMO_LOGINS = [
    ("member", MEMBER_EMAIL, MEMBER_PASSWORD),
    ("coach", COACH_EMAIL, COACH_PASSWORD),
    ("editor", EDITOR_EMAIL, EDITOR_PASSWORD),
    ("admin", ADMINISTRATOR_EMAIL, ADMINISTRATOR_PASSWORD),
]
MEMBER_TIME_ZONE = "America/Chicago"
# Apps that may bring their own demo content through `<app>/demo.py: seed(...)`.
OPTIONAL_SEEDERS = ("pages", "newsletter", "network", "agenda", "stories", "coaching", "resumes")

EMPLOYERS = [
    "Ashgrove Packaging", "Bluestem Grocers", "Cardinal Freight Systems", "Clearwater Biologics",
    "Copperline Electric", "Driftwood Hospitality Group", "Elm & Ivy Retail",
    "Foxglove Pharmacy Services", "Granite Peak Insurance", "Halcyon Senior Living",
    "Ironwood Building Supply", "Juniper Mobility", "Keystone Dental Partners", "Larkspur Apparel",
    "Maple Crest Foods", "Northgate Transit Authority", "Oakhurst University Facilities",
    "Pinecrest Property Management", "Redwood Office Solutions", "Riverbend Printing",
    "Saffron Street Restaurants", "Silverline Medical Labs", "Summit Ridge Outdoor",
    "Tallgrass Veterinary Group", "Union Loop Coffee Roasters", "Vantage Point Telecom",
    "Westlake Animal Health", "Willowbrook Home Care", "Yellowfield Agritech",
    "Zenith Event Services", "Beacon Hill Books", "Cedar Lane Cabinets",
]  # fmt: skip
TITLES = [
    "Operations Manager", "Senior Operations Manager", "Business Operations Manager",
    "Operations Program Manager", "Logistics Manager", "Supply Chain Manager",
    "Fulfillment Operations Manager", "Operations Lead", "Process Improvement Manager",
    "Facilities Operations Manager", "Warehouse Operations Manager",
]  # fmt: skip
LOCATIONS = [
    "Chicago, IL", "Chicago, IL", "Evanston, IL", "Naperville, IL", "Oak Brook, IL",
    "Schaumburg, IL", "Milwaukee, WI", "Remote (US)",
]  # fmt: skip
SOURCES = [Source.JOB_BOARD] * 5 + [Source.DIRECT] * 3 + [Source.NETWORK, Source.RECRUITER]

# name, title, organization, relationship, how we met
PEOPLE = [
    ("Priya Raman", "Director of Operations", "Northwind Logistics", "hiring_manager", ""),
    ("Marcus Bell", "VP, Operations", "Lakeshore Health Partners", "hiring_manager", ""),
    ("Aisha Karim", "Clinical Operations Lead", "Lakeshore Health Partners", "interviewer", ""),
    ("Elena Sorokina", "Talent Acquisition Partner", "Cobalt Ridge Foods", "recruiter", ""),
    ("Tom Okafor", "Operations Manager", "Harbor & Pine Home Goods", "hiring_manager",
     "Found him as the hiring manager on the posting"),
    ("Rachel Kim", "Director, Distribution", "Meridian Medical Supply", "hiring_manager",
     "Introduced by Sam Patel"),
    ("Owen Brooks", "Warehouse Lead", "Meridian Medical Supply", "interviewer", ""),
    ("Ben Schultz", "Plant Operations Director", "Quarry Lane Manufacturing", "hiring_manager", ""),
    ("Victor Mendes", "Head of Fulfillment", "Fulton Street Bakery Co.", "hiring_manager", ""),
    ("Hannah Cole", "HR Business Partner", "Fulton Street Bakery Co.", "recruiter", ""),
    ("Kim Nguyen", "Senior Recruiter", "Brightpath Talent Partners", "recruiter",
     "Reached out after the Midwest Supply Chain Association mixer"),
    ("Dana Whitfield", "Programs Chair", "Midwest Supply Chain Association",
     "association_member", "Chapter meeting in the fall"),
    ("Luis Ortega", "Member, Operations Council", "Chicago Operations Leadership Forum",
     "association_member", "Sat together at the lean-warehousing breakfast"),
    ("Grace Liu", "Former Director of Operations", "Greystone Distribution", "mentor",
     "My manager at Greystone for four years"),
    ("Sam Patel", "Field Operations Manager", "Prairie Wind Energy", "colleague",
     "Worked together at Greystone"),
    ("Nora Fitzgerald", "Operations Analyst", "Greystone Distribution", "colleague",
     "Ran the second-shift metrics with me"),
]  # fmt: skip

TOMORROW_PREP = """Panel: Rachel Kim (hiring manager), Owen Brooks (warehouse lead), and someone
from finance.

Their requirements, my stories:
- Multi-site distribution: the three-site consolidation at Greystone (carrier spend down 14%).
- Team leadership: rebuilt second shift, turnover from 38% to 17% in a year.
- Vendor management: renegotiated the 3PL contract, $410k a year saved.

Questions to ask:
- What does success look like at 90 days?
- Where are the bottlenecks between receiving and pick/pack?

Bring four printed résumés and the one-page project summary."""


@transaction.atomic
def seed_demo() -> bool:
    """Creates the demo accounts and search; False when the demo member already exists."""
    if User.objects.filter(email=MEMBER_EMAIL).exists():
        return False
    coach = _ensure_account(COACH_EMAIL, COACH_PASSWORD, "Robin Hale", roles=[Role.COACH])
    _ensure_account(EDITOR_EMAIL, EDITOR_PASSWORD, "Casey Editor", roles=[Role.EDITOR])
    _ensure_account(
        ADMINISTRATOR_EMAIL, ADMINISTRATOR_PASSWORD, "Morgan Admin", roles=[Role.ADMINISTRATOR]
    )
    member = _ensure_account(MEMBER_EMAIL, MEMBER_PASSWORD, "Jordan Avery")
    member.time_zone = MEMBER_TIME_ZONE
    member.save(update_fields=["time_zone"])
    DemoSearch(member=member, rng=random.Random(2026)).build()
    _run_optional_seeders(staff=coach, member=member)
    return True


def _ensure_account(
    email: str, password: str, display_name: str, *, roles: list[Role] | None = None
) -> User:
    """An existing account with this address is used as it is: its password and roles are
    never changed. A new one gets these roles and nothing more (nobody is a superuser)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, display_name=display_name)
        if roles:
            set_roles(user=user, roles=roles, by=None)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def demo_accounts() -> QuerySet[User]:
    """The published demo logins present in the database (a deploy check warns of them)."""
    return User.objects.filter(email__in=[email for _, email, _ in DEMO_LOGINS])


def _run_optional_seeders(**accounts: User) -> None:
    for app in OPTIONAL_SEEDERS:
        name = f"careertips.{app}.demo"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            # No such app or no demo module: fine. A broken import inside one must surface.
            if not error.name or not name.startswith(error.name):
                raise
            continue
        seed = getattr(module, "seed", None)
        if seed is None:
            continue
        params = inspect.signature(seed).parameters
        takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        seed(**{k: v for k, v in accounts.items() if takes_any or k in params})


class DemoSearch:
    """Jordan Avery, an operations manager laid off ten weeks ago, and the search since."""

    def __init__(self, *, member: User, rng: random.Random) -> None:
        self.member = member
        self.rng = rng
        self.tz = zoneinfo.ZoneInfo(member.time_zone)
        self.now = timezone.now()
        self.today = self.now.astimezone(self.tz).date()
        self.orgs: dict[str, Organization] = {}
        self.people: dict[str, Contact] = {}

    def build(self) -> None:
        self.add_network()
        self.add_interviewing()
        self.add_offer_and_screens()
        self.add_rejections()
        self.add_waiting_and_ghosted()
        self.add_saved()

    # --- helpers -------------------------------------------------------------------------

    def at(self, days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
        """A moment `days` from today (negative: in the past) at a local wall-clock time."""
        moment = dt.datetime.combine(
            self.today + dt.timedelta(days=days), dt.time(hour, minute), tzinfo=self.tz
        )
        return min(moment, self.now - dt.timedelta(minutes=5)) if days <= 0 else moment

    def org(self, name: str, kind: str = Organization.Kind.EMPLOYER) -> Organization:
        if name not in self.orgs:
            self.orgs[name] = Organization.objects.create(owner=self.member, name=name, kind=kind)
        return self.orgs[name]

    def apply(self, employer: str, title: str, days_ago: int, **fields: Any) -> Opportunity:
        applied = self.at(-days_ago, self.rng.randint(8, 20))
        location = fields.pop("location", self.rng.choice(LOCATIONS))
        low = self.rng.randrange(80, 120) * 1000
        fields.setdefault("pay_min", low)
        fields.setdefault("pay_max", low + self.rng.choice([10, 15, 20, 25]) * 1000)
        return create_opportunity(
            owner=self.member,
            organization=self.org(employer),
            when=applied,
            title=title,
            stage=Stage.APPLIED,
            applied_on=applied.date(),
            found_on=applied.date() - dt.timedelta(days=self.rng.randint(0, 4)),
            location=location,
            work_mode=WorkMode.REMOTE if location.startswith("Remote") else WorkMode.HYBRID,
            source=fields.pop("source", self.rng.choice(SOURCES)),
            posting_url=f"https://jobs.example.com/{self.rng.randint(10000, 99999)}",
            **fields,
        )

    def move(self, opportunity: Opportunity, *path: tuple[str, int]) -> None:
        for stage, days_ago in path:
            move_opportunity(opportunity=opportunity, to_stage=stage, when=self.at(-days_ago, 15))

    def interview(
        self,
        opportunity: Opportunity,
        days: int,
        kind: str,
        *who: str,
        thanked: bool = False,
        **fields: Any,
    ) -> Interview:
        scheduled_at = self.at(days, fields.pop("hour", 10))
        interview = Interview.objects.create(
            opportunity=opportunity,
            scheduled_at=scheduled_at,
            kind=kind,
            thank_you_sent_at=scheduled_at + dt.timedelta(hours=5) if thanked else None,
            **fields,
        )
        interview.interviewers.set([self.people[name] for name in who])
        return interview

    # --- the network -----------------------------------------------------------------------

    def add_network(self) -> None:
        for name in ("Midwest Supply Chain Association", "Chicago Operations Leadership Forum"):
            self.org(name, Organization.Kind.ASSOCIATION)
        self.org("Brightpath Talent Partners", Organization.Kind.RECRUITER)
        self.org("Greystone Distribution", Organization.Kind.OTHER)
        for name, title, org, relationship, how in PEOPLE:
            self.people[name] = Contact.objects.create(
                owner=self.member,
                name=name,
                title=title,
                organization=self.org(org),
                relationship=relationship,
                how_we_met=how,
                email=f"{name.split()[0].lower()}.{name.split()[-1].lower()}@example.com",
            )
        self.touch("Grace Liu", 0, "Monthly coffee: ask how to counter the Fulton Street offer")
        self.touch("Kim Nguyen", -2, "Send the updated résumé with the 3PL savings figure")
        self.touch("Dana Whitfield", 9, "Chapter meeting: offer to help on the programs committee")

    def touch(self, name: str, days: int, note: str) -> None:
        contact = self.people[name]
        contact.next_touch_on = self.today + dt.timedelta(days=days)
        contact.next_touch_note = note
        contact.save(update_fields=["next_touch_on", "next_touch_note"])

    # --- the story opportunities ---------------------------------------------------------

    def add_interviewing(self) -> None:
        meridian = self.apply(
            "Meridian Medical Supply", "Operations Manager, Distribution", 24,
            source=Source.REFERRAL, hiring_manager=self.people["Rachel Kim"],
            notes="Sam Patel referred me; Rachel wants someone who has run multi-site operations.",
        )  # fmt: skip
        self.move(meridian, (Stage.SCREENING, 17), (Stage.INTERVIEWING, 10))
        self.interview(meridian, -17, Interview.Kind.PHONE, "Rachel Kim", duration_minutes=30)
        self.interview(meridian, -9, Interview.Kind.VIDEO, "Rachel Kim", thanked=True)
        self.interview(
            meridian, 1, Interview.Kind.PANEL, "Rachel Kim", "Owen Brooks",
            duration_minutes=90, prep_notes=TOMORROW_PREP,
        )  # fmt: skip
        quarry = self.apply(
            "Quarry Lane Manufacturing", "Senior Operations Manager", 30,
            hiring_manager=self.people["Ben Schultz"],
        )  # fmt: skip
        self.move(quarry, (Stage.SCREENING, 22), (Stage.INTERVIEWING, 15))
        self.interview(quarry, -14, Interview.Kind.VIDEO, "Ben Schultz", thanked=True)
        self.interview(
            quarry, 5, Interview.Kind.ONSITE, "Ben Schultz", hour=13, duration_minutes=180
        )
        prairie = self.apply(
            "Prairie Wind Energy", "Program Manager, Field Operations", 12,
            source=Source.REFERRAL, notes="Sam Patel passed my résumé straight to the team.",
        )  # fmt: skip
        self.move(prairie, (Stage.INTERVIEWING, 6))
        self.interview(prairie, -3, Interview.Kind.PHONE, thanked=True)

    def add_offer_and_screens(self) -> None:
        fulton = self.apply(
            "Fulton Street Bakery Co.", "Director of Fulfillment Operations", 45,
            pay_min=115_000, pay_max=130_000, hiring_manager=self.people["Victor Mendes"],
            notes="Offer: $122,000 base, 10% bonus target, start in three weeks. Decision due "
            "Friday. Plan: counter at $128,000, citing the three-site consolidation.",
        )  # fmt: skip
        self.move(fulton, (Stage.SCREENING, 38), (Stage.INTERVIEWING, 32), (Stage.OFFER, 4))
        self.interview(fulton, -31, Interview.Kind.VIDEO, "Hannah Cole", thanked=True)
        self.interview(fulton, -20, Interview.Kind.ONSITE, "Victor Mendes", thanked=True)
        create_offer(
            opportunity=fulton, received_on=self.today - dt.timedelta(days=4), currency="USD",
            base_salary=122_000, bonus_kind=BonusKind.PERCENT, bonus_percent=Decimal(10),
            start_date=self.today + dt.timedelta(days=21),
            decision_deadline=self.today + dt.timedelta(days=2),
            benefits="Health, dental, 401(k) match of 4%, 20 days off.",
        )  # fmt: skip
        evergreen = self.apply(
            "Evergreen Parcel Co.", "Logistics Operations Manager", 9, source=Source.RECRUITER,
            notes="Kim Nguyen at Brightpath put me forward.",
        )  # fmt: skip
        self.move(evergreen, (Stage.SCREENING, 3))
        self.interview(
            evergreen, 2, Interview.Kind.PHONE, "Kim Nguyen", hour=11, duration_minutes=30
        )
        stonebridge = self.apply("Stonebridge Credit Union", "Business Operations Manager", 14)
        self.move(stonebridge, (Stage.SCREENING, 5))
        tidewater = self.apply("Tidewater Freight", "Operations Manager", 40)
        self.move(tidewater, (Stage.SCREENING, 33))
        move_opportunity(
            opportunity=tidewater, to_stage=Stage.WITHDRAWN, when=self.at(-30, 12),
            note="The role requires relocating to Savannah.",
        )  # fmt: skip

    def add_rejections(self) -> None:
        self.closed_debrief()
        self.debrief_with_feedback()
        self.debrief_thanked()
        voicemail = self.apply(
            "Harbor & Pine Home Goods", "Fulfillment Operations Manager", 18,
            hiring_manager=self.people["Tom Okafor"],
        )  # fmt: skip
        self.move(voicemail, (Stage.TURNED_DOWN, 3))
        debriefs.log_attempt(
            debrief=Debrief.objects.get(opportunity=voicemail),
            channel=CallAttempt.Channel.PHONE,
            outcome=CallAttempt.Outcome.LEFT_MESSAGE,
            note="Voicemail: thanked him and asked for ten minutes of feedback.",
            when=self.at(-2, 9, 30),
        )
        fresh = self.apply("Brookfield Outfitters", "Operations Manager, E-commerce", 16)
        self.move(fresh, (Stage.TURNED_DOWN, 1))
        automated = self.apply("Lumen Data Centers", "Site Operations Manager", 50)
        self.move(automated, (Stage.TURNED_DOWN, 36))
        debriefs.dismiss_debrief(
            debrief=Debrief.objects.get(opportunity=automated),
            reason="Automated rejection from the applicant system; nobody named to call.",
        )

    def closed_debrief(self) -> None:
        northwind = self.apply(
            "Northwind Logistics",
            "Operations Manager",
            62,
            hiring_manager=self.people["Priya Raman"],
        )
        self.move(
            northwind, (Stage.SCREENING, 55), (Stage.INTERVIEWING, 48), (Stage.TURNED_DOWN, 30)
        )
        self.interview(northwind, -47, Interview.Kind.VIDEO, "Priya Raman")
        self.interview(northwind, -40, Interview.Kind.PANEL, "Priya Raman", duration_minutes=120)
        debrief = Debrief.objects.get(opportunity=northwind)
        self.reached(debrief, -28, "Strong on process improvement. The other finalist had run "
                     "a WMS migration end to end, and my peak-season story lacked numbers.",
                     [(Theme.STRONGER_CANDIDATE, "WMS migration"),
                      (Theme.STORY_NOT_STRONG, "2023 peak season")])  # fmt: skip
        for action in debrief.actions.all():
            debriefs.complete_action(action=action)
        self.thank(debrief, -27)
        debriefs.close_debrief(
            debrief=debrief,
            next_touch_on=self.today + dt.timedelta(days=12),
            meet_at=self.orgs["Midwest Supply Chain Association"],
            note="Say hello at the chapter meeting; she is presenting on warehouse automation.",
            today=self.today,
        )

    def debrief_with_feedback(self) -> None:
        lakeshore = self.apply(
            "Lakeshore Health Partners", "Operations Program Manager", 35,
            hiring_manager=self.people["Marcus Bell"],
        )  # fmt: skip
        self.move(
            lakeshore, (Stage.SCREENING, 28), (Stage.INTERVIEWING, 21), (Stage.TURNED_DOWN, 8)
        )
        self.interview(lakeshore, -20, Interview.Kind.VIDEO, "Marcus Bell", "Aisha Karim")
        self.interview(lakeshore, -14, Interview.Kind.ONSITE, "Marcus Bell", duration_minutes=150)
        debrief = Debrief.objects.get(opportunity=lakeshore)
        debriefs.log_attempt(
            debrief=debrief, channel=CallAttempt.Channel.PHONE,
            outcome=CallAttempt.Outcome.NO_ANSWER, when=self.at(-7, 11),
        )  # fmt: skip
        self.reached(debrief, -6, "They liked my operations depth but worried about healthcare "
                     "compliance. The vendor-consolidation answer ran long and never reached "
                     "the savings.",
                     [(Theme.EXPERIENCE_GAP, "healthcare compliance"),
                      (Theme.STORY_NOT_STRONG, "vendor consolidation savings"),
                      (Theme.INTERVIEW_PRESENCE, "keeping answers under two minutes")])  # fmt: skip

    def debrief_thanked(self) -> None:
        cobalt = self.apply(
            "Cobalt Ridge Foods", "Supply Chain Operations Lead", 26,
            hiring_manager=self.people["Elena Sorokina"],
        )  # fmt: skip
        self.move(cobalt, (Stage.SCREENING, 19), (Stage.TURNED_DOWN, 6))
        self.interview(cobalt, -18, Interview.Kind.PHONE, "Elena Sorokina", duration_minutes=30)
        debrief = Debrief.objects.get(opportunity=cobalt)
        self.reached(debrief, -5, "They chose an internal candidate who has run the plant's "
                     "scheduling for two years. Elena offered to flag me for the next opening.",
                     [(Theme.STRONGER_CANDIDATE, "internal candidate")])  # fmt: skip
        self.thank(debrief, -4)

    def reached(
        self, debrief: Debrief, days: int, feedback: str, themes: list[tuple[str, str]]
    ) -> None:
        when = self.at(days, 14)
        debriefs.log_attempt(
            debrief=debrief, channel=CallAttempt.Channel.PHONE,
            outcome=CallAttempt.Outcome.REACHED, when=when,
        )  # fmt: skip
        debriefs.record_feedback(debrief=debrief, feedback=feedback, themes=themes, when=when)

    def thank(self, debrief: Debrief, days: int) -> None:
        debrief.refresh_from_db()
        subject, body = debrief.thank_you_subject, debrief.thank_you_body
        if not body.strip():
            subject, body = debriefs.draft_thank_you(debrief=debrief)
        debriefs.send_thank_you(
            debrief=debrief, subject=subject, body=body, channel="copied", when=self.at(days, 17)
        )

    # --- the long tail ---------------------------------------------------------------------

    def add_waiting_and_ghosted(self) -> None:
        employers = self.rng.sample(EMPLOYERS, 32)
        for index, employer in enumerate(employers):
            ghosted = index < 17
            days_ago = self.rng.randint(25, 70) if ghosted else self.rng.randint(1, 20)
            opportunity = self.apply(employer, self.rng.choice(TITLES), days_ago)
            follow_up = days_ago - self.rng.randint(7, 10)
            if days_ago >= 10 and (ghosted or self.rng.random() < 0.5):
                record_follow_up(
                    opportunity=opportunity, on=self.today - dt.timedelta(days=follow_up)
                )
            if ghosted:
                silent_for = min(days_ago - 1, self.rng.randint(21, 28))
                move_opportunity(
                    opportunity=opportunity, to_stage=Stage.NO_RESPONSE,
                    note="No reply after three weeks and a follow-up.",
                    when=self.at(-(days_ago - silent_for), 18),
                )  # fmt: skip

    def add_saved(self) -> None:
        for employer, title, days_ago in [
            ("Harborview Hospital System", "Director of Support Services", 2),
            ("Greenline Rail Partners", "Operations Manager, Yard Services", 3),
            ("Oakline Furniture", "Distribution Center Manager", 5),
            ("Pioneer Paper & Pulp", "Continuous Improvement Manager", 6),
        ]:
            create_opportunity(
                owner=self.member,
                organization=self.org(employer),
                when=self.at(-days_ago, 20),
                title=title,
                found_on=self.today - dt.timedelta(days=days_ago),
                location=self.rng.choice(LOCATIONS),
            )
