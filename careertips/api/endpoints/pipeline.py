"""Opportunities (list, read, create, update, move between stages) and interviews."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, Literal

from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from careertips.api.auth import reader, writer
from careertips.api.endpoints.common import (
    Cursor,
    Limit,
    Page,
    PathId,
    RefId,
    Text,
    form_data,
    instance_values,
    submit,
)
from careertips.api.writes import committing, unnested
from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.network.models import Organization
from careertips.network.services import organization_named
from careertips.pipeline.forms import (
    InterviewForm,
    MoveForm,
    OpportunityForm,
)
from careertips.pipeline.models import (
    TRANSITIONS,
    Interview,
    Opportunity,
    OpportunityQuerySet,
    Source,
    Stage,
    WorkMode,
)
from careertips.pipeline.services import (
    create_opportunity,
    debrief_of,
    get_interview_for,
    get_opportunity_for,
    move_opportunity,
    people_on_opportunity,
    schedule_interview,
    update_opportunity,
)

router = Router(tags=["Opportunities"])
interviews = Router(tags=["Interviews"])

# The stages a new opportunity may start in (the New opportunity form's STARTING_STAGES).
StartingStage = Literal["interested", "applied", "screening", "interviewing"]


class OpportunityCard(Schema):
    id: int
    title: str
    organization_id: int
    organization: str
    stage: str
    stage_changed_at: dt.datetime
    source: str
    location: str
    work_mode: str
    pay_min: int | None
    pay_max: int | None
    currency: str
    applied_on: dt.date | None
    followed_up_on: dt.date | None

    @staticmethod
    def resolve_organization(obj: Opportunity) -> str:
        # The list builds its cards from plain rows, already named (see _card).
        return obj.organization.name


class OpportunityOut(OpportunityCard):
    posting_url: str
    description: str
    notes: str
    found_on: dt.date
    closed_on: dt.date | None
    hiring_manager_id: int | None
    referred_by_id: int | None
    allowed_moves: list[str] = Field(description="The stages it may move to from here.")

    @staticmethod
    def resolve_allowed_moves(obj: Opportunity) -> list[str]:
        return list(TRANSITIONS.get(obj.stage, ()))


class OpportunityPage(Page):
    items: list[OpportunityCard]


class OpportunityFilters(Schema):
    stage: Stage | Literal["open", "closed"] | None = Field(
        None, description="A stage, or `open` / `closed` for all open or closed stages."
    )
    source: Source | None = None
    q: Text | None = Field(None, max_length=200, description="Words in title, employer, place.")
    cursor: str | None = Field(None, max_length=200)
    limit: Limit = 50


class OpportunityFields(Schema):
    title: Text | None = Field(None, max_length=200)
    organization_id: RefId | None = Field(None, description="One of your organizations.")
    organization_name: Text | None = Field(
        None, max_length=200, description="Or a new employer's name."
    )
    posting_url: Text | None = Field(None, max_length=1000)
    description: Text | None = Field(None, max_length=50_000)
    location: Text | None = Field(None, max_length=200)
    work_mode: WorkMode | Literal[""] | None = None
    source: Source | None = None
    pay_min: int | None = None
    pay_max: int | None = None
    currency: Text | None = Field(None, max_length=3)
    found_on: dt.date | None = None
    applied_on: dt.date | None = None
    notes: Text | None = Field(None, max_length=20_000)
    hiring_manager_id: RefId | None = Field(None, description="One of your contacts.")
    referred_by_id: RefId | None = Field(None, description="One of your contacts.")


class OpportunityIn(OpportunityFields):
    title: Text = Field(max_length=200)
    stage: StartingStage = "interested"
    work_mode: WorkMode | Literal[""] = WorkMode.ONSITE
    source: Source = Source.JOB_BOARD
    currency: Text = Field("USD", max_length=3)


class MoveIn(Schema):
    stage: Stage
    note: Text = Field("", max_length=500)


class MoveOut(Schema):
    opportunity: OpportunityOut
    debrief_id: int | None = Field(description="The debrief opened by a move to turned down.")


# What a list row needs, read as plain values: building 50 model instances per page costs more
# than everything else the page does.
CARD_FIELDS = list(OpportunityCard.model_fields)
CARD_COLUMNS = [name for name in CARD_FIELDS if name != "organization"]
CARD_ROW = [*CARD_COLUMNS, "organization_name"]  # as a prepared query gives its values
EMPLOYER = "organization__name"
MOVED = Cursor("stage_changed_at")

FORM_FIELDS = [
    "title", "posting_url", "description", "location", "work_mode", "source", "pay_min",
    "pay_max", "currency", "found_on", "applied_on", "notes", "hiring_manager", "referred_by",
]  # fmt: skip


def _employer(user: object, form: OpportunityForm) -> Organization:
    chosen = form.cleaned_data["organization"]
    if chosen is not None:
        return chosen
    return organization_named(owner=user, name=form.cleaned_data["organization_name"])


def _form_values(payload: OpportunityFields, *, partial: bool) -> dict[str, object]:
    values = payload.model_dump(exclude_unset=partial)
    for name in ("organization", "hiring_manager", "referred_by"):
        if f"{name}_id" in values:
            values[name] = values.pop(f"{name}_id")
    return values


def _saved_fields(user: User, form: OpportunityForm) -> dict[str, Any]:
    """The opportunity's own fields and its people, as the page's form would save them."""
    organization = _employer(user, form)
    people = unnested(people_on_opportunity)(
        owner=user, organization=organization, people=form.people()
    )
    return {"organization": organization, **form.opportunity_fields(), **people}


@router.get("", response=OpportunityPage, operation_id="listOpportunities")
def list_opportunities(request: HttpRequest, filters: Query[OpportunityFilters]) -> HttpResponse:
    """Your opportunities, most recently moved first."""
    user = reader(request)
    if filters.q:  # each search's words make a query of their own
        rows = _narrowed(Opportunity.objects.owned_by(user), filters.stage, filters.source)
        cards = rows.search(filters.q).values(*CARD_COLUMNS, organization_name=F(EMPLOYER))
        items, next_cursor = MOVED.page(cards, cursor=filters.cursor, limit=filters.limit)
        return _page(request, [_card(row) for row in items], next_cursor)
    values: dict[str, Any] = {"owner": user.pk}
    if filters.stage not in (None, "open", "closed"):
        values["stage"] = filters.stage
    if filters.source:
        values["source"] = filters.source
    if filters.cursor:
        values["moved"], values["pk"] = MOVED.decode(filters.cursor)
    open_or_closed = filters.stage if filters.stage in ("open", "closed") else None
    query = _card_query(open_or_closed, tuple(values))
    read = query.slice(0, filters.limit + 1, **values)  # one more: is there a next page?
    found = [dict(zip(CARD_ROW, row, strict=True)) for row in read]
    items, next_cursor = MOVED.cut(found, filters.limit)
    return _page(request, [_card(row) for row in items], next_cursor)


def _narrowed(rows: OpportunityQuerySet, stage: Any, source: Any) -> OpportunityQuerySet:
    if stage == "open":
        rows = rows.open()
    elif stage == "closed":
        rows = rows.closed()
    elif stage:
        rows = rows.filter(stage=stage)
    return rows.filter(source=source) if source else rows


@functools.cache
def _card_query(open_or_closed: str | None, given: tuple[str, ...]) -> Prepared:
    """The cards for one combination of filters (`given`: the names of the values the query
    takes), compiled once per process (core.prepared), whatever the page size: building the
    list's query cost a third of the request."""
    kinds = {"owner": int, "stage": str, "source": str, "moved": dt.datetime, "pk": int}

    def build(**values: Any) -> QuerySet[Any]:
        rows = Opportunity.objects.filter(owner_id=values["owner"])
        rows = _narrowed(rows, values.get("stage", open_or_closed), values.get("source"))
        if "moved" in values:
            rows = rows.filter(MOVED.after(values["moved"], values["pk"]))
        cards = rows.values(*CARD_COLUMNS, organization_name=F(EMPLOYER))
        return cards.order_by(*MOVED.order)

    return Prepared(build, **{name: kinds[name] for name in given})


