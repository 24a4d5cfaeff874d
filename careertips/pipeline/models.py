from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from django.db import models
from django.db.models import BooleanField, Case, Count, F, Q, Value, When
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from careertips.core.constraints import CheckConstraint
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


# (value, label) of each stage's allowed moves, for the move forms the board renders by the hundred.
ALLOWED_CHOICES: dict[str, list[tuple[str, str]]] = {
    stage: [(to, Stage(to).label) for to in targets] for stage, targets in TRANSITIONS.items()
}


class Source(models.TextChoices):
    REFERRAL = "referral", "Referral"
    JOB_BOARD = "job_board", "Job board"
    RECRUITER = "recruiter", "Recruiter"
    NETWORK = "network", "Network"
    DIRECT = "direct", "Direct (company site)"


# Pay is recorded in one of these currencies (ISO 4217 codes, the ones job postings use most).
CURRENCIES: dict[str, str] = {
    "USD": "US dollar", "EUR": "Euro", "GBP": "Pound sterling", "CAD": "Canadian dollar",
    "AUD": "Australian dollar", "NZD": "New Zealand dollar", "CHF": "Swiss franc",
    "JPY": "Japanese yen", "CNY": "Chinese yuan", "HKD": "Hong Kong dollar",
    "SGD": "Singapore dollar", "INR": "Indian rupee", "KRW": "South Korean won",
    "SEK": "Swedish krona", "NOK": "Norwegian krone", "DKK": "Danish krone",
    "PLN": "Polish zloty", "CZK": "Czech koruna", "HUF": "Hungarian forint",
    "RON": "Romanian leu", "TRY": "Turkish lira", "ILS": "Israeli shekel",
    "AED": "UAE dirham", "SAR": "Saudi riyal", "ZAR": "South African rand",
    "NGN": "Nigerian naira", "KES": "Kenyan shilling", "EGP": "Egyptian pound",
    "MXN": "Mexican peso", "BRL": "Brazilian real", "ARS": "Argentine peso",
    "CLP": "Chilean peso", "COP": "Colombian peso", "PHP": "Philippine peso",
    "IDR": "Indonesian rupiah", "MYR": "Malaysian ringgit", "THB": "Thai baht",
    "VND": "Vietnamese dong", "TWD": "New Taiwan dollar", "PKR": "Pakistani rupee",
}  # fmt: skip
CURRENCY_CHOICES = [(code, f"{code} — {name}") for code, name in CURRENCIES.items()]


def follow_up_due_q(*, today: dt.date, days: int) -> Q:
    """Applications with no reply for `days` days since applying or the last follow-up."""
    return follow_up_due_since_q(today - dt.timedelta(days=days))


def follow_up_due_since_q(cutoff: dt.date) -> Q:
    """Applications with no reply since `cutoff` or before, from applying or a follow-up."""
    return Q(stage=Stage.APPLIED, applied_on__lte=cutoff) & (
        Q(followed_up_on__isnull=True) | Q(followed_up_on__lte=cutoff)
    )


class WorkMode(models.TextChoices):
    ONSITE = "onsite", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


# The columns a board card or a list row reads; long texts stay in the database.
CARD_FIELDS = [
    "owner", "organization", "title", "location", "work_mode", "source", "pay_min",
    "pay_max", "currency", "applied_on", "followed_up_on", "stage", "stage_changed_at",
]  # fmt: skip


