"""The network: contacts, organizations, events, touchpoints, duplicates and merges."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, ProtectedError, Q, Subquery, Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateformat import format as format_date

from careertips.core.access import member_or_none, owned_or_404
from careertips.core.prepared import Prepared
from careertips.network.models import (
    Contact,
    Event,
    EventAttendance,
    ImportBatch,
    Organization,
    Tag,
    Touchpoint,
)

MAX_TAGS = 20
# The touchpoint form's menu of opportunities; older ones are linked from their own page.
MAX_OPPORTUNITY_CHOICES = 100
TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length or 50


# --- permission helpers -------------------------------------------------------------------


def get_contact_for(user: Any, pk: int) -> Contact:
    return owned_or_404(
        Contact.objects.owned_by(user).select_related("organization", "meet_at"), pk, "contact"
    )


def get_organization_for(user: Any, pk: int) -> Organization:
    return owned_or_404(Organization.objects.owned_by(user), pk, "organization")


def get_event_for(user: Any, pk: int) -> Event:
    return owned_or_404(Event.objects.owned_by(user).select_related("organization"), pk, "event")


def get_attendance_for(user: Any, pk: int) -> EventAttendance:
    rows = EventAttendance.objects.filter(event__owner=member_or_none(user))
    return owned_or_404(rows.select_related("event", "contact"), pk, "attendee")


def get_touchpoint_for(user: Any, pk: int) -> Touchpoint:
    return owned_or_404(
        Touchpoint.objects.owned_by(user).select_related("contact"), pk, "touchpoint"
    )


def get_import_batch_for(user: Any, pk: int, *, rows: bool = True) -> ImportBatch:
    """`rows=False` leaves out the parsed file (megabytes for a large import) when only the
    batch's status and counts are wanted."""
    batches = ImportBatch.objects.owned_by(user)
    return owned_or_404(batches if rows else batches.defer("rows"), pk, "import")


# --- contacts and organizations ---------------------------------------------------------------


def parse_tags(text: str) -> list[str]:
    """ "ops, ASQ,ops " -> ["ops", "ASQ"]; checks count and length for forms and imports."""
    names: dict[str, str] = {}
    for raw in (text or "").split(","):
        name = " ".join(raw.split())
        if name:
            names.setdefault(name.casefold(), name)
    tags = list(names.values())
    if len(tags) > MAX_TAGS:
        raise ValidationError(f"Use at most {MAX_TAGS} tags.")
    if too_long := [t for t in tags if len(t) > TAG_MAX_LENGTH]:
        raise ValidationError(f"Tags are at most {TAG_MAX_LENGTH} characters: {too_long[0]}")
    return tags


def tags_named(*, owner: Any, names: Iterable[str]) -> list[Tag]:
    """The member's tags with these names, creating the missing ones."""
    wanted = {n.casefold(): n for n in names}
    if not wanted:
        return []
    existing = {t.name.casefold(): t for t in Tag.objects.owned_by(owner)}
    missing = [Tag(owner=owner, name=n) for key, n in wanted.items() if key not in existing]
    if missing:
        # ignore_conflicts: a tag created meanwhile in another tab is simply reused; it also
        # leaves primary keys unset, so the tags are read back.
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name.casefold(): t for t in Tag.objects.owned_by(owner)}
    return [existing[key] for key in wanted]


CONTACT_FIELDS = [
    "name", "title", "organization", "email", "phone", "profile_url", "relationship", "warmth",
    "how_we_met", "next_touch_on", "next_touch_note", "cadence_days", "meet_at", "notes",
]  # fmt: skip
ORGANIZATION_FIELDS = ["name", "kind", "website", "notes"]
EVENT_FIELDS = ["name", "kind", "starts_at", "ends_at", "place", "organization", "url", "notes"]