def _card(row: dict[str, Any]) -> dict[str, Any]:
    """A card as OpportunityCard gives it: its fields in their order."""
    row["organization"] = row.pop("organization_name")
    return {name: row[name] for name in CARD_FIELDS}


def _page(
    request: HttpRequest, cards: list[dict[str, Any]], next_cursor: str | None
) -> HttpResponse:
    """The page answered as it is: the rows come typed from the database, so building and
    dumping 50 Pydantic cards only to render the same JSON cost a quarter of the request."""
    from careertips.api.routes import api  # the API that routes here renders its answers

    body = {"items": cards, "next_cursor": next_cursor}
    return api.create_response(request, body, status=200)


@router.get("/{pk}", response=OpportunityOut, operation_id="getOpportunity")
def get_opportunity(request: HttpRequest, pk: PathId) -> Opportunity:
    return get_opportunity_for(reader(request), pk, people=False)


@router.post("", response={201: OpportunityOut}, operation_id="createOpportunity")
def add_opportunity(request: HttpRequest, payload: OpportunityIn) -> Status[Opportunity]:
    """Adds an opportunity, as the New opportunity page does."""
    user = writer(request)
    values = {**_form_values(payload, partial=False)}
    values["found_on"] = values["found_on"] or user.local_today()
    form = submit(OpportunityForm(form_data(values), owner=user))
    with committing(request):
        opportunity = unnested(create_opportunity)(owner=user, **_saved_fields(user, form))
    # Everything the answer shows is on the instance just saved: no second read.
    return Status(201, opportunity)


