"""Forms for offers, their comparison, the negotiation worksheet and accepting an offer."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import URLValidator

from careertips.core.access import row_id_or_none
from careertips.core.forms import LongSelect
from careertips.core.models import User
from careertips.offers.models import (
    MAX_BONUS_PERCENT,
    MAX_OFFER_AMOUNT,
    MAX_VESTING_YEARS,
    BonusKind,
    EquityKind,
    Negotiation,
    NegotiationStep,
    Offer,
)
from careertips.offers.services.compare import MAX_COMPARED
from careertips.offers.services.lifecycle import DECLINE, KEEP, OFFER_FIELDS, WITHDRAW
from careertips.pipeline.forms import BAD_URL, DATE_INPUT, EARLIEST_DATE
from careertips.pipeline.models import CURRENCY_CHOICES, Opportunity, Stage
from careertips.stories.models import Story

# A start date or deadline this far after the offer is a typo in the year.
START_HORIZON = dt.timedelta(days=3 * 366)
DEADLINE_HORIZON = dt.timedelta(days=366)
MAX_RATE = Decimal(1_000_000)
# Thousands separators people type: 95,000 · 95 000 · 95_000 · 95'000.
SEPARATORS = re.compile(r"[,\s_'’]")
CHOOSE_CURRENCY = "Choose a currency from the list."


class AmountField(forms.IntegerField):
    """Whole units of a currency. Thousands separators are fine ("95,000"); cents are not."""

    default_error_messages = {"invalid": "Enter an amount in whole units, e.g. 95000."}

    def __init__(self, *, positive: bool = False, **kwargs: Any) -> None:
        self.positive = positive
        attrs = {"inputmode": "numeric", "maxlength": 20, "autocomplete": "off"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)
        # The checks in validate() say what is wrong in the member's terms.
        self.validators = []

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = SEPARATORS.sub("", value)
        return super().to_python(value)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if value < 0:
            raise forms.ValidationError("Pay cannot be negative.", code="negative")
        if value == 0 and self.positive:
            raise forms.ValidationError("Enter an amount above zero.", code="zero")
        if value > MAX_OFFER_AMOUNT:
            raise forms.ValidationError(
                f"That is more than {MAX_OFFER_AMOUNT:,}; check the number.", code="too_big"
            )


class PercentField(forms.DecimalField):
    default_error_messages = {
        "invalid": "Enter a percent such as 10 or 12.5.",
        "max_digits": f"Enter a percent up to {MAX_BONUS_PERCENT}.",
        "max_whole_digits": f"Enter a percent up to {MAX_BONUS_PERCENT}.",
        "max_decimal_places": "Use at most two decimals.",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(max_digits=5, decimal_places=2, **kwargs)

    def to_python(self, value: Any) -> Any:  # a Decimal or None; the stubs say int
        if isinstance(value, str):
            value = value.replace("%", "").strip()
        return super().to_python(value)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not 0 < value <= MAX_BONUS_PERCENT:
            raise forms.ValidationError(f"Enter a percent above 0 and up to {MAX_BONUS_PERCENT}.")


def _currency_field(**kwargs: Any) -> forms.ChoiceField:
    # A currency menu has well over a hundred options: written in Python, not per option.
    field = forms.ChoiceField(choices=CURRENCY_CHOICES, widget=LongSelect, **kwargs)
    field.error_messages["invalid_choice"] = CHOOSE_CURRENCY
    return field


def _check_past(value: dt.date, *, today: dt.date) -> dt.date:
    if value > today:
        raise forms.ValidationError("This date is in the future; use today or earlier.")
    if value < EARLIEST_DATE:
        raise forms.ValidationError("Check the year: this date is too far in the past.")
    return value


class OfferForm(forms.ModelForm):
    base_salary = AmountField(
        positive=True, label="Base salary", help_text="Yearly, in whole units of the currency."
    )
    bonus_amount = AmountField(positive=True, required=False, label="Target bonus amount")
    bonus_percent = PercentField(
        required=False, label="Bonus percent of base", help_text="e.g. 10 for 10%."
    )
    equity_amount = AmountField(
        positive=True,
        required=False,
        label="Equity value",
        help_text="The value per year, or the whole grant, as chosen above.",
    )
    vesting_years = forms.IntegerField(
        required=False,
        label="Vesting years",
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_VESTING_YEARS}),
    )
    sign_on_bonus = AmountField(required=False, label="Sign-on bonus", help_text="Paid once.")
    benefits_value = AmountField(
        required=False,
        label="Benefits value per year",
        help_text="Optional: what the benefits are worth to you in a year.",
    )

    class Meta:
        model = Offer
        fields = OFFER_FIELDS
        labels = {
            "received_on": "Offer date",
            "decision_deadline": "Decide by",
            "bonus_kind": "How the bonus is given",
            "equity_kind": "How the equity is given",
        }
        help_texts = {
            "benefits": "Health, retirement, leave, remote allowance…",
            "decision_deadline": "When they need your answer.",
        }
        widgets = {
            "received_on": DATE_INPUT,
            "start_date": DATE_INPUT,
            "decision_deadline": DATE_INPUT,
            "bonus_kind": forms.RadioSelect,
            "equity_kind": forms.RadioSelect,
            "benefits": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["currency"].error_messages["invalid_choice"] = CHOOSE_CURRENCY
        self.fields["vesting_years"].error_messages["invalid"] = "Enter a whole number of years."
        if not self.instance.pk:
            self.initial.setdefault("received_on", owner.local_today())

    def clean_received_on(self) -> dt.date:
        return _check_past(self.cleaned_data["received_on"], today=self.owner.local_today())

    def clean_vesting_years(self) -> int | None:
        years = self.cleaned_data["vesting_years"]
        if years is not None and not 1 <= years <= MAX_VESTING_YEARS:
            raise forms.ValidationError(f"Enter between 1 and {MAX_VESTING_YEARS} years.")
        return years

    def clean_sign_on_bonus(self) -> int:
        return self.cleaned_data["sign_on_bonus"] or 0

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_bonus(data)
        self._clean_equity(data)
        self._clean_dates(data)
        return data

    def _clean_bonus(self, data: dict[str, Any]) -> None:
        kind, amount, percent = (
            data.get(k) for k in ("bonus_kind", "bonus_amount", "bonus_percent")
        )
        if kind == BonusKind.NONE and (amount is not None or percent is not None):
            self.add_error(
                "bonus_kind",
                "You entered a bonus: choose whether it is an amount or a percent of base salary.",
            )
        elif kind == BonusKind.AMOUNT:
            self._require("bonus_amount", amount, "Enter the target bonus amount.")
            self._forbid("bonus_percent", percent, "Leave this empty: you chose an amount.")
        elif kind == BonusKind.PERCENT:
            self._require("bonus_percent", percent, "Enter the bonus as a percent of base salary.")
            self._forbid("bonus_amount", amount, "Leave this empty: you chose a percent of base.")

    def _clean_equity(self, data: dict[str, Any]) -> None:
        kind, amount, years = (
            data.get(k) for k in ("equity_kind", "equity_amount", "vesting_years")
        )
        if kind == EquityKind.NONE and (amount is not None or years is not None):
            self.add_error(
                "equity_kind",
                "You entered equity: choose whether it is a value per year or a grant.",
            )
        elif kind in (EquityKind.PER_YEAR, EquityKind.GRANT):
            self._require("equity_amount", amount, "Enter the equity's value.")
            self._require("vesting_years", years, "Enter over how many years it vests.")

    def _require(self, name: str, value: Any, message: str) -> None:
        if value is None and name not in self.errors:
            self.add_error(name, message)

    def _forbid(self, name: str, value: Any, message: str) -> None:
        if value is not None:
            self.add_error(name, message)

    def _clean_dates(self, data: dict[str, Any]) -> None:
        received = data.get("received_on")
        start, deadline = data.get("start_date"), data.get("decision_deadline")
        if received is None:
            return
        if start and start < received:
            self.add_error("start_date", "The start date is before the offer date.")
        elif start and start > received + START_HORIZON:
            self.add_error("start_date", "That is years after the offer; check the year.")
        if deadline and deadline < received:
            self.add_error("decision_deadline", "The decision deadline is before the offer date.")
        elif deadline and deadline > received + DEADLINE_HORIZON:
            self.add_error("decision_deadline", "That is over a year after the offer; check it.")

    def offer_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in OFFER_FIELDS}

    @property
    def deadline_passed(self) -> dt.date | None:
        """The decision deadline when it is already behind the member: allowed, but flagged."""
        deadline = self.cleaned_data.get("decision_deadline")
        return deadline if deadline and deadline < self.owner.local_today() else None


class TargetsForm(forms.Form):
    basis = forms.ChoiceField(
        label="My targets are for",
        choices=Negotiation.Basis.choices,
        widget=forms.RadioSelect,
        initial=Negotiation.Basis.BASE,
    )
    target = AmountField(
        positive=True, label="Target", help_text="What you will ask for, in the offer's currency."
    )
    walk_away = AmountField(
        positive=True,
        label="Walk-away",
        help_text="The least you would accept; below it you would decline.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target, walk_away = data.get("target"), data.get("walk_away")
        if target is not None and walk_away is not None and walk_away > target:
            self.add_error(
                "walk_away",
                "Your walk-away is above your target. It is the least you would accept, so it "
                "is at or below the target.",
            )
        return data


class MarketFigureForm(forms.Form):
    source = forms.CharField(
        label="Source", max_length=200, help_text="A salary survey, a posting, a recruiter…"
    )
    url = forms.URLField(label="Web address", max_length=1000, required=False)
    low = AmountField(positive=True, label="Low")
    high = AmountField(positive=True, label="High")
    currency = _currency_field(label="Currency")
    observed_on = forms.DateField(label="As of", widget=DATE_INPUT)

    def __init__(self, *args: Any, owner: User, offer: Offer, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "figure_%s")
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.initial.setdefault("currency", offer.currency)
        self.initial.setdefault("observed_on", owner.local_today())
        url = self.fields["url"]
        url.error_messages["invalid"] = BAD_URL
        url.validators = [URLValidator(schemes=["http", "https"], message=BAD_URL)]

    def clean_observed_on(self) -> dt.date:
        return _check_past(self.cleaned_data["observed_on"], today=self.owner.local_today())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("low"), data.get("high")
        if low is not None and high is not None and low > high:
            self.add_error("high", "The high figure is below the low one.")
        return data


class OwnChoicesField(forms.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        # An id past the database's integer range would crash the lookup rather than miss.
        for pk in value or []:
            if row_id_or_none(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().clean(value)


class CaseForm(forms.Form):
    stories = OwnChoicesField(
        queryset=Story.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Stories that make your case",
        error_messages={
            "invalid_choice": "Choose stories from your own bank.",
            "invalid_pk_value": "Choose stories from your own bank.",
            "invalid_list": "Choose stories from your own bank.",
        },
    )

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "case_%s")
        super().__init__(*args, **kwargs)
        field = cast(OwnChoicesField, self.fields["stories"])
        field.queryset = Story.objects.owned_by(owner).only("id", "title").order_by("title", "id")
        # Read once for the checkboxes; validation still checks ids against the queryset.
        field.choices = [(story.pk, story.title) for story in field.queryset]

    @property
    def has_bank(self) -> bool:
        return bool(cast(OwnChoicesField, self.fields["stories"]).choices)


class StepForm(forms.Form):
    happened_on = forms.DateField(label="Date", widget=DATE_INPUT)
    asked = forms.CharField(
        label="What I asked",
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. “Could the base be $105,000, given the market figures?”",
    )
    answered = forms.CharField(
        label="What they answered",
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outcome = forms.ChoiceField(label="Outcome", choices=NegotiationStep.Outcome.choices)

    def __init__(self, *args: Any, owner: User, offer: Offer, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "step_%s")
        super().__init__(*args, **kwargs)
        self.owner, self.offer = owner, offer
        self.initial.setdefault("happened_on", owner.local_today())

    def clean_happened_on(self) -> dt.date:
        value = _check_past(self.cleaned_data["happened_on"], today=self.owner.local_today())
        if value < self.offer.received_on - DEADLINE_HORIZON:
            raise forms.ValidationError("That is more than a year before the offer; check it.")
        return value


class ExchangeRateForm(forms.Form):
    from_currency = _currency_field(label="From")
    to_currency = _currency_field(label="To")
    rate = forms.DecimalField(
        label="Rate",
        max_digits=20,
        decimal_places=10,
        help_text="How many of “to” one unit of “from” buys, e.g. 1.08.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": "Enter the rate as a number such as 1.08.",
            "max_digits": "That rate is too long; check it.",
            "max_decimal_places": "Use at most 10 decimals.",
            "max_whole_digits": "That rate is too large; check it.",
        },
    )
    as_of = forms.DateField(label="As of", widget=DATE_INPUT)

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "rate_%s")
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.initial.setdefault("as_of", owner.local_today())

    def clean_rate(self) -> Decimal:
        rate = self.cleaned_data["rate"]
        if rate <= 0:
            raise forms.ValidationError("A rate is above zero.")
        if rate > MAX_RATE:
            raise forms.ValidationError("That rate is too large; check it.")
        return rate

    def clean_as_of(self) -> dt.date:
        return _check_past(self.cleaned_data["as_of"], today=self.owner.local_today())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from_currency") and data.get("from_currency") == data.get("to_currency"):
            self.add_error("to_currency", "Choose two different currencies.")
        return data


class CommaListInput(forms.TextInput):
    """?ids=3,7 and ?ids=3&ids=7 (the page's checkboxes) both read as "3,7"."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name) or ""]
        return ",".join(str(value) for value in values if value)


class CompareForm(forms.Form):
    ids = forms.CharField(required=False, max_length=500, widget=CommaListInput)
    currency = forms.ChoiceField(
        label="Show totals in",
        required=False,
        choices=[("", "Automatic"), *CURRENCY_CHOICES],
        widget=LongSelect,
        error_messages={"invalid_choice": CHOOSE_CURRENCY},
    )

    def clean_ids(self) -> list[int]:
        tokens = [token for token in re.split(r"[,\s]+", self.cleaned_data["ids"]) if token]
        if any(row_id_or_none(token) is None for token in tokens):
            raise forms.ValidationError("Offers are chosen by number, e.g. ?ids=3,7.")
        ids = list(dict.fromkeys(int(token) for token in tokens))
        if len(ids) > MAX_COMPARED:
            raise forms.ValidationError(f"Compare up to {MAX_COMPARED} offers at a time.")
        return ids

    def value(self, name: str) -> Any:
        """The cleaned value, or empty when missing or invalid (the error is shown)."""
        if not self.is_bound:
            return [] if name == "ids" else ""
        self.is_valid()
        return self.cleaned_data.get(name) or ([] if name == "ids" else "")


STRATEGIES = [
    ("decline_and_withdraw", "Decline the other offers and withdraw from everything else"),
    ("withdraw_all", "Withdraw from all of them"),
    ("choose", "Let me choose for each one (some may stay open)"),
]


class AcceptForm(forms.Form):
    strategy = forms.ChoiceField(
        label="What happens to your other open opportunities",
        choices=STRATEGIES,
        widget=forms.RadioSelect,
        initial="decline_and_withdraw",
        required=False,
    )

    def __init__(self, *args: Any, opportunities: list[Opportunity], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.opportunities = opportunities
        for opportunity in opportunities:
            field = forms.ChoiceField(
                label=f"{opportunity.title} at {opportunity.organization.name}",
                choices=_row_choices(opportunity),
                initial=DECLINE if opportunity.stage == Stage.OFFER else WITHDRAW,
                required=False,
            )
            field.error_messages["invalid_choice"] = "Choose one of the listed actions."
            self.fields[f"opportunity_{opportunity.pk}"] = field

    @property
    def rows(self) -> list[tuple[Opportunity, forms.BoundField]]:
        return [(o, self[f"opportunity_{o.pk}"]) for o in self.opportunities]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["strategy"] = data.get("strategy") or "decline_and_withdraw"
        if data["strategy"] == "choose":
            for opportunity in self.opportunities:
                name = f"opportunity_{opportunity.pk}"
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "Choose what to do with this one.")
        return data

    def decisions(self) -> dict[int, str]:
        strategy = self.cleaned_data["strategy"]
        decisions = {}
        for opportunity in self.opportunities:
            if strategy == "withdraw_all":
                decisions[opportunity.pk] = WITHDRAW
            elif strategy == "decline_and_withdraw":
                offered = opportunity.stage == Stage.OFFER
                decisions[opportunity.pk] = DECLINE if offered else WITHDRAW
            else:
                decisions[opportunity.pk] = self.cleaned_data[f"opportunity_{opportunity.pk}"]
        return decisions


def _row_choices(opportunity: Opportunity) -> list[tuple[str, str]]:
    choices = [(WITHDRAW, "Withdraw"), (KEEP, "Leave open")]
    if opportunity.stage == Stage.OFFER:
        choices.insert(0, (DECLINE, "Decline their offer"))
    return choices
