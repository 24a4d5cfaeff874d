from django import forms

from careertips.insights.services import DEFAULT_PERIOD, PERIODS


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label="Show",
        choices=[(key, label) for key, (label, _) in PERIODS.items()],
        initial=DEFAULT_PERIOD,
    )
