"""Pipeline workflows: creating opportunities, moving them between stages, following up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from careertips.core import safefetch
from careertips.core.access import member_or_none, owned_or_404, prepared_or_404
from careertips.core.events import emit
from careertips.core.links import pk_url
from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.network.models import Contact, Organization, Touchpoint
from careertips.network.services import add_contact
from careertips.pipeline.capture import extract_posting
from careertips.pipeline.models import (
    ACTIVE_STAGES,
    CLOSED_STAGES,
    Interview,
    Opportunity,
    OpportunityImport,
    PostingCapture,
    Stage,
    StageChange,
    format_pay_range,
)

# The board shows this many of the most recently moved cards per column; the list has the rest.
BOARD_CARDS_PER_COLUMN = 20
# Closed cards are history: a few recent ones each, the rest one click away in the list.
BOARD_CLOSED_CARDS_PER_COLUMN = 5
BOARD_COLUMNS = [*ACTIVE_STAGES, Stage.NO_RESPONSE]
# Fields a member edits on an opportunity; the stage only changes through move_opportunity.
EDITABLE_FIELDS = [
    "title", "posting_url", "description", "location", "work_mode", "source", "pay_min",
    "pay_max", "currency", "found_on", "applied_on", "notes", "hiring_manager", "referred_by",
]  # fmt: skip
PEOPLE_FIELDS = ("hiring_manager", "referred_by")
# A contact typed on the form joins the network in the role it plays here.
PEOPLE_RELATIONSHIPS = {
    "hiring_manager": Contact.Relationship.HIRING_MANAGER,
    "referred_by": Contact.Relationship.OTHER,
}


def get_opportunity_for(user: Any, pk: int, *, people: bool = True) -> Opportunity:
    """With people=False the hiring manager and referrer are not read along (their ids are on
    the row): joining the two contacts nearly doubles the CPU of reading one opportunity."""
    return prepared_or_404(_OPPORTUNITY if people else _OPPORTUNITY_ALONE, user, pk, "opportunity")


# One of a member's opportunities with its employer (and people), compiled once per process
# (core.prepared): every write to an opportunity reads it first.
_OPPORTUNITY = Prepared(
    lambda owner, pk: (
        Opportunity.objects.filter(owner_id=owner, pk=pk)
        .select_related("organization", *PEOPLE_FIELDS)
        .order_by()
    ),
    owner=int,
    pk=int,
)
_OPPORTUNITY_ALONE = Prepared(
    lambda owner, pk: (
        Opportunity.objects.filter(owner_id=owner, pk=pk).select_related("organization").order_by()
    ),
    owner=int,
    pk=int,
)


def get_interview_for(user: Any, pk: int) -> Interview:
    rows = Interview.objects.filter(opportunity__owner=member_or_none(user))
    return owned_or_404(rows.select_related("opportunity__organization"), pk, "interview")


@transaction.atomic
def create_opportunity(
    *, owner: User, organization: Organization, when: dt.datetime | None = None, **fields: Any
) -> Opportunity:
    when = when or timezone.now()
    stage = fields.pop("stage", Stage.INTERESTED)
    if stage in (Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING) and not fields.get(
        "applied_on"
    ):
        fields["applied_on"] = timezone.localdate(when)
    _check_people(owner_id=owner.pk, fields=fields)
    opportunity = Opportunity(
        owner=owner, organization=organization, stage=stage, stage_changed_at=when, **fields
    )
    # The owner and employer come in as saved rows: checking that they exist is a wasted query.
    opportunity.full_clean(exclude=["owner", "organization"])
    opportunity.save()
    StageChange.objects.create(
        opportunity=opportunity, from_stage="", to_stage=stage, changed_at=when
    )
    return opportunity


# Compiled once per connection, inside a move's transaction as select_for_update() requires.
_LOCKED = Prepared(
    lambda pk: Opportunity.objects.select_for_update().filter(pk=pk).order_by(), pk=int
)


@transaction.atomic
def move_opportunity(
    *, opportunity: Opportunity, to_stage: str, note: str = "", when: dt.datetime | None = None
) -> StageChange:
    """Moves to a new stage, records it, and opens a debrief after a "no"."""
    # Lock the row so two clicks (or two tabs) cannot record the same move twice.
    locked = _LOCKED.instances(pk=opportunity.pk)
    if not locked:
        raise Opportunity.DoesNotExist("Opportunity matching query does not exist.")
    opportunity = locked[0]
    if to_stage not in Stage.values:
        raise ValidationError({"stage": "Choose a valid stage."})
    if not opportunity.can_move_to(to_stage):
        raise ValidationError(
            {
                "stage": f"An opportunity that is {opportunity.get_stage_display().lower()} "
                f"cannot move to {Stage(to_stage).label.lower()}."
            }
        )
    when = when or timezone.now()
    change = StageChange.objects.create(
        opportunity=opportunity,
        from_stage=opportunity.stage,
        to_stage=to_stage,
        changed_at=when,
        note=note[:500],
    )
    opportunity.stage = to_stage
    opportunity.stage_changed_at = when
    fields = ["stage", "stage_changed_at", "updated_at"]
    today = timezone.localdate(when)
    if to_stage == Stage.APPLIED and opportunity.applied_on is None:
        opportunity.applied_on = max(today, opportunity.found_on)
        fields.append("applied_on")
    if to_stage in CLOSED_STAGES:
        opportunity.closed_on = today
        fields.append("closed_on")
    opportunity.save(update_fields=fields)
    emit(
        "opportunity.stage_changed",
        opportunity.owner_id,
        {
            "opportunity_id": opportunity.pk,
            "from_stage": change.from_stage,
            "to_stage": to_stage,
            "changed_at": when.isoformat(),
        },
    )
    if to_stage == Stage.TURNED_DOWN:
        from careertips.debriefs.services import open_debrief

        open_debrief(opportunity=opportunity, when=when)
    return change


@transaction.atomic
def record_follow_up(*, opportunity: Opportunity, on: dt.date) -> Opportunity:
    opportunity.followed_up_on = on
    opportunity.save(update_fields=["followed_up_on", "updated_at"])
    return opportunity


@transaction.atomic
def update_opportunity(
    *, opportunity: Opportunity, organization: Organization, **fields: Any
) -> Opportunity:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    _check_people(owner_id=opportunity.owner_id, fields=fields)
    opportunity.organization = organization
    for name, value in fields.items():
        setattr(opportunity, name, value)
    opportunity.full_clean()
    opportunity.save(update_fields=["organization", *fields, "updated_at"])
    return opportunity


def _check_people(*, owner_id: int, fields: dict[str, Any]) -> None:
    for role in PEOPLE_FIELDS:
        contact = fields.get(role)
        if contact is not None and contact.owner_id != owner_id:
            raise ValidationError({role: "Choose one of your own contacts."})


@transaction.atomic
def people_on_opportunity(
    *, owner: User, organization: Organization, people: dict[str, Any]
) -> dict[str, Any]:
    """The contacts (or None) to name on an opportunity: those chosen, and those typed in
    (a name, perhaps an email and title), added to the network at the employer."""
    found: dict[str, Contact | None] = {}
    for role, person in people.items():
        if role not in PEOPLE_FIELDS:
            raise ValueError(f"Not a person on an opportunity: {role}")
        if person is None or isinstance(person, Contact):
            found[role] = person
            continue
        found[role] = add_contact(
            owner=owner,
            name=person.name,
            email=person.email,
            title=person.title,
            organization=organization,
            relationship=PEOPLE_RELATIONSHIPS[role],
        )
    return found


@transaction.atomic
def delete_opportunity(*, opportunity: Opportunity) -> None:
    """Deletes the opportunity with its history, interviews and debrief."""
    opportunity.delete()


def suggest_follow_up(*, opportunity: Opportunity) -> str:
    """A short, polite note to send when an application has had no reply."""
    applied = (
        f" on {opportunity.applied_on:%B} {opportunity.applied_on.day}"
        if opportunity.applied_on
        else ""
    )
    name = opportunity.owner.display_name or ""
    return (
        "Hello,\n\n"
        f"I applied for the {opportunity.title} role at {opportunity.organization}{applied} "
        "and wanted to follow up. I remain very interested in the position and would welcome "
        f"the chance to talk about how I could help {opportunity.organization}. "
        "If there is anything else I can send you, please let me know.\n\n"
        f"Thank you for your time,\n{name}"
    ).rstrip() + "\n"


@dataclass
class TimelineEntry:
    when: dt.datetime
    kind: str  # "stage", "interview", "touchpoint" or "debrief": the page styles each its way
    title: str
    detail: str = ""
    url: str = ""
    badge: str = ""
    date_only: bool = False


def build_timeline(*, opportunity: Opportunity) -> list[TimelineEntry]:
    """Stage changes, interviews, touchpoints and the debrief, oldest first, in five queries."""
    # Prefetched onto the opportunity so the page's interview list reuses the same rows.
    prefetch_related_objects([opportunity], "interviews__interviewers")
    entries = [_stage_entry(*change) for change in _STAGE_CHANGES(opportunity=opportunity.pk)]
    entries += [_interview_entry(interview) for interview in opportunity.interviews.all()]
    touchpoints = _TOUCHPOINTS(opportunity=opportunity.pk)
    entries += [_touchpoint_entry(*touchpoint) for touchpoint in touchpoints]
    debrief = debrief_of(opportunity)
    if debrief is not None:
        entries.append(
            TimelineEntry(
                when=debrief.created_at,
                kind="debrief",
                title="Debrief opened",
                detail=f"Call the hiring manager by {debrief.call_by:%b} {debrief.call_by.day}.",
                url=debrief_url(debrief),
                badge=debrief.get_status_display(),
            )
        )
    return sorted(entries, key=lambda entry: entry.when)


# Plain rows from SQL compiled once per process (core.prepared): the page is drawn after every
# move, and building these querysets cost more than reading their rows.
_STAGE_CHANGES = Prepared(
    lambda opportunity: StageChange.objects.filter(opportunity_id=opportunity).values_list(
        "from_stage", "to_stage", "changed_at", "note"
    ),
    opportunity=int,
)
_TOUCHPOINTS = Prepared(
    lambda opportunity: Touchpoint.objects.filter(opportunity_id=opportunity).values_list(
        "kind", "happened_on", "note", "contact_id", "contact__name"
    ),
    opportunity=int,
)


def _stage_entry(
    from_stage: str, to_stage: str, changed_at: dt.datetime, note: str
) -> TimelineEntry:
    if from_stage:
        title = f"Moved from {Stage(from_stage).label} to {Stage(to_stage).label}"
    else:
        title = f"Added as {Stage(to_stage).label}"
    return TimelineEntry(when=changed_at, kind="stage", title=title, detail=note, badge="")


_TOUCH_KINDS: dict[str, str] = dict(Touchpoint.Kind.choices)


def _touchpoint_entry(
    kind: str, happened_on: dt.date, note: str, contact: int, name: str
) -> TimelineEntry:
    # A touchpoint carries a day, not a time: placed at noon of that day, where the member is.
    noon = dt.datetime.combine(happened_on, dt.time(12))
    return TimelineEntry(
        when=timezone.make_aware(noon),
        kind="touchpoint",
        title=f"{_TOUCH_KINDS.get(kind, kind)} with {name}",
        detail=note,
        url=pk_url("network:contact", contact),
        date_only=True,
    )


def _interview_entry(interview: Interview) -> TimelineEntry:
    names = ", ".join(contact.name for contact in interview.interviewers.all())
    return TimelineEntry(
        when=interview.scheduled_at,
        kind="interview",
        title=f"{interview.get_kind_display()} interview",
        detail=f"With {names}" if names else "",
        badge="Thank-you sent" if interview.thank_you_sent_at else "",
    )


def debrief_of(opportunity: Opportunity) -> Any:
    """The opportunity's debrief, or None when there has been no "no"."""
    from careertips.debriefs.models import Debrief

    try:
        return opportunity.debrief
    except Debrief.DoesNotExist:
        return None


