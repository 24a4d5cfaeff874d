"""Debriefs: read them, log an attempt to reach the hiring manager, record what they said."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from careertips.api.auth import reader, writer
from careertips.api.endpoints.common import Cursor, Limit, Page, PathId, Text, form_data, submit
from careertips.api.writes import committing
from careertips.debriefs import services
from careertips.debriefs.forms import AttemptForm, FeedbackForm
from careertips.debriefs.models import CallAttempt, CallChannel, CallOutcome, Debrief, Theme

router = Router(tags=["Debriefs"])


class AttemptOut(Schema):
    id: int
    attempted_at: dt.datetime
    channel: str
    outcome: str
    note: str


class ThemeOut(Schema):
    theme: str
    detail: str


class DebriefCard(Schema):
    id: int
    opportunity_id: int
    status: str
    call_by: dt.date
    contact_id: int | None
    created_at: dt.datetime
    closed_at: dt.datetime | None


class DebriefOut(DebriefCard):
    feedback: str
    feedback_recorded_at: dt.datetime | None
    thank_you_sent_at: dt.datetime | None
    attempts: list[AttemptOut]
    themes: list[ThemeOut]

    @staticmethod
    def resolve_attempts(obj: Debrief) -> list[CallAttempt]:
        return list(obj.attempts.all())

    @staticmethod
    def resolve_themes(obj: Debrief) -> list[object]:
        return list(obj.themes.all())


class DebriefPage(Page):
    items: list[DebriefCard]


class AttemptIn(Schema):
    attempted_at: dt.datetime | None = Field(None, description="When; now if left out.")
    channel: CallChannel = CallChannel.PHONE
    outcome: CallOutcome
    note: Text = Field("", max_length=1000)


class ThemeIn(Schema):
    theme: Theme
    detail: Text = Field("", max_length=200)


class FeedbackIn(Schema):
    feedback: Text = Field("", max_length=20_000)
    themes: list[ThemeIn] = Field([], max_length=len(Theme.values))


@router.get("", response=DebriefPage, operation_id="listDebriefs")
def list_debriefs(request: HttpRequest, cursor: str | None = None, limit: Limit = 50) -> dict:
    rows = Debrief.objects.owned_by(reader(request))
    items, next_cursor = Cursor().page(rows, cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{pk}", response=DebriefOut, operation_id="getDebrief")
def get_debrief(request: HttpRequest, pk: PathId) -> Debrief:
    return services.get_debrief_for(reader(request), pk)


@router.post("/{pk}/attempts", response={201: AttemptOut}, operation_id="logAttempt")
def log_attempt(request: HttpRequest, pk: PathId, payload: AttemptIn) -> Status[object]:
    """Records one try at reaching them, as the debrief page does."""
    debrief = services.get_debrief_for(writer(request), pk)
    values = {"attempted_at": timezone.now(), **payload.model_dump(exclude_none=True)}
    data = submit(AttemptForm(form_data(values))).cleaned_data
    with committing(request):
        attempt = services.log_attempt(
            debrief=debrief,
            channel=data["channel"],
            outcome=data["outcome"],
            note=data["note"],
            when=data["attempted_at"],
        )
    return Status(201, attempt)


@router.put("/{pk}/feedback", response=DebriefOut, operation_id="recordFeedback")
def record_feedback(request: HttpRequest, pk: PathId, payload: FeedbackIn) -> Debrief:
    """Saves what was heard; the themes become exactly the ones given."""
    user = writer(request)
    debrief = services.get_debrief_for(user, pk)
    values: dict[str, object] = {
        "feedback": payload.feedback,
        "themes": [t.theme for t in payload.themes],
        **{f"detail_{t.theme}": t.detail for t in payload.themes},
    }
    form = submit(FeedbackForm(form_data(values), debrief=debrief))
    with committing(request):
        services.record_feedback(
            debrief=debrief, feedback=form.cleaned_data["feedback"], themes=form.chosen_themes()
        )
    return services.get_debrief_for(user, pk)
