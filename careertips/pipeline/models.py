from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db import models
from django.db.models import BooleanField, Case, Count, F, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
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
    cutoff = today - dt.timedelta(days=days)
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

    def awaiting_follow_up(self, *, today: dt.date, days: int) -> OpportunityQuerySet:
        """Applications with no reply for `days` days since applying or the last follow-up."""
        return self.filter(follow_up_due_q(today=today, days=days))

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

    def latest_per_stage(
        self, *, limit: int, closed_limit: int | None = None
    ) -> OpportunityQuerySet:
        """The most recently moved opportunities of each stage, in one query: `limit` of each
        open stage and `closed_limit` (default `limit`) of each closed one."""
        return self.annotate(
            stage_rank=Window(
                RowNumber(),
                partition_by=[F("stage")],
                order_by=[F("stage_changed_at").desc(), F("id").desc()],
            ),
            stage_limit=Case(
                When(stage__in=CLOSED_STAGES, then=Value(closed_limit or limit)),
                default=Value(limit),
            ),
        ).filter(stage_rank__lte=F("stage_limit"))

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

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "opportunities"
        ordering = ["-stage_changed_at", "-id"]
        indexes = [
            # The board reads the latest cards of each stage; the list the latest of all.
            models.Index(fields=["owner", "stage", "-stage_changed_at"]),
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
            models.CheckConstraint(
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


# Offers and negotiation

# Pay on an offer is counted in whole units of its currency. The cap leaves room for currencies
# such as the dong or the rupiah, where a yearly salary runs to billions, and refuses the rest.
MAX_OFFER_AMOUNT = 999_999_999_999
MAX_BONUS_PERCENT = 200
MAX_VESTING_YEARS = 10


class BonusKind(models.TextChoices):
    NONE = "none", "No bonus"
    AMOUNT = "amount", "A target amount"
    PERCENT = "percent", "A percent of base salary"


class EquityKind(models.TextChoices):
    NONE = "none", "No equity"
    PER_YEAR = "per_year", "A value per year"
    GRANT = "grant", "A grant that vests over years"


def _amount_capped(name: str) -> Q:
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lte": MAX_OFFER_AMOUNT})


class OfferQuerySet(models.QuerySet):
    def owned_by(self, user: Any) -> OfferQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(opportunity__owner=user)

    def latest_first(self) -> OfferQuerySet:
        return self.order_by("-received_on", "-id")

    def current(self) -> OfferQuerySet:
        """The latest offer of each opportunity: a revised offer replaces the ones before it."""
        newer = Offer.objects.filter(opportunity=models.OuterRef("opportunity")).filter(
            Q(received_on__gt=models.OuterRef("received_on"))
            | Q(received_on=models.OuterRef("received_on"), id__gt=models.OuterRef("id"))
        )
        return self.filter(~models.Exists(newer))


class Offer(TimeStampedModel):
    """An employer's offer for an opportunity; a revised offer is a new row, the latest current."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="offers")
    received_on = models.DateField("offer date", default=timezone.localdate)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="USD")
    base_salary = models.PositiveBigIntegerField("base salary")
    # The bonus is stored as the member was told it: an amount, or a percent of base.
    bonus_kind = models.CharField(
        "bonus", max_length=10, choices=BonusKind.choices, default=BonusKind.NONE
    )
    bonus_amount = models.PositiveBigIntegerField("target bonus", null=True, blank=True)
    bonus_percent = models.DecimalField(
        "bonus percent", max_digits=5, decimal_places=2, null=True, blank=True
    )
    equity_kind = models.CharField(
        "equity", max_length=10, choices=EquityKind.choices, default=EquityKind.NONE
    )
    equity_amount = models.PositiveBigIntegerField("equity value", null=True, blank=True)
    vesting_years = models.PositiveSmallIntegerField("vesting years", null=True, blank=True)
    sign_on_bonus = models.PositiveBigIntegerField("sign-on bonus", default=0, blank=True)
    benefits = models.TextField(blank=True, max_length=5_000)
    benefits_value = models.PositiveBigIntegerField(
        "benefits value per year", null=True, blank=True
    )
    start_date = models.DateField(null=True, blank=True)
    decision_deadline = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, max_length=20_000)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["opportunity", "-received_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(base_salary__gt=0, base_salary__lte=MAX_OFFER_AMOUNT),
                name="offer_base_salary_range",
            ),
            models.CheckConstraint(
                condition=_amount_capped("bonus_amount")
                & _amount_capped("equity_amount")
                & _amount_capped("sign_on_bonus")
                & _amount_capped("benefits_value"),
                name="offer_amounts_capped",
            ),
            models.CheckConstraint(
                condition=Q(
                    bonus_kind=BonusKind.NONE, bonus_amount__isnull=True, bonus_percent__isnull=True
                )
                | Q(
                    bonus_kind=BonusKind.AMOUNT,
                    bonus_amount__isnull=False,
                    bonus_percent__isnull=True,
                )
                | Q(
                    # A CHECK passes on NULL: comparisons alone would let a missing value by.
                    bonus_kind=BonusKind.PERCENT,
                    bonus_amount__isnull=True,
                    bonus_percent__isnull=False,
                    bonus_percent__gt=0,
                    bonus_percent__lte=MAX_BONUS_PERCENT,
                ),
                name="offer_bonus_explicit",
            ),
            models.CheckConstraint(
                condition=Q(
                    equity_kind=EquityKind.NONE,
                    equity_amount__isnull=True,
                    vesting_years__isnull=True,
                )
                | Q(
                    equity_kind__in=[EquityKind.PER_YEAR, EquityKind.GRANT],
                    equity_amount__isnull=False,
                    vesting_years__isnull=False,
                    vesting_years__gte=1,
                    vesting_years__lte=MAX_VESTING_YEARS,
                ),
                name="offer_equity_explicit",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__gte=F("received_on")),
                name="offer_start_after_offer",
                violation_error_message="The start date cannot be before the offer date.",
            ),
            models.CheckConstraint(
                condition=Q(decision_deadline__isnull=True)
                | Q(decision_deadline__gte=F("received_on")),
                name="offer_deadline_after_offer",
                violation_error_message="The decision deadline cannot be before the offer date.",
            ),
            models.CheckConstraint(
                condition=Q(currency__in=list(CURRENCIES)),
                name="offer_currency_known",
                violation_error_message="Choose a currency from the list.",
            ),
        ]

    def __str__(self) -> str:
        return f"Offer of {self.received_on:%Y-%m-%d} for {self.opportunity_id}"

    @property
    def owner_id(self) -> int:
        return self.opportunity.owner_id

    @property
    def bonus_value(self) -> int:
        """The yearly target bonus in the offer's currency, whichever way it was given."""
        if self.bonus_kind == BonusKind.AMOUNT:
            return self.bonus_amount or 0
        if self.bonus_kind == BonusKind.PERCENT and self.bonus_percent is not None:
            # Decimal arithmetic, rounded to whole units like every other amount here.
            return round(self.base_salary * self.bonus_percent / 100)
        return 0

    @property
    def equity_per_year(self) -> int:
        if self.equity_kind == EquityKind.PER_YEAR:
            return self.equity_amount or 0
        if self.equity_kind == EquityKind.GRANT and self.equity_amount and self.vesting_years:
            # Whole-unit division rounding half up, without a float in between.
            return (2 * self.equity_amount + self.vesting_years) // (2 * self.vesting_years)
        return 0

    @property
    def annualised_value(self) -> int:
        """What a typical year is worth: everything but the one-time sign-on bonus."""
        return (
            self.base_salary + self.bonus_value + self.equity_per_year + (self.benefits_value or 0)
        )

    @property
    def first_year_value(self) -> int:
        return self.annualised_value + self.sign_on_bonus

    def is_deadline_passed(self, *, today: dt.date) -> bool:
        return self.decision_deadline is not None and self.decision_deadline < today


class Negotiation(TimeStampedModel):
    """The worksheet for negotiating one offer: targets, market figures, the case, the log."""

    class Basis(models.TextChoices):
        BASE = "base", "Base salary"
        ANNUAL = "annual", "Annualised total (base, bonus, equity, benefits)"

    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="negotiation")
    basis = models.CharField(
        "targets are for", max_length=10, choices=Basis.choices, default=Basis.BASE
    )
    target = models.PositiveBigIntegerField(null=True, blank=True)
    walk_away = models.PositiveBigIntegerField("walk-away", null=True, blank=True)
    stories = models.ManyToManyField("stories.Story", blank=True, related_name="negotiations")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gt=0, target__lte=MAX_OFFER_AMOUNT),
                name="negotiation_target_range",
            ),
            models.CheckConstraint(
                condition=Q(walk_away__isnull=True)
                | Q(walk_away__gt=0, walk_away__lte=MAX_OFFER_AMOUNT),
                name="negotiation_walk_away_range",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True)
                | Q(walk_away__isnull=True)
                | Q(walk_away__lte=F("target")),
                name="negotiation_walk_away_not_above_target",
                violation_error_message="Your walk-away cannot be above your target.",
            ),
            models.CheckConstraint(
                condition=Q(basis__in=["base", "annual"]), name="negotiation_basis_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Negotiation of offer {self.offer_id}"


class MarketFigure(TimeStampedModel):
    """A pay figure the member gathered for the role: a survey, a posting, a recruiter."""

    negotiation = models.ForeignKey(
        Negotiation, on_delete=models.CASCADE, related_name="market_figures"
    )
    source = models.CharField(max_length=200)
    url = models.URLField("web address", max_length=1000, blank=True)
    low = models.PositiveBigIntegerField()
    high = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="USD")
    observed_on = models.DateField("as of", default=timezone.localdate)

    class Meta:
        ordering = ["-observed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(source=""), name="marketfigure_has_source"),
            models.CheckConstraint(
                condition=Q(low__gt=0, low__lte=F("high"), high__lte=MAX_OFFER_AMOUNT),
                name="marketfigure_range_ordered",
                violation_error_message="The high figure cannot be below the low one.",
            ),
            models.CheckConstraint(
                condition=Q(currency__in=list(CURRENCIES)), name="marketfigure_currency_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.low}–{self.high} {self.currency}"


class NegotiationStep(models.Model):
    """One ask and its answer. The log is only ever appended to, like the stage history."""

    class Outcome(models.TextChoices):
        WAITING = "waiting", "Waiting for an answer"
        AGREED = "agreed", "Agreed"
        PARTLY = "partly", "Partly agreed"
        COUNTERED = "countered", "They countered"
        DECLINED = "declined", "Declined"

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="steps")
    happened_on = models.DateField("date", default=timezone.localdate)
    asked = models.TextField("what I asked", max_length=2_000)
    answered = models.TextField("what they answered", blank=True, max_length=2_000)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.WAITING)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["happened_on", "recorded_at", "id"]
        indexes = [models.Index(fields=["negotiation", "happened_on"])]
        constraints = [
            models.CheckConstraint(condition=~Q(asked=""), name="negotiationstep_has_ask"),
            models.CheckConstraint(
                condition=Q(outcome__in=["waiting", "agreed", "partly", "countered", "declined"]),
                name="negotiationstep_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.happened_on:%Y-%m-%d}: {self.asked[:40]}"


class ExchangeRate(OwnedModel):
    """A rate the member entered to compare offers across currencies: 1 from = rate × to."""

    from_currency = models.CharField("from", max_length=3, choices=CURRENCY_CHOICES)
    to_currency = models.CharField("to", max_length=3, choices=CURRENCY_CHOICES)
    rate = models.DecimalField(max_digits=20, decimal_places=10)
    as_of = models.DateField("as of", default=timezone.localdate)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["from_currency", "to_currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "from_currency", "to_currency"],
                name="exchangerate_one_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(from_currency=F("to_currency")),
                name="exchangerate_two_currencies",
                violation_error_message="Choose two different currencies.",
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchangerate_rate_positive"),
            models.CheckConstraint(
                condition=Q(from_currency__in=list(CURRENCIES), to_currency__in=list(CURRENCIES)),
                name="exchangerate_currencies_known",
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.from_currency} = {self.rate_text} {self.to_currency}"

    @property
    def rate_text(self) -> str:
        """1.0800000000 → "1.08"; never scientific notation."""
        return f"{self.rate.normalize():f}"