def debrief_url(debrief: Any) -> str:
    return reverse("debriefs:detail", args=[debrief.pk])


@dataclass(frozen=True, slots=True)
class BoardCard:
    """What a card shows of an opportunity, read as a plain row: a board holds a hundred."""

    pk: int
    title: str
    organization: str
    location: str
    stage: str
    stage_changed_at: dt.datetime
    pay_range: str
    follow_up_due: bool


@dataclass
class BoardColumn:
    stage: str
    label: str
    count: int
    cards: list[BoardCard] = field(default_factory=list)

    @property
    def hidden(self) -> int:
        return self.count - len(self.cards)


@dataclass
class Board:
    columns: list[BoardColumn]
    closed: list[BoardColumn]

    @property
    def closed_count(self) -> int:
        return sum(column.count for column in self.closed)

    @property
    def total(self) -> int:
        return self.closed_count + sum(column.count for column in self.columns)


def build_board(*, owner: User, today: dt.date, per_column: int | None = None) -> Board:
    """Columns of the most recently moved cards, counted in one query, filled in another."""
    per_column = per_column or BOARD_CARDS_PER_COLUMN
    mine = Opportunity.objects.owned_by(owner)
    counts = mine.stage_counts()
    columns = {
        stage: BoardColumn(stage=stage, label=Stage(stage).label, count=counts.get(stage, 0))
        for stage in [*BOARD_COLUMNS, *CLOSED_STAGES]
    }
    limits: dict[str, int] = {
        stage: BOARD_CLOSED_CARDS_PER_COLUMN if stage in CLOSED_STAGES else per_column
        for stage, column in columns.items()
        if column.count
    }
    rows = (
        Opportunity.objects.latest_per_stage(owner_id=owner.pk, limits=limits)
        .with_follow_up_due(today=today, days=owner.follow_up_days)
        .order_by("-stage_changed_at", "-id")
        .values_list(
            "pk", "title", "organization__name", "location", "stage", "stage_changed_at",
            "pay_min", "pay_max", "currency", "follow_up_due",
        )
    )  # fmt: skip
    for pk, title, employer, location, stage, moved, low, high, currency, due in rows:
        card = BoardCard(
            pk, title, employer, location, stage, moved, format_pay_range(low, high, currency), due
        )
        columns[stage].cards.append(card)
    return Board(
        columns=[columns[stage] for stage in BOARD_COLUMNS],
        closed=[columns[stage] for stage in CLOSED_STAGES],
    )


