"""A coach's read of the searches shared with them: who shares, and each shared scope.

The same helpers as the coach's pages decide what may be read (404 unless the member shares
that scope with this coach right now), and every read is written to the member's access log,
where they see it beside the reads made on the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from careertips.api.auth import reader
from careertips.api.endpoints.common import PathId
from careertips.coaching import services
from careertips.core.access import require_role
from careertips.core.roles import Role

router = Router(tags=["Coaching"])

ScopeName = Literal["pipeline", "debriefs", "stories", "offers", "network"]


def _coach(request: HttpRequest) -> Any:
    coach = reader(request)
    require_role(coach, Role.COACH, "client")  # everyone else: the 404 of a missing client
    return coach


class ClientOut(Schema):
    member_id: int = Field(description="The client's id, for their scopes.")
    name: str
    email: str
    shared_on: dt.datetime
    scopes: list[ScopeName] = Field(description="The parts of their search they share now.")
    active_opportunities: int
    applied_recently: int
    open_debriefs: int
    last_note_at: dt.datetime | None


class StageCount(Schema):
    stage: str
    count: int


class SharedOpportunity(Schema):
    id: int
    title: str
    organization: str
    stage: str
    stage_changed_at: dt.datetime
    applied_on: dt.date | None

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return obj.organization.name


class _OfOpportunity(Schema):
    """A row that belongs to an opportunity, named by its title and employer."""

    id: int
    opportunity_id: int
    opportunity: str
    organization: str

    @staticmethod
    def resolve_opportunity(obj: Any) -> str:
        return obj.opportunity.title

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return obj.opportunity.organization.name


class SharedInterview(_OfOpportunity):
    scheduled_at: dt.datetime
    kind: str


class SharedDebrief(_OfOpportunity):
    status: str
    call_by: dt.date
    feedback: str
    themes: list[str]
    created_at: dt.datetime

    @staticmethod
    def resolve_themes(obj: Any) -> list[str]:
        return [row.theme for row in obj.themes.all()]


class SharedStory(Schema):
    id: int
    title: str
    strength: int
    updated_at: dt.datetime


class SharedGap(Schema):
    id: int
    topic: str
    positioning: str


class SharedOffer(_OfOpportunity):
    currency: str
    base_salary: int
    decision_deadline: dt.date | None


class SharedContact(Schema):
    id: int
    name: str
    title: str
    organization: str | None

    @staticmethod
    def resolve_organization(obj: Any) -> str | None:
        return obj.organization.name if obj.organization_id else None


class ScopeOut(Schema):
    """One shared scope; only the lists that belong to it have rows."""

    member_id: int
    scope: ScopeName
    label: str
    stages: list[StageCount] = []
    opportunities: list[SharedOpportunity] = []
    interviews: list[SharedInterview] = []
    debriefs: list[SharedDebrief] = []
    stories: list[SharedStory] = []
    gaps: list[SharedGap] = []
    prep: list[SharedInterview] = Field([], description="Upcoming interviews to prepare for.")
    offers: list[SharedOffer] = []
    contacts: list[SharedContact] = []


@router.get("/clients", response=list[ClientOut], operation_id="listClients")
def list_clients(request: HttpRequest) -> list[dict]:
    """Everyone sharing their search with you (coaches only), with a few figures each."""
    coach = _coach(request)
    rows = services.clients_of(coach)
    services.record_reads(
        coach=coach, members=[row.member for row in rows], page="API: client list",
        path=request.path,
    )  # fmt: skip
    return [
        {
            "member_id": row.member.pk,
            "name": row.member.display_name or row.member.email,
            "email": row.member.email,
            "shared_on": row.shared_on,
            "scopes": row.scopes,
            "active_opportunities": row.active,
            "applied_recently": row.applied_recently,
            "open_debriefs": row.open_debriefs,
            "last_note_at": row.last_note_at,
        }
        for row in rows
    ]


@router.get("/clients/{member_id}/{scope}", response=ScopeOut, operation_id="readClientScope")
def read_scope(request: HttpRequest, member_id: PathId, scope: ScopeName) -> dict:
    """One scope of a client's search, while they share it with you; logged for them to see."""
    coach = _coach(request)
    member = services.get_client_for(coach, member_id)
    services.get_sharing_for_coach(coach, member, scope)
    view = services.scope_view(member, scope)
    services.record_reads(
        coach=coach, members=[member], page=f"API: {view.label}", path=request.path
    )
    return {
        "member_id": member.pk,
        "scope": view.scope,
        "label": view.label,
        "stages": [{"stage": label, "count": count} for label, count in view.stages],
        **view.rows,
    }
