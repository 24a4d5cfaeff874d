"""Demo pipeline: Jordan Avery, an operations manager laid off ten weeks ago, and the search
since.

The search follows published funnel numbers (roughly 45 applications, 8 screens, 5 interview
processes, 1 offer, many applications that never hear back) so every screen has something
realistic to show. It builds on the demo network (hiring managers, recruiters, associations).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from careertips.core.demo import DemoClock
from careertips.core.models import User
from careertips.network.models import Contact, Organization
from careertips.pipeline.models import Interview, Opportunity, Source, Stage, WorkMode
from careertips.pipeline.services import create_opportunity, move_opportunity, record_follow_up

SEED_AFTER = ("network",)

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


def seed(*, member: User) -> None:
    DemoSearch(member=member, rng=random.Random(2026)).build()  # noqa: S311 -- repeatable


class DemoSearch:
    """The member's opportunities, interviews and offer; the debriefs are the debriefs' part."""

    def __init__(self, *, member: User, rng: random.Random) -> None:
        self.member = member
        self.rng = rng
        self.clock = DemoClock(member)
        self.today = self.clock.today
        self.at = self.clock.at
        self.orgs = {org.name: org for org in Organization.objects.filter(owner=member)}
        self.people = {person.name: person for person in Contact.objects.filter(owner=member)}

    def build(self) -> None:
        self.add_interviewing()
        self.add_offer_and_screens()
        self.add_rejections()
        self.add_waiting_and_ghosted()
        self.add_saved()

    # --- helpers -------------------------------------------------------------------------

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

    # --- the story opportunities ---------------------------------------------------------

    def add_interviewing(self) -> None:
        meridian = self.apply(
            "Meridian Medical Supply", "Operations Manager, Distribution", 24,
            source=Source.REFERRAL, hiring_manager=self.people["Rachel Kim"],
            referred_by=self.people["Sam Patel"],
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
            source=Source.REFERRAL, referred_by=self.people["Sam Patel"],
            notes="Sam Patel passed my résumé straight to the team.",
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
        """Turned down: the debriefs these open are taken further by the debriefs' demo."""
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
        lakeshore = self.apply(
            "Lakeshore Health Partners", "Operations Program Manager", 35,
            hiring_manager=self.people["Marcus Bell"],
        )  # fmt: skip
        self.move(
            lakeshore, (Stage.SCREENING, 28), (Stage.INTERVIEWING, 21), (Stage.TURNED_DOWN, 8)
        )
        self.interview(lakeshore, -20, Interview.Kind.VIDEO, "Marcus Bell", "Aisha Karim")
        self.interview(lakeshore, -14, Interview.Kind.ONSITE, "Marcus Bell", duration_minutes=150)
        cobalt = self.apply(
            "Cobalt Ridge Foods", "Supply Chain Operations Lead", 26,
            hiring_manager=self.people["Elena Sorokina"],
        )  # fmt: skip
        self.move(cobalt, (Stage.SCREENING, 19), (Stage.TURNED_DOWN, 6))
        self.interview(cobalt, -18, Interview.Kind.PHONE, "Elena Sorokina", duration_minutes=30)
        voicemail = self.apply(
            "Harbor & Pine Home Goods", "Fulfillment Operations Manager", 18,
            hiring_manager=self.people["Tom Okafor"],
        )  # fmt: skip
        self.move(voicemail, (Stage.TURNED_DOWN, 3))
        fresh = self.apply("Brookfield Outfitters", "Operations Manager, E-commerce", 16)
        self.move(fresh, (Stage.TURNED_DOWN, 1))
        automated = self.apply("Lumen Data Centers", "Site Operations Manager", 50)
        self.move(automated, (Stage.TURNED_DOWN, 36))

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