def _save(instance: models.Model, fields: list[str]) -> None:
    instance.full_clean()
    if instance._state.adding:
        instance.save()
    else:
        instance.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def save_contact(
    *, contact: Contact, tags: list[str] | None = None, new_organization: str = ""
) -> Contact:
    """Saves a new or edited contact (fields set by the form), its tags and a new employer."""
    if new_organization.strip():
        contact.organization = organization_named(owner=contact.owner, name=new_organization)
    _save(contact, CONTACT_FIELDS)
    if tags is not None:
        contact.tags.set(tags_named(owner=contact.owner, names=tags))
    return contact


@transaction.atomic
def add_contact(
    *,
    owner: Any,
    name: str,
    email: str = "",
    title: str = "",
    organization: Organization | None = None,
    relationship: str = Contact.Relationship.OTHER,
) -> Contact:
    """A contact typed in passing (on an opportunity, say): a name and what else is known."""
    if organization is not None and organization.owner_id != owner.pk:
        raise ValidationError({"organization": "Choose one of your organizations."})
    contact = Contact(
        owner=owner,
        name=" ".join(name.split()),
        email=email.strip(),
        title=" ".join(title.split()),
        organization=organization,
        relationship=relationship,
    )
    return save_contact(contact=contact)


@transaction.atomic
def delete_contact(*, contact: Contact) -> None:
    contact.delete()


@transaction.atomic
def save_organization(*, organization: Organization) -> Organization:
    organization.name = " ".join(organization.name.split())
    _save(organization, ORGANIZATION_FIELDS)
    return organization


@transaction.atomic
def save_event(*, event: Event) -> Event:
    _save(event, EVENT_FIELDS)
    return event


@transaction.atomic
def delete_event(*, event: Event) -> None:
    event.delete()


# Names compared as the unique constraint compares them: one step down its index, where a
# case-insensitive LIKE read every organization of the member. Compiled once per process
# (core.prepared): an API write that names its employer looks it up on every call.
_NAMED = Prepared(
    lambda owner, name: (
        Organization.objects.filter(owner_id=owner)
        .alias(lowered=Lower("name"))
        .filter(lowered=Lower(Value(name)))
        .order_by()[:1]
    ),
    owner=int,
    name=str,
)


def organization_named(*, owner: Any, name: str, kind: str = "") -> Organization:
    """The member's organization with this name (any case), created if missing."""
    name = " ".join(name.split())[:200]
    found = _NAMED.instances(owner=owner.pk, name=name)  # one at most
    if found:
        return found[0]
    return Organization.objects.create(
        owner=owner, name=name, kind=kind or Organization.Kind.EMPLOYER
    )


def organizations_named(*, owner: Any, names: Iterable[str]) -> dict[str, Organization]:
    """The member's organizations by `organization_key`, those named here created if missing;
    in a few queries however many names (imports)."""
    from careertips.network.duplicates import organization_key

    wanted: dict[str, str] = {}
    for raw in names:
        if name := " ".join(raw.split())[:200]:
            wanted.setdefault(organization_key(name), name)
    existing = {organization_key(o.name): o for o in Organization.objects.owned_by(owner)}
    missing = [Organization(owner=owner, name=n) for k, n in wanted.items() if k not in existing]
    if missing:
        Organization.objects.bulk_create(missing, batch_size=500, ignore_conflicts=True)
        existing = {organization_key(o.name): o for o in Organization.objects.owned_by(owner)}
    return existing


def contacts_named(
    *, owner: Any, people: Iterable[tuple[str, Organization | None, str]]
) -> dict[str, Contact]:
    """The member's contacts by `normalize_name`, for (name, organization, relationship)
    triples: an existing contact of the same name is reused, anyone else is added to the
    network at that organization. A few queries however many names (imports)."""
    from careertips.network.duplicates import normalize_name

    wanted: dict[str, tuple[str, Organization | None, str]] = {}
    for name, organization, relationship in people:
        if key := normalize_name(name):
            wanted.setdefault(key, (" ".join(name.split())[:200], organization, relationship))
    if not wanted:
        return {}
    existing: dict[str, Contact] = {}
    for contact in Contact.objects.owned_by(owner).only("pk", "name").order_by("pk"):
        existing.setdefault(normalize_name(contact.name), contact)
    missing = [
        Contact(owner=owner, name=name, organization=org, relationship=relationship)
        for key, (name, org, relationship) in wanted.items()
        if key not in existing
    ]
    Contact.objects.bulk_create(missing, batch_size=500)
    existing |= {normalize_name(c.name): c for c in missing}
    return {key: existing[key] for key in wanted}


