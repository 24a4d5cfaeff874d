"""Today: everything due, marked done or snoozed through the same services as the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from careertips.agenda.forms import SnoozeForm, done_form_class
from careertips.agenda.models import ItemKind
from careertips.agenda.services import actions
from careertips.agenda.services.clock import Clock
from careertips.agenda.services.items import Item
from careertips.agenda.services.today import build_agenda
from careertips.api.auth import reader, writer
from careertips.api.endpoints.common import PathId, Text, form_data, submit
from careertips.api.writes import committing

router = Router(tags=["Today"])


class ItemOut(Schema):
    kind: str
    object_id: int
    title: str
    reason: str
    due: dt.date
    at: dt.datetime | None
    group: str = Field(description="overdue, today or soon")
    can_complete: bool = Field(description="False when it is finished somewhere else.")
    needs: list[str] = Field(description="Fields `complete` wants for this item.")


class TodayOut(Schema):
    today: dt.date
    items: list[ItemOut]
    totals: dict[str, int]


class CompleteIn(Schema):
    outcome: Text | None = Field(None, max_length=20, description="A call: what happened.")
    channel: Text | None = Field(None, max_length=20, description="A call: how.")
    kind: Text | None = Field(None, max_length=20, description="A touch: how you were in touch.")
    note: Text | None = Field(None, max_length=1000)
    name: Text | None = Field(None, max_length=200, description="Who to call, if no one yet.")
    title: Text | None = Field(None, max_length=200)
    email: Text | None = Field(None, max_length=254)
    phone: Text | None = Field(None, max_length=40)


class CompleteOut(Schema):
    message: str


class SnoozeIn(Schema):
    days: int = Field(description="1, 3 or 7.")


class SnoozeOut(Schema):
    until: dt.date


def _row(item: Item, group: str) -> dict[str, Any]:
    form_class = done_form_class(item)
    return {
        "kind": item.kind,
        "object_id": item.object_id,
        "title": item.title,
        "reason": item.reason,
        "due": item.due,
        "at": item.at,
        "group": group,
        "can_complete": bool(item.done_label),
        "needs": list(form_class.base_fields) if form_class else [],
    }


@router.get("", response=TodayOut, operation_id="getToday")
def today(request: HttpRequest) -> dict:
    agenda = build_agenda(owner=reader(request))
    return {
        "today": agenda.today,
        "items": [_row(item, group.slug) for group in agenda.groups for item in group.items],
        "totals": {group.slug: group.total for group in agenda.groups},
    }


@router.post("/{kind}/{pk}/complete", response=CompleteOut, operation_id="completeTodayItem")
def complete(request: HttpRequest, kind: ItemKind, pk: PathId, payload: CompleteIn) -> dict:
    """Marks it done through the app it belongs to, as Today's Done button does."""
    user = writer(request)
    clock = Clock.for_user(user)
    item = actions.get_item_for(user, kind=kind, pk=pk, clock=clock)
    form_class = done_form_class(item)
    data: dict[str, Any] = {}
    if form_class is not None:
        data = submit(form_class(form_data(payload.model_dump(exclude_none=True)))).cleaned_data
    with committing(request):
        message = actions.complete_item(owner=user, item=item, data=data, clock=clock)
    return {"message": message}


@router.post("/{kind}/{pk}/snooze", response=SnoozeOut, operation_id="snoozeTodayItem")
def snooze(request: HttpRequest, kind: ItemKind, pk: PathId, payload: SnoozeIn) -> dict:
    user = writer(request)
    clock = Clock.for_user(user)
    item = actions.get_item_for(user, kind=kind, pk=pk, clock=clock)
    days = submit(SnoozeForm(form_data(payload.model_dump()))).cleaned_data["days"]
    with committing(request):
        snoozed = actions.snooze_item(owner=user, item=item, days=days, clock=clock)
    return {"until": snoozed.until}
