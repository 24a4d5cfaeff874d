"""The people a member may see again at an event: those they expect there, and those they know
through its host organization, warmest first."""

from __future__ import annotations

from django.db.models import Case, F, Q, When

from careertips.agenda.services import ranked
from careertips.core.models import User
from careertips.network.models import Contact, Event

PEOPLE_PER_EVENT = 8

# The warmest few people of each host organization, in one query.
WARMEST = (
    "SELECT via, name FROM ("
    "SELECT base.via, base.name, ROW_NUMBER() OVER (PARTITION BY base.via "
    "ORDER BY base.warmth DESC, base.name) AS via_rank FROM ({rows}) base"
    ") ranked WHERE via_rank <= %s ORDER BY via, via_rank"
)


def people_met_through(owner: User, organization_ids: set[int]) -> dict[int, list[str]]:
    """Contacts to see again through each host organization: those the member means to meet
    there (e.g. a hiring manager kept after a debrief) and the people who work there."""
    if not organization_ids:
        return {}
    via = Case(
        When(meet_at_id__in=organization_ids, then=F("meet_at_id")),
        default=F("organization_id"),
    )
    rows = (
        Contact.objects.owned_by(owner)
        .filter(Q(meet_at_id__in=organization_ids) | Q(organization_id__in=organization_ids))
        .annotate(via=via)
        .order_by()
        .values_list("via", "name", "warmth")
    )
    people: dict[int, list[str]] = {}
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    for org_id, name in ranked.run(WARMEST, sql, params, PEOPLE_PER_EVENT, bounds=()):
        people.setdefault(org_id, []).append(name)
    return people


def people_at(event: Event, met_through: dict[int, list[str]]) -> list[str]:
    names = [a.contact.name for a in getattr(event, "expected", [])]
    names += met_through.get(event.organization_id, []) if event.organization_id else []
    return list(dict.fromkeys(names))[:PEOPLE_PER_EVENT]