@transaction.atomic
def delete_organization(*, organization: Organization) -> None:
    message = "Opportunities at this organization still exist; move or delete them first."
    if organization.opportunities.exists():  # type: ignore[attr-defined]
        raise ValidationError(message)
    try:
        organization.delete()
    except ProtectedError:  # an opportunity added there meanwhile
        raise ValidationError(message) from None


# --- touchpoints -------------------------------------------------------------------------


def _as_date(when: dt.date | dt.datetime) -> dt.date:
    if isinstance(when, dt.datetime):
        return timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
    return when


@transaction.atomic
def log_touchpoint(
    *,
    contact: Contact,
    kind: str,
    when: dt.date | dt.datetime,
    note: str = "",
    event: Event | None = None,
    opportunity: Any = None,
) -> Touchpoint:
    """Records a conversation (about an opportunity, when given) and moves the contact's next
    touch by its cadence."""
    touched_on = _as_date(when)
    if kind not in Touchpoint.Kind.values:
        raise ValidationError({"kind": "Choose how you were in touch."})
    # One day of slack: the member's "today" may be tomorrow in UTC.
    if touched_on > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationError({"happened_on": "A touchpoint cannot be in the future."})
    if event is not None and event.owner_id != contact.owner_id:
        raise ValidationError({"event": "Choose one of your events."})
    if opportunity is not None and opportunity.owner_id != contact.owner_id:
        raise ValidationError({"opportunity": "Choose one of your opportunities."})
    # Lock the contact so a double click cannot reschedule twice from stale values.
    current = Contact.objects.select_for_update().filter(pk=contact.pk).values().get()
    latest = contact.touchpoints.aggregate(latest=models.Max("happened_on"))["latest"]
    touchpoint = Touchpoint.objects.create(
        owner_id=contact.owner_id,
        contact=contact,
        kind=kind,
        happened_on=touched_on,
        note=note.strip()[:1000],
        event=event,
        opportunity=opportunity,
    )
    if event is not None:
        # A conversation there means you met them there.
        EventAttendance.objects.update_or_create(
            event=event, contact=contact, defaults={"status": EventAttendance.Status.MET}
        )
    contact.next_touch_on = current["next_touch_on"]
    contact.next_touch_note = current["next_touch_note"]
    contact.cadence_days = current["cadence_days"]
    # A touch logged for an older date is history: it must not pull the schedule back.
    if latest is None or touched_on >= latest:
        _reschedule(contact, touched_on)
    return touchpoint


def _reschedule(contact: Contact, touched_on: dt.date) -> None:
    if contact.cadence_days:
        next_touch = touched_on + dt.timedelta(days=contact.cadence_days)
    elif contact.next_touch_on is not None and contact.next_touch_on <= touched_on:
        next_touch = None  # the planned touch is done and nothing repeats
    else:
        return
    contact.next_touch_on = next_touch
    contact.next_touch_note = ""
    contact.save(update_fields=["next_touch_on", "next_touch_note", "updated_at"])


def opportunities_to_mention(*, owner: Any) -> list[tuple[int, str, str]]:
    """The open opportunities a touchpoint may be about, most recently moved first: their pk,
    title and organization's name (a menu of up to a hundred needs no model instances)."""
    if not getattr(owner, "is_authenticated", False):
        return []
    return _OPEN_TO_MENTION(owner=owner.pk)


def _open_to_mention(owner: int) -> models.QuerySet[Any]:
    from careertips.pipeline.models import Opportunity

    rows = Opportunity.objects.filter(owner_id=owner).open()
    return rows.values_list("pk", "title", "organization__name")[:MAX_OPPORTUNITY_CHOICES]


_OPEN_TO_MENTION = Prepared(_open_to_mention, owner=int)


