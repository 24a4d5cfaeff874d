"""What a coach reads of a member's search, scope by scope. Every read goes through a
helper here that answers 404 unless the member shares that scope with the coach right now,
and the views log each read with its scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone

from careertips.coaching.models import Scope, Sharing
from careertips.core.access import owned_or_404, require_role
from careertips.core.models import User
from careertips.core.roles import Role
from careertips.debriefs.models import Debrief, FeedbackTheme, ImprovementAction
from careertips.network.models import Contact
from careertips.offers.models import Offer
from careertips.pipeline.models import ACTIVE_STAGES, Interview, Opportunity, Stage
from careertips.stories.models import Gap, Story

SCOPE_ROWS = 50


def get_sharing_for_coach(coach: Any, member: User, scope: str) -> Sharing:
    """The sharing that lets the coach read this scope of the member's search; 404 when the
    member does not share it (or has stopped sharing altogether)."""
    require_role(coach, Role.COACH, "client")
    sharing = Sharing.objects.filter(member=member, coach=coach, member__is_active=True).first()
    if sharing is None or not sharing.allows(scope):
        raise Http404("No such client page.")
    return sharing


def _need(scope: str, wanted: Scope) -> None:
    if scope != wanted:
        raise Http404("Not shared in this scope.")


def get_debrief_for_coach(
    coach: Any, member: User, pk: Any, scope: str = Scope.DEBRIEFS
) -> Debrief:
    _need(scope, Scope.DEBRIEFS)
    get_sharing_for_coach(coach, member, scope)
    rows = Debrief.objects.owned_by(member).select_related("opportunity__organization", "contact")
    debrief = owned_or_404(rows.prefetch_related("themes", "attempts"), pk, "debrief")
    debrief.action_rows = list(ImprovementAction.objects.filter(debrief=debrief))  # type: ignore[attr-defined]
    return debrief


def get_story_for_coach(coach: Any, member: User, pk: Any, scope: str = Scope.STORIES) -> Story:
    _need(scope, Scope.STORIES)
    get_sharing_for_coach(coach, member, scope)
    return owned_or_404(
        Story.objects.owned_by(member).prefetch_related("competencies"), pk, "story"
    )


def get_prep_for_coach(coach: Any, member: User, pk: Any, scope: str = Scope.STORIES) -> Any:
    """The prep sheet of one of the member's interviews (pk is the interview's)."""
    from careertips.stories.reports import prep_sheet

    _need(scope, Scope.STORIES)
    get_sharing_for_coach(coach, member, scope)
    rows = Interview.objects.filter(opportunity__owner=member).select_related(
        "opportunity__organization"
    )
    return prep_sheet(interview=owned_or_404(rows, pk, "prep sheet"))


def get_offer_for_coach(coach: Any, member: User, pk: Any, scope: str = Scope.OFFERS) -> Offer:
    _need(scope, Scope.OFFERS)
    get_sharing_for_coach(coach, member, scope)
    rows = Offer.objects.filter(opportunity__owner=member).select_related(
        "opportunity__organization"
    )
    return owned_or_404(rows.prefetch_related("negotiation__steps"), pk, "offer")


@transaction.atomic
def set_scopes(*, member: User, coach_id: int, scopes: set[str]) -> Sharing:
    """Switches each part of the search on or off for one coach, as the member chose."""
    rows = Sharing.objects.select_for_update().filter(member=member, coach_id=coach_id)
    sharing = rows.first()
    if sharing is None:
        raise Http404("You do not share with that coach.")
    for scope in Scope.values:
        setattr(sharing, scope, scope in scopes)
    sharing.save(update_fields=Scope.values)
    return sharing


@dataclass
class ScopeView:
    """One scope of a member's search as their coach reads it."""

    scope: str
    label: str
    rows: dict[str, list[Any]] = field(default_factory=dict)
    stages: list[tuple[str, int]] = field(default_factory=list)


def _pipeline(member: User, now: dt.datetime) -> ScopeView:
    counts = Opportunity.objects.filter(owner=member).stage_counts()
    return ScopeView(
        Scope.PIPELINE,
        Scope.PIPELINE.label,
        stages=[(str(label), counts[value]) for value, label in Stage.choices if counts.get(value)],
        rows={
            "opportunities": list(
                Opportunity.objects.filter(owner=member, stage__in=ACTIVE_STAGES)
                .select_related("organization")
                .order_by("-stage_changed_at", "-id")[:SCOPE_ROWS]
            ),
            "interviews": list(
                Interview.objects.filter(opportunity__owner=member, scheduled_at__gte=now)
                .select_related("opportunity__organization")
                .order_by("scheduled_at")[:SCOPE_ROWS]
            ),
        },
    )


def _debriefs(member: User, now: dt.datetime) -> ScopeView:
    rows = (
        Debrief.objects.owned_by(member)
        .select_related("opportunity__organization", "contact")
        .prefetch_related(Prefetch("themes", queryset=FeedbackTheme.objects.order_by("id")))
        .annotate(pending_actions=Count("actions", distinct=True))
        .order_by("-created_at", "-id")[:SCOPE_ROWS]
    )
    return ScopeView(Scope.DEBRIEFS, Scope.DEBRIEFS.label, rows={"debriefs": list(rows)})


def _stories(member: User, now: dt.datetime) -> ScopeView:
    upcoming = (
        Interview.objects.filter(opportunity__owner=member, scheduled_at__gte=now)
        .select_related("opportunity__organization")
        .order_by("scheduled_at")[:SCOPE_ROWS]
    )
    return ScopeView(
        Scope.STORIES,
        Scope.STORIES.label,
        rows={
            "stories": list(Story.objects.owned_by(member).order_by("-updated_at")[:SCOPE_ROWS]),
            "gaps": list(Gap.objects.owned_by(member).order_by("-created_at")[:SCOPE_ROWS]),
            "prep": list(upcoming),
        },
    )


def _offers(member: User, now: dt.datetime) -> ScopeView:
    rows = (
        Offer.objects.filter(opportunity__owner=member)
        .current()
        .select_related("opportunity__organization")
        .order_by("decision_deadline", "-id")[:SCOPE_ROWS]
    )
    return ScopeView(Scope.OFFERS, Scope.OFFERS.label, rows={"offers": list(rows)})


def _network(member: User, now: dt.datetime) -> ScopeView:
    rows = Contact.objects.owned_by(member).select_related("organization").order_by("name")
    return ScopeView(Scope.NETWORK, Scope.NETWORK.label, rows={"contacts": list(rows[:SCOPE_ROWS])})


READERS = {
    Scope.PIPELINE: _pipeline,
    Scope.DEBRIEFS: _debriefs,
    Scope.STORIES: _stories,
    Scope.OFFERS: _offers,
    Scope.NETWORK: _network,
}


def scope_view(member: User, scope: str) -> ScopeView:
    """What the coach reads in one scope; call only after get_sharing_for_coach (or for the
    member's own preview)."""
    return READERS[Scope(scope)](member, timezone.now())