@router.patch("/{pk}", response=OpportunityOut, operation_id="updateOpportunity")
def edit_opportunity(request: HttpRequest, pk: PathId, payload: OpportunityFields) -> Opportunity:
    """Changes the fields given; the stage changes only through a move."""
    user = writer(request)
    opportunity = get_opportunity_for(user, pk, people=False)
    values = {**instance_values(opportunity, [*FORM_FIELDS, "organization"])}
    if payload.organization_name:
        values["organization"] = None  # a typed employer replaces the current one
    values.update(_form_values(payload, partial=True))
    form = submit(OpportunityForm(form_data(values), instance=opportunity, owner=user))
    with committing(request):
        unnested(update_opportunity)(opportunity=opportunity, **_saved_fields(user, form))
    return get_opportunity_for(user, pk, people=False)


@router.post("/{pk}/move", response=MoveOut, operation_id="moveOpportunity")
def move(request: HttpRequest, pk: PathId, payload: MoveIn) -> dict:
    """Moves it to another stage, under the same rules (and messages) as the board."""
    user = writer(request)
    opportunity = get_opportunity_for(user, pk, people=False)
    form = submit(MoveForm(form_data(payload.model_dump()), opportunity=opportunity))
    to_stage = form.cleaned_data["stage"]
    with committing(request):
        moving = unnested(move_opportunity)
        change = moving(opportunity=opportunity, to_stage=to_stage, note=payload.note)
    # The service moved its own locked copy; its employer is the one already read.
    moved = change.opportunity
    moved.organization = opportunity.organization
    # Turned down is final, so only this very move can have opened a debrief.
    debrief = debrief_of(moved) if to_stage == Stage.TURNED_DOWN else None
    return {"opportunity": moved, "debrief_id": debrief.pk if debrief else None}


# Interviews


class InterviewOut(Schema):
    id: int
    opportunity_id: int
    scheduled_at: dt.datetime
    duration_minutes: int
    kind: str
    prep_notes: str
    thank_you_sent_at: dt.datetime | None
    interviewer_ids: list[int]

    @staticmethod
    def resolve_interviewer_ids(obj: Interview) -> list[int]:
        return [contact.pk for contact in obj.interviewers.all()]


class InterviewPage(Page):
    items: list[InterviewOut]


class InterviewIn(Schema):
    scheduled_at: dt.datetime
    duration_minutes: int = 45
    kind: Interview.Kind = Interview.Kind.VIDEO
    prep_notes: Text = Field("", max_length=20_000)
    interviewer_ids: list[RefId] = Field([], max_length=50)
    new_interviewers: Text = Field(
        "", max_length=1000, description="Names, separated by commas, added to your network."
    )


@interviews.get("", response=InterviewPage, operation_id="listInterviews")
def list_interviews(request: HttpRequest, cursor: str | None = None, limit: Limit = 50) -> dict:
    user = reader(request)
    rows = Interview.objects.filter(opportunity__owner=user).prefetch_related("interviewers")
    items, next_cursor = Cursor().page(rows, cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@interviews.get("/{pk}", response=InterviewOut, operation_id="getInterview")
def get_interview(request: HttpRequest, pk: PathId) -> Interview:
    return get_interview_for(reader(request), pk)


@router.post("/{pk}/interviews", response={201: InterviewOut}, operation_id="scheduleInterview")
def add_interview(request: HttpRequest, pk: PathId, payload: InterviewIn) -> Status[Interview]:
    user = writer(request)
    opportunity = get_opportunity_for(user, pk, people=False)
    values = payload.model_dump()
    values["interviewers"] = values.pop("interviewer_ids")
    form = submit(InterviewForm(form_data(values), owner=user))
    with committing(request):
        interview = schedule_interview(opportunity=opportunity, **form.interview_fields())
    return Status(201, get_interview_for(user, interview.pk))
