from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from careertips.api.auth import is_editor
from careertips.api.models import Scope
from careertips.api.services.webhooks import events_for


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What will use it, e.g. “Spreadsheet sync” or “Phone shortcut”."
    )
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Scope.READ],
        error_messages={"required": "Choose at least one scope."},
    )
    expires_on = forms.DateField(
        required=False,
        label="Expires on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for a token that lasts until you revoke it.",
    )

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_editor(owner):
            field = self.fields["scopes"]
            field.choices = [c for c in Scope.choices if c[0] != Scope.EDITOR]  # type: ignore[attr-defined]

    def clean_expires_on(self) -> dt.date | None:
        day = self.cleaned_data.get("expires_on")
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError("Choose a day after today.")
        if day is not None and day.year > timezone.localdate().year + 5:
            raise forms.ValidationError("Choose a day within five years.")
        return day

    def expires_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


class EndpointForm(forms.Form):
    url = forms.URLField(
        label="URL", max_length=1000, assume_scheme="https", help_text="Where to POST events."
    )
    description = forms.CharField(max_length=200, required=False)
    events = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = list(events_for(owner).items())  # type: ignore[attr-defined]
