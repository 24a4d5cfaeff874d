from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from careertips.core.forms import LongSelect, NameChoiceField, PlainChoices
from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.pipeline.models import Interview, Opportunity
from careertips.stories.models import (
    MAX_YEAR,
    MIN_YEAR,
    Competency,
    Goal,
    Milestone,
    PromotionCase,
    Requirement,
    Story,
)
from careertips.stories.posting import MAX_POSTING_CHARS


def field(form: forms.BaseForm, name: str) -> Any:
    """A form field, loosely typed: choice fields get their member's queryset at runtime."""
    return form.fields[name]


class OwnerFormMixin:
    """Forms whose choices are limited to the member's own rows get the member."""

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        self.owner = owner
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]


class StoryForm(OwnerFormMixin, forms.ModelForm):
    competencies = forms.ModelMultipleChoiceField(
        queryset=Competency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Story
        fields = [
            "title", "challenge", "action", "result", "competencies", "organization_name",
            "role", "year", "strength",
        ]  # fmt: skip
        widgets = {
            "challenge": forms.Textarea(attrs={"rows": 4}),
            "action": forms.Textarea(attrs={"rows": 5}),
            "result": forms.Textarea(attrs={"rows": 3}),
            "strength": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "year": forms.NumberInput(attrs={"min": MIN_YEAR, "max": MAX_YEAR}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        competencies = field(self, "competencies")
        competencies.queryset = Competency.objects.available_to(self.owner)
        competencies.help_text = format_html(
            'Add your own under Competencies. <a href="{}">Manage competencies</a>',
            reverse("stories:competencies"),
        )

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError("That year has not happened yet.")
        return year


class CompetencyChoiceField(NameChoiceField):
    """The competencies a member may pick: the bank's filters are drawn on each of its pages.
    Competency.objects.available_to(owner), as the menu lists them (core.prepared)."""

    names = Prepared(
        lambda owner: Competency.objects.filter(
            Q(owner__isnull=True) | Q(owner_id=owner)
        ).values_list("pk", "name"),
        owner=int,
    )


class StoryFilterForm(forms.Form):
    """The bank's filters; "organization" + "since" make it the accomplishments log."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    competency = CompetencyChoiceField(queryset=Competency.objects.none(), required=False)
    # Every organization a story names: hundreds, in a long bank.
    organization = forms.ChoiceField(
        label="At",
        required=False,
        widget=LongSelect,
        help_text="“Since I started at…”: pick the employer and the year.",
    )
    since = forms.IntegerField(
        label="Since (year)", required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )

    def __init__(self, *args: Any, owner: User, organizations: list[str], **kw: Any) -> None:
        super().__init__(*args, **kw)
        competency = field(self, "competency")
        competency.rows_from(lambda: Competency.objects.available_to(owner))
        competency.owner_id = owner.pk
        field(self, "organization").choices = PlainChoices(
            [("", "Anywhere"), *[(o, o) for o in organizations]]
        )


class CompetencyForm(forms.Form):
    name = forms.CharField(max_length=60, label="New competency")


class StoryUseForm(OwnerFormMixin, forms.Form):
    interview = forms.ModelChoiceField(queryset=Interview.objects.none())
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field(self, "interview").queryset = Interview.objects.filter(
            opportunity__owner=self.owner
        ).select_related("opportunity__organization")
        field(self, "interview").label_from_instance = lambda i: (
            f"{i.opportunity} — {i.get_kind_display()}, {i.scheduled_at:%d %b %Y}"
        )


class StoryChoiceForm(OwnerFormMixin, forms.Form):
    story = forms.ModelChoiceField(queryset=Story.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field(self, "story").queryset = Story.objects.owned_by(self.owner)


class RevisionDiffForm(forms.Form):
    a = forms.TypedChoiceField(label="From revision", coerce=int)
    b = forms.TypedChoiceField(label="To revision", coerce=int)

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(n, f"Revision {n}") for n in numbers]
        field(self, "a").choices = choices
        field(self, "b").choices = choices

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("a") is not None and data.get("a") == data.get("b"):
            self.add_error("b", "Pick two different revisions.")
        return data


class GapForm(OwnerFormMixin, forms.Form):
    topic = forms.CharField(max_length=200)
    positioning = forms.CharField(
        label="Positioning note",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The related experience that fills it, and how you will say so.",
    )
    stories = forms.ModelMultipleChoiceField(
        queryset=Story.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Stories that support it",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stories = field(self, "stories")
        stories.queryset = Story.objects.owned_by(self.owner).order_by("title")
        if not stories.queryset.exists():
            stories.help_text = format_html(
                'Your story bank is empty. <a href="{}">Write a story</a>.',
                reverse("stories:create"),
            )


class NewGapForm(forms.Form):
    topic = forms.CharField(max_length=200, help_text='e.g. "budget ownership"')


class PostingForm(forms.Form):
    posting = forms.CharField(
        label="Posting text",
        max_length=MAX_POSTING_CHARS,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Paste the whole posting or just its requirements; formatting is removed.",
        error_messages={
            "required": "Paste the posting (or its requirements) first.",
            "max_length": f"Paste at most {MAX_POSTING_CHARS:,} characters "
            "(the requirements section is enough).",
        },
    )
    replace = forms.BooleanField(
        label="Replace the current requirements", required=False, initial=False
    )


class RequirementForm(forms.Form):
    text = forms.CharField(label="Requirement", max_length=Requirement.MAX_LENGTH)


class MergeForm(forms.Form):
    requirements = forms.ModelMultipleChoiceField(
        queryset=Requirement.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least two requirements to merge."},
    )

    def __init__(self, *args: Any, opportunity: Opportunity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field(self, "requirements").queryset = opportunity.requirements.all()


class QuestionForm(forms.Form):
    text = forms.CharField(label="Question to ask", max_length=300)


class PromotionCaseForm(OwnerFormMixin, forms.ModelForm):
    # Longer than the column so "dollars" gets the helpful message, not a length error.
    currency = forms.CharField(max_length=10, initial="USD", help_text="e.g. USD, EUR, GBP.")
    stories = forms.ModelMultipleChoiceField(
        queryset=Story.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Stories to tell",
    )

    class Meta:
        model = PromotionCase
        fields = [
            "title", "kind", "organization_name", "started_on", "meeting_on", "current_title",
            "target_title", "current_pay", "target_pay", "currency", "ask", "figures", "stories",
        ]  # fmt: skip
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "meeting_on": forms.DateInput(attrs={"type": "date"}),
            "ask": forms.Textarea(attrs={"rows": 3}),
            "figures": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stories = field(self, "stories")
        stories.queryset = Story.objects.owned_by(self.owner).order_by(
            "organization_name", "-year", "title"
        )
        if not stories.queryset.exists():
            stories.help_text = "Your story bank is empty."

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError("Use a three-letter currency code, e.g. USD.")
        return currency

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        started, meeting = data.get("started_on"), data.get("meeting_on")
        if started and meeting and meeting < started:
            self.add_error("meeting_on", "The meeting cannot be before you started there.")
        if started and started > timezone.localdate():
            self.add_error("started_on", "This date is in the future.")
        current, target = data.get("current_pay"), data.get("target_pay")
        if current is not None and target is not None and target < current:
            self.add_error("target_pay", "The target is below your current pay.")
        return data


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "kind", "started_on", "target_on", "notes"]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "target_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        started, target = data.get("started_on"), data.get("target_on")
        if started and target and target < started:
            self.add_error("target_on", "The target date is before the start date.")
        if self.instance.pk and target:
            late = self.instance.milestones.filter(due_on__gt=target).order_by("-due_on").first()
            if late:
                self.add_error(
                    "target_on", f"“{late.title}” is due after this ({late.due_on:%d %b %Y})."
                )
        return data


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