class OpportunityQuerySet(OwnedQuerySet):
    def owned_by(self, user: Any) -> OpportunityQuerySet:
        return cast(OpportunityQuerySet, super().owned_by(user))

    def open(self) -> OpportunityQuerySet:
        return self.filter(stage__in=[*ACTIVE_STAGES, Stage.NO_RESPONSE])

    def closed(self) -> OpportunityQuerySet:
        return self.filter(stage__in=CLOSED_STAGES)

    def awaiting_follow_up(self, *, cutoff: dt.date) -> OpportunityQuerySet:
        """Applications with no reply since `cutoff` or before, from applying or a follow-up
        (the member's today less their follow-up delay)."""
        return self.filter(follow_up_due_since_q(cutoff))

    def with_follow_up_due(self, *, today: dt.date, days: int) -> OpportunityQuerySet:
        """Annotates `follow_up_due` so a page can flag rows without a query per row."""
        return self.annotate(
            follow_up_due=Case(
                When(follow_up_due_q(today=today, days=days), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    def search(self, text: str) -> OpportunityQuerySet:
        """Every word must appear in the title, the employer's name or the location."""
        qs = self
        for word in text.split()[:10]:
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(organization__name__icontains=word)
                | Q(location__icontains=word)
            )
        return qs

    def stage_counts(self) -> dict[str, int]:
        """How many opportunities sit in each stage, in one aggregate query."""
        rows = self.order_by().values("stage").annotate(n=Count("id"))
        return {row["stage"]: row["n"] for row in rows}

    def latest_per_stage(self, *, owner_id: int, limits: Mapping[str, int]) -> OpportunityQuerySet:
        """Of the owner's opportunities, the `limits[stage]` most recently moved of each stage
        named, in one query."""
        if not limits:
            return self.none()
        # Each stage's rows are read straight off the (owner, stage, moved) index under a
        # LIMIT of their own: a window ranking every row of the owner costs more as a search
        # grows, and a dozen ORM subqueries cost more to compile than to run.
        table = self.model._meta.db_table
        per_stage = (
            f"SELECT id FROM (SELECT id FROM {table} WHERE owner_id = %s AND stage = %s "  # noqa: S608 -- the model's own table; values are parameters
            "ORDER BY stage_changed_at DESC, id DESC LIMIT %s) AS stage_{n}"
        )
        sql = " UNION ALL ".join(per_stage.format(n=n) for n in range(len(limits)))
        params = [value for stage, limit in limits.items() for value in (owner_id, stage, limit)]
        return self.filter(pk__in=RawSQL(sql, params))  # noqa: S611 -- no text from outside

    def for_cards(self) -> OpportunityQuerySet:
        """Only what a card or a list row shows, with the employer's name."""
        return self.select_related("organization").only(*CARD_FIELDS, "organization__name")


class Opportunity(OwnedModel):
    """A role at an employer, from first interest to a decision."""

    organization = models.ForeignKey(
        "network.Organization", on_delete=models.RESTRICT, related_name="opportunities"
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
    currency = models.CharField(
        max_length=3,
        default="USD",
        choices=CURRENCY_CHOICES,
    )
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
    referred_by = models.ForeignKey(
        "network.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referred_opportunities",
    )

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "opportunities"
        ordering = ["-stage_changed_at", "-id"]
        indexes = [
            # The board reads the latest cards of each stage; the list the latest of all.
            models.Index(fields=["owner", "stage", "-stage_changed_at"]),
            models.Index(fields=["owner", "-stage_changed_at"]),
            # Insights count applications per week and time replies from the application.
            models.Index(fields=["owner", "applied_on"]),
        ]
        constraints = [
            CheckConstraint(
                condition=Q(pay_min__isnull=True)
                | Q(pay_max__isnull=True)
                | Q(pay_min__lte=F("pay_max")),
                name="opportunity_pay_range_ordered",
            ),
            CheckConstraint(
                condition=Q(applied_on__isnull=True) | Q(applied_on__gte=F("found_on")),
                name="opportunity_applied_after_found",
            ),
            CheckConstraint(condition=Q(stage__in=Stage.values), name="opportunity_stage_valid"),
            CheckConstraint(
                condition=Q(currency__in=list(CURRENCIES)),
                name="opportunity_currency_known",
                violation_error_message="Choose a currency from the list.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("pipeline:detail", args=[self.pk])

    @property
    def people(self) -> list[Any]:
        """The hiring manager and whoever referred you, each once."""
        found = [self.hiring_manager, self.referred_by]
        return [p for i, p in enumerate(found) if p is not None and p not in found[:i]]

    @property
    def is_open(self) -> bool:
        return self.stage in ACTIVE_STAGES or self.stage == Stage.NO_RESPONSE

    @property
    def allowed_stages(self) -> list[tuple[str, str]]:
        return list(ALLOWED_CHOICES[self.stage])

    def can_move_to(self, stage: str) -> bool:
        return stage in TRANSITIONS.get(self.stage, ())

    def follow_up_due_on(self, *, days: int) -> dt.date | None:
        """When a follow-up becomes due; None unless the application is waiting for a reply."""
        if self.stage != Stage.APPLIED or self.applied_on is None:
            return None
        last = max(self.applied_on, self.followed_up_on or self.applied_on)
        return last + dt.timedelta(days=days)

    def is_follow_up_due(self, *, today: dt.date, days: int) -> bool:
        due_on = self.follow_up_due_on(days=days)
        return due_on is not None and due_on <= today

    @property
    def pay_range(self) -> str:
        return format_pay_range(self.pay_min, self.pay_max, self.currency)


def format_pay_range(pay_min: int | None, pay_max: int | None, currency: str) -> str:
    """A pay range as a card or a row shows it: "80,000–95,000 EUR", "80,000–? EUR"."""
    if pay_min is None and pay_max is None:
        return ""
    low = f"{pay_min:,}" if pay_min is not None else "?"
    high = f"{pay_max:,}" if pay_max is not None else "?"
    return f"{low}–{high} {currency}" if low != high else f"{low} {currency}"


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


class CaptureStatus(models.TextChoices):
    READING = "reading", "Reading the page"
    READY = "ready", "Ready for review"
    FAILED = "failed", "Could not be read"


class PostingCapture(OwnedModel):
    """A posting address the member pasted, read by the task worker; the result prefills the
    opportunity form for review. Nothing becomes an opportunity until the member saves it."""

    Status = CaptureStatus

    url = models.URLField("posting URL", max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READING)
    error = models.CharField(max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            CheckConstraint(
                condition=Q(status__in=CaptureStatus.values),
                name="posting_capture_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def is_reading(self) -> bool:
        return self.status == self.Status.READING


class OpportunityImport(OwnedModel):
    """A spreadsheet of opportunities, read and checked, waiting for the member to confirm it.

    `headers` are the file's column names and `mapping` what each column holds (a key of
    `pipeline.importers.FIELDS`, "" for a column left out); `stage_map` is what the member
    said each status of the file means. `rows` keep each line's cells and, checked against
    the mapping, its fields, problems and action.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", "Waiting for confirmation"
        APPLYING = "applying", "Importing"
        APPLIED = "applied", "Imported"
        DISCARDED = "discarded", "Discarded"

    filename = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=10, default="csv")
    encoding = models.CharField(max_length=20, default="utf-8")
    preset = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=list)
    stage_map = models.JSONField(default=dict)
    rows = models.JSONField(default=list)
    notes = models.JSONField(default=list, help_text="Remarks about the file as a whole.")
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            CheckConstraint(
                condition=Q(status__in=["preview", "applying", "applied", "discarded"]),
                name="opportunity_import_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Opportunity import: {self.filename or 'upload'}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PREVIEW

    @property
    def is_applying(self) -> bool:
        return self.status == self.Status.APPLYING