def _interviewer_contacts(*, opportunity: Opportunity, names: Iterable[str]) -> list[Contact]:
    """Contacts for names typed on the interview form: an existing contact of the same name
    is reused, anyone else is added to the network as an interviewer at the employer."""
    contacts = []
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        contact = Contact.objects.filter(owner_id=opportunity.owner_id, name__iexact=name).first()
        if contact is None:
            contact = Contact.objects.create(
                owner_id=opportunity.owner_id,
                name=name,
                organization=opportunity.organization,
                relationship=Contact.Relationship.INTERVIEWER,
            )
        contacts.append(contact)
    return contacts


@transaction.atomic
def schedule_interview(
    *,
    opportunity: Opportunity,
    scheduled_at: dt.datetime,
    interviewers: Iterable[Contact] = (),
    new_interviewer_names: Iterable[str] = (),
    **fields: Any,
) -> Interview:
    _check_interviewers(opportunity=opportunity, interviewers=interviewers)
    interview = Interview(opportunity=opportunity, scheduled_at=scheduled_at, **fields)
    interview.full_clean()
    interview.save()
    names = list(new_interviewer_names)
    interview.interviewers.set(
        [*interviewers, *_interviewer_contacts(opportunity=opportunity, names=names)]
    )
    return interview


@transaction.atomic
def update_interview(
    *,
    interview: Interview,
    interviewers: Iterable[Contact] = (),
    new_interviewer_names: Iterable[str] = (),
    **fields: Any,
) -> Interview:
    opportunity = interview.opportunity
    _check_interviewers(opportunity=opportunity, interviewers=interviewers)
    for name, value in fields.items():
        setattr(interview, name, value)
    interview.full_clean()
    interview.save(update_fields=[*fields, "updated_at"])
    names = list(new_interviewer_names)
    interview.interviewers.set(
        [*interviewers, *_interviewer_contacts(opportunity=opportunity, names=names)]
    )
    return interview


