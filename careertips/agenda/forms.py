from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from careertips.agenda.models import MAX_WEEKLY_TARGET, AgendaSettings, ItemKind, Metric
from careertips.agenda.services.actions import SNOOZE_CHOICES
from careertips.agenda.services.items import Item
from careertips.debriefs.models import CallAttempt
from careertips.network.models import Touchpoint

HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in range(24)]


class SnoozeForm(forms.Form):
    days = forms.TypedChoiceField(
        label="Snooze for",
        choices=SNOOZE_CHOICES,
        coerce=int,
        error_messages={"invalid_choice": "Snooze for 1 day, 3 days or a week."},
    )


class LogCallForm(forms.Form):
    """The call to the hiring manager, logged from Today."""

    outcome = forms.ChoiceField(
        label="What happened",
        choices=[("", "Choose…"), *CallAttempt.Outcome.choices],
        error_messages={"required": "Choose what happened on the call."},
    )
    channel = forms.ChoiceField(
        label="How", choices=CallAttempt.Channel.choices, initial=CallAttempt.Channel.PHONE
    )
    note = forms.CharField(label="Note", required=False, max_length=1000, widget=forms.TextInput)


class NameContactForm(forms.Form):
    """Who to call about a debrief, when no one is named yet."""

    name = forms.CharField(
        label="Hiring manager's name",
        max_length=200,
        error_messages={"required": "Give the hiring manager's name."},
    )
    title = forms.CharField(label="Their title", required=False, max_length=200)
    email = forms.EmailField(label="Email", required=False)
    phone = forms.CharField(label="Phone", required=False, max_length=40)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the hiring manager's name.")
        return name


class LogTouchForm(forms.Form):
    kind = forms.ChoiceField(
        label="How you were in touch",
        choices=[("", "Choose…"), *Touchpoint.Kind.choices],
        error_messages={"required": "Choose how you were in touch."},
    )
    note = forms.CharField(label="Note", required=False, max_length=1000, widget=forms.TextInput)


def done_form_class(item: Item) -> type[forms.Form] | None:
    """The few fields some items need before they count as done; None for one-click items."""
    if not item.done_label:
        return None
    if item.kind == ItemKind.TOUCH:
        return LogTouchForm
    if item.kind == ItemKind.CALL:
        return NameContactForm if item.needs_name else LogCallForm
    return None


class GoalsForm(forms.Form):
    """One number per metric; empty or 0 means no goal for it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for metric in Metric:
            self.fields[metric.value] = forms.IntegerField(
                label=f"{metric.label} a week",
                required=False,
                min_value=0,
                max_value=MAX_WEEKLY_TARGET,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def targets(self) -> dict[str, int | None]:
        return {metric.value: self.cleaned_data.get(metric.value) for metric in Metric}


class DigestForm(forms.ModelForm):
    digest_hour = forms.TypedChoiceField(
        label="Send it at", choices=HOUR_CHOICES, coerce=int, initial=7
    )

    class Meta:
        model = AgendaSettings
        fields = ["digest_enabled", "digest_hour"]

    def __init__(self, *args: Any, time_zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["digest_hour"].help_text = format_html(
            'Your time: {} (<a href="{}">change</a>). Nothing is sent on a day with nothing due.',
            time_zone,
            reverse("core:settings"),
        )
