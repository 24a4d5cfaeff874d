from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from careertips.core.models import OwnedModel, OwnedQuerySet, TimeStampedModel


class Stage(models.TextChoices):
    INTERESTED = "interested", "Interested"
    APPLIED = "applied", "Applied"
    SCREENING = "screening", "Screening"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    TURNED_DOWN = "turned_down", "Turned down"
    WITHDRAWN = "withdrawn", "Withdrawn"
    OFFER_DECLINED = "offer_declined", "Offer declined"
    NO_RESPONSE = "no_response", "No response"


ACTIVE_STAGES = [Stage.INTERESTED, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER]
CLOSED_STAGES = [Stage.ACCEPTED, Stage.TURNED_DOWN, Stage.WITHDRAWN, Stage.OFFER_DECLINED]
WAITING_STAGES = [Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING]

# Where an opportunity may go from each stage. Forward moves may skip steps (a recruiter can
# call before you apply); the employer's "no" ends it; "no response" can still come back to life.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.INTERESTED: (Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.WITHDRAWN),
    Stage.APPLIED: (
        Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.TURNED_DOWN, Stage.WITHDRAWN,
        Stage.NO_RESPONSE,
    ),
    Stage.SCREENING: (
        Stage.INTERVIEWING, Stage.OFFER, Stage.TURNED_DOWN, Stage.WITHDRAWN, Stage.NO_RESPONSE,
    ),
    Stage.INTERVIEWING: (Stage.OFFER, Stage.TURNED_DOWN, Stage.WITHDRAWN, Stage.NO_RESPONSE),
    Stage.OFFER: (Stage.ACCEPTED, Stage.OFFER_DECLINED, Stage.TURNED_DOWN, Stage.WITHDRAWN),
    Stage.NO_RESPONSE: (
        Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.TURNED_DOWN, Stage.WITHDRAWN,
    ),
    Stage.ACCEPTED: (),
    Stage.TURNED_DOWN: (),
    Stage.WITHDRAWN: (),
    Stage.OFFER_DECLINED: (),
}  # fmt: skip


class Source(models.TextChoices):
    REFERRAL = "referral", "Referral"
    JOB_BOARD = "job_board", "Job board"
    RECRUITER = "recruiter", "Recruiter"
    NETWORK = "network", "Network"
    DIRECT = "direct", "Direct (company site)"


class WorkMode(models.TextChoices):
    ONSITE = "onsite", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class OpportunityQuerySet(OwnedQuerySet):
    def open(self) -> OpportunityQuerySet:
        return self.filter(stage__in=[*ACTIVE_STAGES, Stage.NO_RESPONSE])

    def awaiting_follow_up(self, *, today: dt.date, days: int) -> OpportunityQuerySet:
        """Applications with no reply for `days` days since applying or the last follow-up."""
        cutoff = today - dt.timedelta(days=days)
        return self.filter(stage=Stage.APPLIED, applied_on__lte=cutoff).filter(
            Q(followed_up_on__isnull=True) | Q(followed_up_on__lte=cutoff)
        )


class Opportunity(OwnedModel):
    """A role at an employer, from first interest to a decision."""

    organization = models.ForeignKey(
        "network.Organization", on_delete=models.PROTECT, related_name="opportunities"
    )
    title = models.CharField("role title", max_length=200)
    posting_url = models.URLField("posting URL", blank=True, max_length=1000)
    description = models.TextField(blank=True, max_length=50_000)
    location = models.CharField(max_length=200, blank=True)
    work_mode = models.CharField(
        max_length=10, choices=WorkMode.choices, default=WorkMode.ONSITE, blank=True
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.JOB_BOARD)
    pay_min = models.PositiveIntegerField(null=True, blank=True)
    pay_max = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    found_on = models.DateField(default=timezone.localdate)
    applied_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    followed_up_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, max_length=20_000)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.INTERESTED)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    hiring_manager = models.ForeignKey(
        "network.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_opportunities",
    )

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "opportunities"
        ordering = ["-stage_changed_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "stage"]),
            models.Index(fields=["owner", "-stage_changed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pay_min__isnull=True)
                | Q(pay_max__isnull=True)
                | Q(pay_min__lte=F("pay_max")),
                name="opportunity_pay_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(applied_on__isnull=True) | Q(applied_on__gte=F("found_on")),
                name="opportunity_applied_after_found",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="opportunity_stage_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.organization}"

    @property
    def is_open(self) -> bool:
        return self.stage in ACTIVE_STAGES or self.stage == Stage.NO_RESPONSE

    @property
    def allowed_stages(self) -> list[tuple[str, str]]:
        return [(s, Stage(s).label) for s in TRANSITIONS[self.stage]]

    def can_move_to(self, stage: str) -> bool:
        return stage in TRANSITIONS.get(self.stage, ())

    @property
    def pay_range(self) -> str:
        if self.pay_min is None and self.pay_max is None:
            return ""
        low = f"{self.pay_min:,}" if self.pay_min is not None else "?"
        high = f"{self.pay_max:,}" if self.pay_max is not None else "?"
        return f"{low}–{high} {self.currency}" if low != high else f"{low} {self.currency}"


class StageChange(models.Model):
    """One move of an opportunity between stages; the history is never edited."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["opportunity", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.from_stage or 'new'} → {self.to_stage}"


class Interview(TimeStampedModel):
    class Kind(models.TextChoices):
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video"
        ONSITE = "onsite", "On-site"
        PANEL = "panel", "Panel"

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="interviews"
    )
    scheduled_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.VIDEO)
    interviewers = models.ManyToManyField("network.Contact", blank=True, related_name="interviews")
    prep_notes = models.TextField(blank=True, max_length=20_000)
    thank_you_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheduled_at", "id"]
        indexes = [models.Index(fields=["opportunity", "scheduled_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} interview, {self.scheduled_at:%Y-%m-%d}"

    @property
    def owner_id(self) -> int:
        return self.opportunity.owner_id

    @property
    def is_past(self) -> bool:
        return self.scheduled_at < timezone.now()
