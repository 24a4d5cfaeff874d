from __future__ import annotations

from typing import Any

from django import forms

from careertips.core.models import User
from careertips.resumes.exports import TEMPLATES
from careertips.resumes.models import MAX_BULLET, MAX_LETTER, MAX_SUMMARY, Credential, Position
from careertips.resumes.models import Profile as ProfileModel
from careertips.resumes.text import clean

MIN_YEAR, MAX_YEAR = 1950, 2100


class DateInput(forms.DateInput):
    input_type = "date"


class ProfileForm(forms.ModelForm):
    class Meta:
        model = ProfileModel
        fields = ["name", "headline", "contact", "links", "location", "summary", "skills"]
        widgets = {
            "contact": forms.Textarea(attrs={"rows": 3}),
            "links": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "skills": forms.Textarea(attrs={"rows": 6}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        return {k: clean(v) if isinstance(v, str) else v for k, v in data.items()}


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ["employer", "title", "started_on", "ended_on", "location"]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}
        help_texts = {"employer": "Joins your network's organizations if it is new there."}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", "This is before the start date.")
        return data


class CredentialForm(forms.ModelForm):
    class Meta:
        model = Credential
        fields = ["kind", "title", "institution", "year"]

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise forms.ValidationError(f"Give a year between {MIN_YEAR} and {MAX_YEAR}.")
        return year


class BulletForm(forms.Form):
    text = forms.CharField(
        label="Résumé bullet",
        max_length=MAX_BULLET,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One line: what you did, the result, the figure.",
    )
    position = forms.ModelChoiceField(
        queryset=Position.objects.none(),
        required=False,
        label="Under the position",
        empty_label="Not on the résumé yet",
    )

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = Position.objects.owned_by(owner)  # type: ignore[attr-defined]


class VersionForm(forms.Form):
    headline = forms.CharField(max_length=200, required=False)
    summary = forms.CharField(
        max_length=MAX_SUMMARY, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    skills = forms.CharField(
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One per line, in the order the posting cares about them.",
    )


class RewriteForm(forms.Form):
    text = forms.CharField(label="Bullet", max_length=MAX_BULLET)


class LetterForm(forms.Form):
    salutation = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Letter",
        max_length=MAX_LETTER,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Paragraphs separated by a blank line.",
    )
    closing = forms.CharField(max_length=200)
    signature = forms.CharField(max_length=200, required=False)


class ExportForm(forms.Form):
    template = forms.ChoiceField(choices=list(TEMPLATES.items()), initial="classic")