def tag_names(*, contact: Contact) -> list[str]:
    """The contact's tags, by name."""
    return [name for (name,) in _TAG_NAMES(contact=contact.pk)]


_TAG_NAMES = Prepared(
    lambda contact: Tag.objects.filter(contacts=contact).values_list("name"), contact=int
)


@transaction.atomic
def delete_touchpoint(*, touchpoint: Touchpoint) -> None:
    touchpoint.delete()


# --- events ----------------------------------------------------------------------------


@transaction.atomic
def set_attendance(*, event: Event, contact: Contact, status: str) -> EventAttendance:
    if contact.owner_id != event.owner_id:
        raise ValidationError({"contact": "Choose one of your contacts."})
    if status not in EventAttendance.Status.values:
        raise ValidationError({"status": "Choose expected or met."})
    attendance, _ = EventAttendance.objects.update_or_create(
        event=event, contact=contact, defaults={"status": status}
    )
    return attendance


@transaction.atomic
def remove_attendance(*, attendance: EventAttendance) -> None:
    attendance.delete()


@dataclass(frozen=True)
class Reconnect:
    """Someone to look for at an event, and what you last talked about."""

    contact: Contact
    why: str  # "expected", "met" or "member"
    context: str
    last_spoke_on: dt.date | None


def reconnects_for(*, event: Event, limit: int = 50) -> list[Reconnect]:
    """People to reconnect with at an event: those expected there, and members of its host."""
    reasons = dict(event.attendances.values_list("contact_id", "status"))
    if event.organization_id:
        members = Contact.objects.filter(owner_id=event.owner_id).filter(
            Q(meet_at_id=event.organization_id) | Q(organization_id=event.organization_id)
        )
        for pk in members.values_list("pk", flat=True):
            reasons.setdefault(pk, "member")
    contacts = list(
        Contact.objects.filter(pk__in=reasons)
        .select_related("organization")
        .order_by("-warmth", "name")
    )
    debriefs = _last_closed_debriefs(owner_id=event.owner_id, contact_ids=list(reasons))
    touches = _last_touchpoints(contact_ids=list(reasons))
    order = {"expected": 0, "met": 1, "member": 2}
    contacts.sort(key=lambda c: order[reasons[c.pk]])
    return [
        _reconnect(c, reasons[c.pk], debriefs.get(c.pk), touches.get(c.pk))
        for c in contacts[:limit]
    ]


def _last_closed_debriefs(*, owner_id: int, contact_ids: list[int]) -> dict[int, Any]:
    from careertips.debriefs.models import Debrief

    found: dict[int, Any] = {}
    rows = (
        Debrief.objects.filter(
            owner_id=owner_id, contact_id__in=contact_ids, status=Debrief.Status.CLOSED
        )
        .select_related("opportunity__organization")
        .order_by("-closed_at", "-id")
    )
    for debrief in rows:
        if debrief.contact_id is not None:
            found.setdefault(debrief.contact_id, debrief)
    return found


def _last_touchpoints(*, contact_ids: list[int]) -> dict[int, Touchpoint]:
    latest = Subquery(
        Touchpoint.objects.filter(contact=OuterRef("pk"))
        .order_by("-happened_on", "-id")[:1]
        .values("pk")
    )
    ids = Contact.objects.filter(pk__in=contact_ids).annotate(last=latest).values("last")
    return {t.contact_id: t for t in Touchpoint.objects.filter(pk__in=ids).select_related("event")}


def _day(value: dt.date) -> str:
    return format_date(value, "j M Y")


def _reconnect(contact: Contact, why: str, debrief: Any, touch: Touchpoint | None) -> Reconnect:
    name = contact.first_name
    debrief_on = _as_date(debrief.closed_at) if debrief and debrief.closed_at else None
    decision = (
        f"the {debrief.opportunity.organization} decision ({debrief.opportunity.title})"
        if debrief
        else ""
    )
    if debrief_on and (touch is None or debrief_on >= touch.happened_on):
        context = f"You last spoke with {name} after {decision}, on {_day(debrief_on)}."
        return Reconnect(contact, why, context, debrief_on)
    if touch is not None:
        context = f"You last spoke with {name} on {_day(touch.happened_on)}"
        context += f" ({touch.get_kind_display().lower()})"
        context += f": “{touch.note}”." if touch.note else "."
        if decision:
            context += f" They talked with you after {decision}."
        return Reconnect(contact, why, context, touch.happened_on)
    context = f"No conversation with {name} logged yet."
    if contact.how_we_met:
        context += f" How you met: {contact.how_we_met}."
    return Reconnect(contact, why, context, None)


