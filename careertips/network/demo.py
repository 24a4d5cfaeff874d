"""Demo network: the member's organizations and people, and who is due a touch."""

from __future__ import annotations

import datetime as dt

from careertips.core.demo import DemoClock
from careertips.core.models import User
from careertips.network.models import Contact, Organization

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


def seed(*, member: User) -> None:
    clock = DemoClock(member)
    orgs: dict[str, Organization] = {}

    def org(name: str, kind: str = Organization.Kind.EMPLOYER) -> Organization:
        if name not in orgs:
            orgs[name] = Organization.objects.create(owner=member, name=name, kind=kind)
        return orgs[name]

    for name in ("Midwest Supply Chain Association", "Chicago Operations Leadership Forum"):
        org(name, Organization.Kind.ASSOCIATION)
    org("Brightpath Talent Partners", Organization.Kind.RECRUITER)
    org("Greystone Distribution", Organization.Kind.OTHER)
    people = {}
    for name, title, at, relationship, how in PEOPLE:
        people[name] = Contact.objects.create(
            owner=member,
            name=name,
            title=title,
            organization=org(at),
            relationship=relationship,
            how_we_met=how,
            email=f"{name.split()[0].lower()}.{name.split()[-1].lower()}@example.com",
        )
    for name, days, note in TOUCHES:
        contact = people[name]
        contact.next_touch_on = clock.today + dt.timedelta(days=days)
        contact.next_touch_note = note
        contact.save(update_fields=["next_touch_on", "next_touch_note"])


TOUCHES = [
    ("Grace Liu", 0, "Monthly coffee: ask how to counter the Fulton Street offer"),
    ("Kim Nguyen", -2, "Send the updated résumé with the 3PL savings figure"),
    ("Dana Whitfield", 9, "Chapter meeting: offer to help on the programs committee"),
]
