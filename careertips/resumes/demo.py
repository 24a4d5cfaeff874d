"""Demo résumé material for the demo member: a profile, three positions, a degree and a
certification, and stories from the bank placed under the positions with their bullets."""

from __future__ import annotations

import datetime as dt

from careertips.core.models import User
from careertips.resumes import services
from careertips.resumes.models import Credential, Profile
from careertips.stories.services import create_story

# Positions join the employers the network's demo already has.
SEED_AFTER = ("network", "pipeline")
PROFILE = {
    "name": "Jordan Avery",
    "headline": "Operations manager: distribution, fulfilment and process improvement",
    "contact": "demo@careertips.local\n(312) 555-0147",
    "links": "linkedin.com/in/jordan-avery-ops",
    "location": "Chicago, IL",
    "summary": (
        "Operations manager with twelve years in distribution and fulfilment. "
        "I run lean, measured operations and build teams that keep improving them. "
        "Known for cutting cost without cutting service."
    ),
    "skills": "Lean / Six Sigma\nWarehouse management systems\nBudget ownership\n"
    "Vendor negotiation\nHiring and coaching\nKPI dashboards\nSafety programs",
}
# (employer, title, start, end, location, [(title, challenge, action, result, strength)])
POSITIONS = [
    ("Lakeshore Distribution", "Operations Manager", dt.date(2019, 3, 1), dt.date(2026, 8, 31),
     "Chicago, IL", [
        ("Cut pick errors by two thirds", "Pick errors were costing key accounts.",
         "I introduced scan-to-confirm picking and retrained three shifts.",
         "Pick errors fell 68% in four months and two at-risk accounts renewed.", 5),
        ("Consolidated freight vendors", "Five carriers, rising rates, no leverage.",
         "I ran a carrier bid and moved 80% of volume to two partners.",
         "Saved $1.1M a year in freight with on-time delivery up to 97%.", 4),
        ("Built the peak-season staffing plan", "Peak overtime was burning out the team.",
         "I built a demand forecast and hired a flexible seasonal pool.",
         "Overtime fell 35% at peak and every order shipped on time.", 4),
    ]),
    ("Maple Crest Foods", "Warehouse Supervisor", dt.date(2014, 6, 1), dt.date(2019, 2, 28),
     "Oak Brook, IL", [
        ("Launched the safety program", "Recordable injuries were above industry rates.",
         "I started daily safety huddles and a near-miss log owned by the floor.",
         "Recordable injuries fell 52% in a year; 400 days without a lost-time incident.", 4),
        ("Re-slotted the warehouse", "Travel time dominated every pick path.",
         "I re-slotted 3,000 SKUs by velocity using WMS data.",
         "Picks per hour rose 22% with no new equipment.", 3),
    ]),
    ("Cardinal Freight Systems", "Logistics Coordinator", dt.date(2011, 9, 1),
     dt.date(2014, 5, 31), "Chicago, IL", [
        ("Automated the daily dispatch report", "Dispatch spent two hours a day on a report.",
         "I built a spreadsheet model fed by the TMS export.",
         "Saved ten hours a week and caught late loads a day earlier.", 3),
    ]),
]  # fmt: skip


def seed(*, member: User) -> None:
    if Profile.objects.filter(owner=member).exists():
        return
    Profile.objects.create(owner=member, **PROFILE)
    for employer, title, start, end, location, stories in POSITIONS:
        position = services.create_position(
            owner=member, employer=employer, title=title, started_on=start, ended_on=end,
            location=location,
        )  # fmt: skip
        for story_title, challenge, action, result, strength in stories:
            story = create_story(
                owner=member, title=story_title, challenge=challenge, action=action,
                result=result, organization_name=employer, role=title, year=end.year,
                strength=strength,
            )  # fmt: skip
            text = services.suggested_bullet(story)
            services.save_bullet(story=story, text=text, position=position)
    Credential.objects.create(
        owner=member, title="B.S. Industrial Engineering", institution="Purdue University",
        year=2011,
    )  # fmt: skip
    Credential.objects.create(
        owner=member, kind=Credential.Kind.CERTIFICATION, title="Lean Six Sigma Green Belt",
        institution="ASQ", year=2017,
    )  # fmt: skip