def _check_interviewers(*, opportunity: Opportunity, interviewers: Iterable[Contact]) -> None:
    if any(contact.owner_id != opportunity.owner_id for contact in interviewers):
        raise ValidationError({"interviewers": "Choose interviewers from your own contacts."})


@transaction.atomic
def delete_interview(*, interview: Interview) -> None:
    interview.delete()


@transaction.atomic
def toggle_thank_you(*, interview: Interview, when: dt.datetime | None = None) -> Interview:
    """Marks the interview's thank-you note sent, or unmarks it."""
    interview.thank_you_sent_at = None if interview.thank_you_sent_at else when or timezone.now()
    interview.save(update_fields=["thank_you_sent_at", "updated_at"])
    return interview


def get_opportunity_import_for(user: Any, pk: int, *, rows: bool = True) -> OpportunityImport:
    """`rows=False` leaves out the file's rows when only the status and counts are wanted."""
    imports = OpportunityImport.objects.owned_by(user)
    return owned_or_404(imports if rows else imports.defer("rows"), pk, "import")


# Capturing a posting -------------------------------------------------------------------------

# A capture is a step on the way to an opportunity; old ones are cleared when a new one starts.
CAPTURE_KEEP = dt.timedelta(days=1)


def get_capture_for(user: Any, pk: int) -> PostingCapture:
    return owned_or_404(PostingCapture.objects.owned_by(user), pk, "posting")


