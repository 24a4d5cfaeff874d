"""Contacts and touchpoints (a conversation with one of them)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from careertips.api.auth import reader, writer
from careertips.api.endpoints.common import (
    Cursor,
    Limit,
    Page,
    PathId,
    RefId,
    Text,
    form_data,
    submit,
)
from careertips.api.writes import committing
from careertips.network import services
from careertips.network.forms import ContactForm, TouchpointForm
from careertips.network.models import Contact, Touchpoint, TouchpointKind

router = Router(tags=["Contacts"])


class ContactOut(Schema):
    id: int
    name: str
    title: str
    organization_id: int | None
    email: str
    phone: str
    profile_url: str
    relationship: str
    warmth: int
    how_we_met: str
    next_touch_on: dt.date | None
    next_touch_note: str
    cadence_days: int | None
    notes: str
    tags: list[str]

    @staticmethod
    def resolve_tags(obj: Contact) -> list[str]:
        return [tag.name for tag in obj.tags.all()]


class ContactPage(Page):
    items: list[ContactOut]


class ContactIn(Schema):
    name: Text = Field(max_length=200)
    title: Text = Field("", max_length=200)
    organization_id: RefId | None = None
    new_organization: Text = Field("", max_length=200)
    email: Text = Field("", max_length=254)
    phone: Text = Field("", max_length=40)
    profile_url: Text = Field("", max_length=500)
    relationship: Contact.Relationship | None = None
    warmth: Contact.Warmth = Contact.Warmth.WARM
    how_we_met: Text = Field("", max_length=300)
    next_touch_on: dt.date | None = None
    next_touch_note: Text = Field("", max_length=300)
    cadence_days: int | None = None
    notes: Text = Field("", max_length=20_000)
    tags: list[Text] = Field([], max_length=30)
    different_person: bool = Field(False, description="Save even if it looks like a duplicate.")


class TouchpointOut(Schema):
    id: int
    contact_id: int
    kind: str
    happened_on: dt.date
    note: str
    event_id: int | None
    opportunity_id: int | None


class TouchpointPage(Page):
    items: list[TouchpointOut]


class TouchpointIn(Schema):
    kind: TouchpointKind
    happened_on: dt.date | None = Field(None, description="The day; today if left out.")
    note: Text = Field("", max_length=1000)
    event_id: RefId | None = None
    opportunity_id: RefId | None = Field(None, description="One of your opportunities.")


@router.get("", response=ContactPage, operation_id="listContacts")
def list_contacts(request: HttpRequest, cursor: str | None = None, limit: Limit = 50) -> dict:
    rows = Contact.objects.owned_by(reader(request)).prefetch_related("tags")
    items, next_cursor = Cursor().page(rows, cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{pk}", response=ContactOut, operation_id="getContact")
def get_contact(request: HttpRequest, pk: PathId) -> Contact:
    return services.get_contact_for(reader(request), pk)


@router.post("", response={201: ContactOut}, operation_id="createContact")
def add_contact(request: HttpRequest, payload: ContactIn) -> Status[Contact]:
    user = writer(request)
    values = payload.model_dump()
    values["organization"] = values.pop("organization_id")
    values["meet_at"] = None
    values["tags"] = ", ".join(values["tags"])
    values["relationship"] = (
        values["relationship"] or Contact._meta.get_field("relationship").get_default()
    )
    form = submit(ContactForm(form_data(values), instance=Contact(owner=user), owner=user))
    with committing(request):
        contact = services.save_contact(
            contact=form.save(commit=False),
            tags=form.cleaned_data["tags"],
            new_organization=form.cleaned_data["new_organization"],
        )
    return Status(201, services.get_contact_for(user, contact.pk))


@router.get("/{pk}/touchpoints", response=TouchpointPage, operation_id="listTouchpoints")
def list_touchpoints(
    request: HttpRequest, pk: PathId, cursor: str | None = None, limit: Limit = 50
) -> dict:
    contact = services.get_contact_for(reader(request), pk)
    items, next_cursor = Cursor().page(contact.touchpoints.all(), cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.post("/{pk}/touchpoints", response={201: TouchpointOut}, operation_id="logTouchpoint")
def log_touchpoint(request: HttpRequest, pk: PathId, payload: TouchpointIn) -> Status[Touchpoint]:
    """Records a conversation and moves the contact's next touch by its cadence."""
    user = writer(request)
    contact = services.get_contact_for(user, pk)
    values = payload.model_dump()
    values["event"] = values.pop("event_id")
    values["opportunity"] = values.pop("opportunity_id")
    values["happened_on"] = values["happened_on"] or timezone.localdate()
    data = submit(TouchpointForm(form_data(values), owner=user)).cleaned_data
    with committing(request):
        touchpoint = services.log_touchpoint(
            contact=contact,
            kind=data["kind"],
            when=data["happened_on"],
            note=data["note"],
            event=data["event"],
            opportunity=data["opportunity"],
        )
    return Status(201, touchpoint)
