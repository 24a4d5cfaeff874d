"""Offers for an opportunity, the worksheet for negotiating each, and the member's exchange
rates for comparing offers across currencies.

The tables keep the names they had when these models lived in the pipeline app (each Meta
names its `db_table`), so moving the models moved no data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from careertips.core.constraints import CheckConstraint
from careertips.core.models import OwnedModel, OwnedQuerySet, TimeStampedModel
from careertips.pipeline.models import CURRENCIES, CURRENCY_CHOICES

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

    opportunity = models.ForeignKey(
        "pipeline.Opportunity", on_delete=models.CASCADE, related_name="offers"
    )
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
        db_table = "pipeline_offer"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["opportunity", "-received_on"])]
        constraints = [
            CheckConstraint(
                condition=Q(base_salary__gt=0, base_salary__lte=MAX_OFFER_AMOUNT),
                name="offer_base_salary_range",
            ),
            CheckConstraint(
                condition=_amount_capped("bonus_amount")
                & _amount_capped("equity_amount")
                & _amount_capped("sign_on_bonus")
                & _amount_capped("benefits_value"),
                name="offer_amounts_capped",
            ),
            CheckConstraint(
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
            CheckConstraint(
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
            CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__gte=F("received_on")),
                name="offer_start_after_offer",
                violation_error_message="The start date cannot be before the offer date.",
            ),
            CheckConstraint(
                condition=Q(decision_deadline__isnull=True)
                | Q(decision_deadline__gte=F("received_on")),
                name="offer_deadline_after_offer",
                violation_error_message="The decision deadline cannot be before the offer date.",
            ),
            CheckConstraint(
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
        db_table = "pipeline_negotiation"
        constraints = [
            CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gt=0, target__lte=MAX_OFFER_AMOUNT),
                name="negotiation_target_range",
            ),
            CheckConstraint(
                condition=Q(walk_away__isnull=True)
                | Q(walk_away__gt=0, walk_away__lte=MAX_OFFER_AMOUNT),
                name="negotiation_walk_away_range",
            ),
            CheckConstraint(
                condition=Q(target__isnull=True)
                | Q(walk_away__isnull=True)
                | Q(walk_away__lte=F("target")),
                name="negotiation_walk_away_not_above_target",
                violation_error_message="Your walk-away cannot be above your target.",
            ),
            CheckConstraint(
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
        db_table = "pipeline_marketfigure"
        ordering = ["-observed_on", "-id"]
        constraints = [
            CheckConstraint(condition=~Q(source=""), name="marketfigure_has_source"),
            CheckConstraint(
                condition=Q(low__gt=0, low__lte=F("high"), high__lte=MAX_OFFER_AMOUNT),
                name="marketfigure_range_ordered",
                violation_error_message="The high figure cannot be below the low one.",
            ),
            CheckConstraint(
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
        db_table = "pipeline_negotiationstep"
        ordering = ["happened_on", "recorded_at", "id"]
        indexes = [models.Index(fields=["negotiation", "happened_on"])]
        constraints = [
            CheckConstraint(condition=~Q(asked=""), name="negotiationstep_has_ask"),
            CheckConstraint(
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
        db_table = "pipeline_exchangerate"
        ordering = ["from_currency", "to_currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "from_currency", "to_currency"],
                name="exchangerate_one_per_pair",
            ),
            CheckConstraint(
                condition=~Q(from_currency=F("to_currency")),
                name="exchangerate_two_currencies",
                violation_error_message="Choose two different currencies.",
            ),
            CheckConstraint(condition=Q(rate__gt=0), name="exchangerate_rate_positive"),
            CheckConstraint(
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