@transaction.atomic
def start_capture(*, owner: User, url: str) -> PostingCapture:
    """Records the address and has the worker read it once this commits."""
    from careertips.pipeline.tasks import read_posting

    stale = timezone.now() - CAPTURE_KEEP
    PostingCapture.objects.owned_by(owner).filter(created_at__lt=stale).delete()
    capture = PostingCapture.objects.create(owner=owner, url=url.strip())
    transaction.on_commit(lambda: read_posting.enqueue(capture_id=capture.pk))
    return capture


def read_capture(*, capture: PostingCapture) -> PostingCapture:
    """Fetches the page safely and extracts the posting; a refusal is kept as the reason."""
    try:
        page = safefetch.fetch_html(capture.url)
    except safefetch.FetchRefused as refused:
        return _finish_capture(capture, status=PostingCapture.Status.FAILED, error=refused.message)
    posting = extract_posting(page.text, url=capture.url)
    capture.result = posting.as_json()
    return _finish_capture(capture, status=PostingCapture.Status.READY, error="")


def fail_capture(*, capture: PostingCapture, error: str) -> PostingCapture:
    return _finish_capture(capture, status=PostingCapture.Status.FAILED, error=error)


def _finish_capture(capture: PostingCapture, *, status: str, error: str) -> PostingCapture:
    capture.status = status
    capture.error = error[:300]
    capture.save(update_fields=["status", "error", "result", "updated_at"])
    return capture


def employer_named(*, owner: User, name: str) -> Organization | None:
    """The member's organization of this name, if there is one (to preselect it)."""
    if not name.strip():
        return None
    return Organization.objects.owned_by(owner).filter(name__iexact=name.strip()).first()


def find_duplicates(
    *, owner: User, url: str = "", employer: str = "", title: str = ""
) -> list[Opportunity]:
    """The member's opportunities with this posting address, or this employer and title."""
    # Unchecked input (a bookmarklet's page, a form sent back with errors) may hold NUL
    # characters, which no saved row has and PostgreSQL refuses in a query.
    url, employer, title = (value.replace("\x00", "") for value in (url, employer, title))
    match = Q()
    if url.strip():
        bare = url.strip().rstrip("/")
        match |= Q(posting_url__in=[bare, bare + "/"])
    if employer.strip() and title.strip():
        match |= Q(organization__name__iexact=employer.strip(), title__iexact=title.strip())
    if not match:
        return []
    rows = Opportunity.objects.owned_by(owner).filter(match).select_related("organization")
    return list(rows.order_by("-stage_changed_at", "-id")[:5])


@transaction.atomic
def create_captured_opportunity(
    *, owner: User, organization: Organization, add_requirements: bool, **fields: Any
) -> tuple[Opportunity, int]:
    """The reviewed opportunity, and how many requirement lines its description gave."""
    from careertips.stories.services import add_requirements_from_posting

    opportunity = create_opportunity(owner=owner, organization=organization, **fields)
    if not add_requirements or not opportunity.description.strip():
        return opportunity, 0
    try:
        added = add_requirements_from_posting(
            opportunity=opportunity, posting=opportunity.description
        )
    except ValidationError:
        return opportunity, 0  # no requirement lines found: the member can add them later
    return opportunity, len(added)
