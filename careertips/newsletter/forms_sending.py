"""Forms of the sending page: confirm a send, pick a time."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

LATEST_SCHEDULE = dt.timedelta(days=365)


class SendNowForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have read the preview and the test email; send it to every subscriber now.",
        error_messages={"required": "Tick the box to confirm; an issue cannot be unsent."},
    )


class ScheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label="Send at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In your time zone. Subscribers who join before then receive it too.",
        error_messages={"invalid": "Enter a date and time, for example 2026-05-01 08:00."},
    )

    def clean_scheduled_for(self) -> dt.datetime:
        when = self.cleaned_data["scheduled_for"]
        now = timezone.now()
        if when <= now + dt.timedelta(minutes=1):
            raise forms.ValidationError("Pick a time at least a minute from now.")
        if when > now + LATEST_SCHEDULE:
            raise forms.ValidationError("Pick a time within the next year.")
        return when
