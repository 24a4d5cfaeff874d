"""The people a member may see again at an event: those they expect there, and those they know
through its host organization, warmest first."""

from __future__ import annotations

from django.db.models import Case, F, Q, When

from careertips.agenda.services import ranked
from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.network.models import Contact, Event

PEOPLE_PER_EVENT = 8

# The warmest few people of each host organization, in one query.
WARMEST = (
    "SELECT via, name FROM ("
    "SELECT base.via, base.name, ROW_NUMBER() OVER (PARTITION BY base.via "
    "ORDER BY base.warmth DESC, base.name) AS via_rank FROM ({rows}) base"
    ") ranked WHERE via_rank <= %s ORDER BY via, via_rank"
)


# Compiled once per number of organizations (core/prepared.py): a page asks about a few.
_MET_THROUGH = Prepared(
    lambda owner, orgs: (
        Contact.objects.filter(owner_id=owner)
        .filter(Q(meet_at_id__in=orgs) | Q(organization_id__in=orgs))
        .annotate(
            via=Case(When(meet_at_id__in=orgs, then=F("meet_at_id")), default=F("organization_id"))
        )
        .order_by()
        .values_list("via", "name", "warmth")
    ),
    owner=int,
    orgs=list,
)


def people_met_through(owner: User, organization_ids: set[int]) -> dict[int, list[str]]:
    """Contacts to see again through each host organization: those the member means to meet
    there (e.g. a hiring manager kept after a debrief) and the people who work there."""
    if not organization_ids:
        return {}
    sql, params = _MET_THROUGH.statement(owner=owner.pk, orgs=sorted(organization_ids))
    people: dict[int, list[str]] = {}
    for org_id, name in ranked.run(
        ranked.Statement(WARMEST, sql, params, PEOPLE_PER_EVENT, bounds=())
    ):
        people.setdefault(org_id, []).append(name)
    return people


def people_named(expected: list[str], met: list[str]) -> list[str]:
    """Those expected at an event first, then those met through its host, each once."""
    return list(dict.fromkeys([*expected, *met]))[:PEOPLE_PER_EVENT]


def people_at(event: Event, met_through: dict[int, list[str]]) -> list[str]:
    expected = [a.contact.name for a in getattr(event, "expected", [])]
    return people_named(
        expected, met_through.get(event.organization_id, []) if event.organization_id else []
    )
