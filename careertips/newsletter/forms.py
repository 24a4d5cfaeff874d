from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from careertips.core.abuse import HoneypotMixin, single_line
from careertips.core.markdown import MARKDOWN_HELP
from careertips.debriefs.models import Theme
from careertips.newsletter.models import Article, Issue, ReaderQuestion
from careertips.newsletter.services import attachable_issues, first_of_month

# Where a subscription came from, recorded with the consent; anything else is "website".
SUBSCRIBE_SOURCES = {
    "home": "Home page form",
    "archive": "Newsletter page form",
    "issue": "Issue page form",
    "subscribe": "Subscribe page form",
}


class SubscribeForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(label="Your email", max_length=254)
    name = forms.CharField(label="First name (optional)", max_length=120, required=False)
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    # A blank form prints the same for every visitor (the CSRF input sits beside it, not in
    # it) and every public page shows one: each source's is drawn once per process.
    _blank_html: ClassVar[dict[tuple[str, str], SafeString]] = {}

    def render(self, template_name=None, context=None, renderer=None):  # type: ignore[no-untyped-def]
        if template_name or context or renderer or not self._prints_blank():
            return super().render(template_name, context, renderer)
        key = (self.initial["source"], get_language())
        if key not in self._blank_html:
            self._blank_html[key] = super().render()
        return self._blank_html[key]

    __str__ = render
    __html__ = render

    def _prints_blank(self) -> bool:
        """Unbound, with only one of the known sources as its initial value, default ids."""
        return (
            not self.is_bound
            and not settings.DEBUG  # template edits show at once while developing
            and self.initial.keys() == {"source"}
            and self.initial["source"] in SUBSCRIBE_SOURCES
            and self.prefix is None
            and self.auto_id == "id_%s"
        )

    def clean_name(self) -> str:
        return single_line(self.cleaned_data["name"], label="Your name")

    def consent_source(self) -> str:
        return SUBSCRIBE_SOURCES.get(self.cleaned_data.get("source", ""), "Website form")


class AskForm(HoneypotMixin, forms.Form):
    display_name = forms.CharField(
        label="Sign my letter as",
        max_length=80,
        required=False,
        help_text='For example "Robert" or "Stuck in Sacramento". Leave empty to stay anonymous.',
    )
    email = forms.EmailField(
        label="Your email",
        max_length=254,
        help_text="Never published. We write to you when your letter appears.",
    )
    question = forms.CharField(
        label="Your question",
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 9}),
        help_text="Up to 5,000 characters. Leave out names of employers and people.",
    )
    consent_to_publish = forms.BooleanField(
        label="Career Tips may publish my question, edited for length, in the newsletter.",
        required=False,
        help_text="Without this we will still read your question, but cannot print it.",
    )

    def clean_display_name(self) -> str:
        return single_line(self.cleaned_data["display_name"], label="The name")

    def clean_question(self) -> str:
        question = self.cleaned_data["question"].strip()
        if len(question) < 20:
            raise forms.ValidationError("Tell us a little more: at least 20 characters.")
        return question


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m")


class IssueForm(forms.ModelForm):
    month = forms.DateField(
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=MonthInput(),
        help_text="The issue's month (YYYY-MM).",
    )

    class Meta:
        model = Issue
        fields = ["volume", "number", "month", "title", "introduction"]
        help_texts = {"introduction": MARKDOWN_HELP}
        widgets = {"introduction": forms.Textarea(attrs={"rows": 8})}

    def clean_title(self) -> str:
        return single_line(self.cleaned_data["title"], label="The title")

    def clean_month(self) -> dt.date:
        month = first_of_month(self.cleaned_data["month"])
        if not dt.date(2000, 1, 1) <= month <= dt.date(2100, 12, 1):
            raise forms.ValidationError("Choose a month between 2000 and 2100.")
        return month

    def clean_volume(self) -> int:
        return _at_least_one(self.cleaned_data["volume"], "The volume")

    def clean_number(self) -> int:
        return _at_least_one(self.cleaned_data["number"], "The number")


def _at_least_one(value: int, label: str) -> int:
    if value < 1 or value > 999:
        raise forms.ValidationError(f"{label} is a number from 1 to 999.")
    return value


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["title", "question", "signed_as", "body"]
        labels = {
            "question": "The reader's letter (Dear Career Tips: …)",
            "signed_as": "Signed",
            "body": "Text",
        }
        help_texts = {
            "question": "Markdown. Printed after “Dear Career Tips:”.",
            "signed_as": "The reader's chosen name; empty prints “A reader”.",
            "body": MARKDOWN_HELP,
        }
        widgets = {
            "question": forms.Textarea(attrs={"rows": 8}),
            "body": forms.Textarea(attrs={"rows": 16}),
        }

    themes = forms.MultipleChoiceField(
        label="Debrief themes it speaks to",
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Once published, members whose debrief records one of these are pointed here.",
    )

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["themes"].initial = [t.theme for t in self.instance.themes.all()]
        if kind == Article.Kind.LETTER:
            self.fields["question"].required = True
            self.fields["body"].label = "The answer (Dear …: …)"
            self.fields["body"].help_text = "Markdown. Printed after the salutation. " + (
                MARKDOWN_HELP
            )
        else:
            del self.fields["question"], self.fields["signed_as"]

    def clean_title(self) -> str:
        return single_line(self.cleaned_data["title"], label="The title")

    def clean_signed_as(self) -> str:
        return single_line(self.cleaned_data["signed_as"], label="The signature")


class AnswerForm(forms.ModelForm):
    class Meta:
        model = ReaderQuestion
        fields = ["display_name", "answer"]
        labels = {"display_name": "Sign the letter as", "answer": "Your answer"}
        help_texts = {
            "display_name": "The reader's choice; shorten it if it could identify someone.",
            "answer": "Markdown. Printed after the salutation, e.g. “Dear Robert:”.",
        }
        widgets = {"answer": forms.Textarea(attrs={"rows": 14})}

    def clean_display_name(self) -> str:
        return single_line(self.cleaned_data["display_name"], label="The name")


class AttachForm(forms.Form):
    issue = forms.ModelChoiceField(queryset=Issue.objects.none(), label="Issue", empty_label=None)
    title = forms.CharField(label="Letter title", max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["issue"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 -- narrows the type
        field.queryset = attachable_issues().order_by("-volume", "-number")

    def clean_title(self) -> str:
        return single_line(self.cleaned_data["title"], label="The title")


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Up to 5 MB and 20,000 rows.")
    mode = forms.ChoiceField(
        label="These people",
        widget=forms.RadioSelect,
        choices=[
            ("confirm", "should each confirm by email before they receive anything"),
            ("active", "already asked to receive Career Tips (add them as subscribed)"),
        ],
        initial="confirm",
    )


class ImportConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)
    mode = forms.ChoiceField(
        choices=[("confirm", "confirm"), ("active", "active")], widget=forms.HiddenInput
    )
    attest = forms.BooleanField(
        label="Everyone on this list agreed to hear from Career Tips.",
        error_messages={"required": "Only import people who agreed to hear from you."},
    )


class SearchForm(forms.Form):
    q = forms.CharField(label="Search the archive", max_length=200, required=False)


# Sending ------------------------------------------------------------------------------------

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
