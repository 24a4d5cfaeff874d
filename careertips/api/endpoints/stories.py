"""Accomplishment stories: the bank, read and added to."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
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
from careertips.stories import services
from careertips.stories.forms import StoryForm
from careertips.stories.models import Story

router = Router(tags=["Stories"])


class StoryOut(Schema):
    id: int
    title: str
    challenge: str
    action: str
    result: str
    organization_name: str
    role: str
    year: int | None
    strength: int | None
    competencies: list[str]
    updated_at: dt.datetime

    @staticmethod
    def resolve_competencies(obj: Story) -> list[str]:
        return [c.name for c in obj.competencies.all()]


class StoryPage(Page):
    items: list[StoryOut]


class StoryIn(Schema):
    title: Text = Field(max_length=200)
    challenge: Text = Field(max_length=20_000)
    action: Text = Field(max_length=20_000)
    result: Text = Field(max_length=20_000)
    organization_name: Text = Field("", max_length=200)
    role: Text = Field("", max_length=200)
    year: int | None = None
    strength: int = 3
    competency_ids: list[RefId] = Field([], max_length=50)


@router.get("", response=StoryPage, operation_id="listStories")
def list_stories(request: HttpRequest, cursor: str | None = None, limit: Limit = 50) -> dict:
    rows = Story.objects.owned_by(reader(request)).prefetch_related("competencies")
    items, next_cursor = Cursor().page(rows, cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{pk}", response=StoryOut, operation_id="getStory")
def get_story(request: HttpRequest, pk: PathId) -> Story:
    return services.get_story_for(reader(request), pk)


@router.post("", response={201: StoryOut}, operation_id="createStory")
def add_story(request: HttpRequest, payload: StoryIn) -> Status[Story]:
    """Adds a story to the bank with its first revision, as the New story page does."""
    user = writer(request)
    values = payload.model_dump()
    values["competencies"] = values.pop("competency_ids")
    form = submit(StoryForm(form_data(values), owner=user))
    with committing(request):
        story = services.create_story(owner=user, **form.cleaned_data)
    return Status(201, services.get_story_for(user, story.pk))