# --- merging --------------------------------------------------------------------------------


FILLABLE_FIELDS = [
    "title", "organization", "email", "phone", "profile_url", "how_we_met", "meet_at",
    "cadence_days",
]  # fmt: skip


@transaction.atomic
def merge_contacts(*, keep: Contact, other: Contact) -> Contact:
    """Folds `other` into `keep`: every link to `other` moves to `keep`, then it is deleted."""
    if keep.pk == other.pk:
        raise ValidationError("Choose two different contacts to merge.")
    if keep.owner_id != other.owner_id:
        raise ValidationError("Both contacts must be yours.")
    locked = Contact.objects.select_for_update().in_bulk([keep.pk, other.pk])
    if len(locked) != 2:
        raise ValidationError("One of these contacts no longer exists.")
    keep, other = locked[keep.pk], locked[other.pk]
    _merge_attendances(keep=keep, other=other)
    _reassign_links(keep=keep, other=other)
    changed = _combine_fields(keep=keep, other=other)
    keep.save(update_fields=[*changed, "updated_at"])
    other.delete()
    return keep


def _merge_attendances(*, keep: Contact, other: Contact) -> None:
    """Both expected at one event: one row stays, "met" if either was met there."""
    mine = {a.event_id: a for a in EventAttendance.objects.filter(contact=keep)}
    for theirs in EventAttendance.objects.filter(contact=other, event_id__in=mine):
        row = mine[theirs.event_id]
        if theirs.status == EventAttendance.Status.MET and row.status != theirs.status:
            row.status = theirs.status
            row.save(update_fields=["status"])
        theirs.delete()
    EventAttendance.objects.filter(contact=other).update(contact=keep)


def _reassign_links(*, keep: Contact, other: Contact) -> None:
    """Moves every row that points at `other`, including ones other apps add later."""
    for rel in Contact._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and (rel.one_to_many or rel.one_to_one)):
            continue
        model = rel.related_model
        fk = rel.field.name  # type: ignore[union-attr]
        if model is EventAttendance:
            continue
        if model._meta.auto_created:  # a many-to-many table, e.g. Interview.interviewers
            (target,) = [f.name for f in model._meta.fields if f.is_relation and f.name != fk]
            linked = model._base_manager.filter(**{fk: keep}).values(target)
            model._base_manager.filter(**{fk: other, f"{target}__in": linked}).delete()
        model._base_manager.filter(**{fk: other}).update(**{fk: keep})


def _combine_fields(*, keep: Contact, other: Contact) -> list[str]:
    changed = []
    for name in FILLABLE_FIELDS:
        if not getattr(keep, name) and getattr(other, name):
            setattr(keep, name, getattr(other, name))
            changed.append(name)
    if other.notes.strip() and other.notes.strip() not in keep.notes:
        keep.notes = "\n\n".join(n for n in (keep.notes.strip(), other.notes.strip()) if n)
        keep.notes = keep.notes[: Contact._meta.get_field("notes").max_length]
        changed.append("notes")
    if other.warmth > keep.warmth:
        keep.warmth = other.warmth
        changed.append("warmth")
    if keep.relationship == Contact.Relationship.OTHER != other.relationship:
        keep.relationship = other.relationship
        changed.append("relationship")
    # The earlier planned touch wins, so nothing promised to either is dropped.
    if other.next_touch_on and (not keep.next_touch_on or other.next_touch_on < keep.next_touch_on):
        keep.next_touch_on, keep.next_touch_note = other.next_touch_on, other.next_touch_note
        changed += ["next_touch_on", "next_touch_note"]
    return changed
