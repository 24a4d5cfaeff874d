from __future__ import annotations

import datetime as dt
from typing import Any, cast
from urllib.parse import urlsplit

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.functional import cached_property

from careertips.core import safefetch
from careertips.core.access import row_id_or_none
from careertips.core.forms import LongSelect, NameChoiceField, share_choices
from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.network.models import Contact, Organization
from careertips.pipeline.models import (
    Interview,
    Opportunity,
    Source,
    Stage,
)
from careertips.pipeline.people_forms import PEOPLE, PeopleFields

# Dates before this are typos (a year of 0202), not job searches.
EARLIEST_DATE = dt.date(1970, 1, 1)
# Interviews are planned weeks ahead, not years; further out is a typo.
INTERVIEW_HORIZON = dt.timedelta(days=366)
INTERVIEW_HISTORY = dt.timedelta(days=5 * 366)
MAX_PAY = 999_999_999
MAX_NEW_INTERVIEWERS = 10
BAD_URL = "Enter a web address (https://…)."
START_APPLIED = "Leave this empty until you apply, or choose the stage “Applied”."
NOT_APPLIED_YET = "Leave this empty until you apply: moving it to “Applied” records the date."
STARTING_STAGES = [Stage.INTERESTED, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EmployerChoiceField(NameChoiceField):
    """The member's employers; the opportunity form's menu (core.prepared)."""

    names = Prepared(
        lambda owner: Organization.objects.filter(owner_id=owner).values_list("pk", "name"),
        owner=int,
    )


class OpportunityForm(PeopleFields, forms.ModelForm):
    """Create or edit an opportunity. The employer is chosen from the member's organizations
    or typed as a name; a new name becomes a new employer when the opportunity is saved."""

    organization = EmployerChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label="Employer",
        empty_label="— choose an employer —",
    )
    organization_name = forms.CharField(
        label="New employer",
        max_length=200,
        required=False,
        help_text="Not in the list yet? Type its name instead.",
    )
    stage = forms.ChoiceField(
        label="Stage",
        choices=[(stage.value, stage.label) for stage in STARTING_STAGES],
        widget=LongSelect,
        initial=Stage.INTERESTED,
        help_text="Where this opportunity stands today. Later moves are made from its page.",
    )

    class Meta:
        model = Opportunity
        fields = [
            "title", "posting_url", "location", "work_mode", "source", "pay_min", "pay_max",
            "currency", "found_on", "applied_on", "description", "notes",
        ]  # fmt: skip
        labels = {
            "pay_min": "Pay from",
            "pay_max": "Pay up to",
            "found_on": "Found on",
            "applied_on": "Applied on",
            "work_mode": "Work mode",
        }
        help_texts = {
            "pay_min": "Yearly, in whole units of the currency.",
            "posting_url": "Link to the job posting.",
        }
        widgets = {
            "work_mode": LongSelect,
            "source": LongSelect,
            "currency": LongSelect,
            "found_on": DATE_INPUT,
            "applied_on": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 6}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self, *args: Any, owner: User, full_menu_url: str | None = None, **kwargs: Any
    ) -> None:
        """full_menu_url: the page listing every contact in the people menus. With it, the
        menus of a member with many contacts are shortened and link there."""
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.owner = owner
        employer = cast(EmployerChoiceField, self.fields["organization"])
        employer.rows_from(lambda: Organization.objects.owned_by(owner))
        employer.owner_id = owner.pk
        self.add_people_fields(owner)
        if self.instance.pk:
            del self.fields["stage"]
            self.initial.setdefault("organization", self.instance.organization_id)
            for role in PEOPLE:
                self.initial.setdefault(role, getattr(self.instance, f"{role}_id"))
        for name in ("pay_min", "pay_max"):
            # The clean_pay_* methods say what is wrong in the member's terms.
            field = self.fields[name]
            field.validators = []
            field.widget.attrs.update(min=0, max=MAX_PAY, step=1, inputmode="numeric")
        url = self.fields["posting_url"]
        url.error_messages["invalid"] = BAD_URL
        url.validators = [URLValidator(schemes=["http", "https"], message=BAD_URL)]
        self.fields["work_mode"].required = True
        if full_menu_url is not None:
            source = self.data if self.is_bound else self.initial
            self.shorten_people_menus(
                employer=source.get("organization"), full_menu_url=full_menu_url
            )

    def clean_organization_name(self) -> str:
        return " ".join(self.cleaned_data["organization_name"].split())

    def clean_pay_min(self) -> int | None:
        return _clean_pay(self.cleaned_data["pay_min"])

    def clean_pay_max(self) -> int | None:
        return _clean_pay(self.cleaned_data["pay_max"])

    def clean_found_on(self) -> dt.date | None:
        return self._clean_past_date(self.cleaned_data["found_on"])

    def clean_applied_on(self) -> dt.date | None:
        return self._clean_past_date(self.cleaned_data["applied_on"])

    def _clean_past_date(self, value: dt.date | None) -> dt.date | None:
        if value is None:
            return value
        if value > self.owner.local_today():
            raise forms.ValidationError("This date is in the future; use today or earlier.")
        if value < EARLIEST_DATE:
            raise forms.ValidationError("Check the year: this date is too far in the past.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_employer(data)
        self.clean_people(data)
        pay_min, pay_max = data.get("pay_min"), data.get("pay_max")
        if pay_min is not None and pay_max is not None and pay_min > pay_max:
            self.add_error("pay_max", "The top of the range is below the bottom.")
        found_on, applied_on = data.get("found_on"), data.get("applied_on")
        if found_on and applied_on and applied_on < found_on:
            self.add_error("applied_on", "You cannot apply before you found the opportunity.")
        if "applied_on" not in self.errors:
            self._check_applied_on_matches_stage(applied_on)
        return data

    def _clean_employer(self, data: dict[str, Any]) -> None:
        chosen, typed = data.get("organization"), data.get("organization_name")
        if chosen and typed and typed.lower() != chosen.name.lower():
            self.add_error("organization_name", "Choose an employer or type a new one, not both.")
        elif not chosen and not typed and "organization_name" not in self.errors:
            self.add_error("organization", "Choose an employer, or type a new employer's name.")

    def _check_applied_on_matches_stage(self, applied_on: dt.date | None) -> None:
        stage = self.instance.stage if self.instance.pk else self.cleaned_data.get("stage")
        if stage == Stage.INTERESTED and applied_on is not None:
            self.add_error("applied_on", NOT_APPLIED_YET if self.instance.pk else START_APPLIED)
        # Follow-ups are counted from the application date, so an application keeps one.
        elif stage == Stage.APPLIED and self.instance.pk and applied_on is None:
            self.add_error("applied_on", "Give the date you applied.")

    def opportunity_fields(self) -> dict[str, Any]:
        """The cleaned values that go onto the opportunity itself."""
        fields = {name: self.cleaned_data[name] for name in self._meta.fields}
        if "stage" in self.fields:
            fields["stage"] = self.cleaned_data["stage"]
        return fields


# The fixed lists are shared by every form built: copying them took a third of building one.
share_choices(OpportunityForm, "work_mode", "source", "currency", "stage")


def _clean_pay(value: int | None) -> int | None:
    if value is None:
        return value
    if value < 0:
        raise forms.ValidationError("Pay cannot be negative.")
    if value > MAX_PAY:
        raise forms.ValidationError(f"Enter at most {MAX_PAY:,}.")
    return value


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label="Move to", choices=[("", "Move to…"), *Stage.choices])
    note = forms.CharField(
        label="Note",
        max_length=500,
        required=False,
        help_text="Optional: what happened, e.g. “The recruiter called”.",
    )

    def __init__(self, *args: Any, opportunity: Opportunity, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.opportunity = opportunity
        # Any stage passes the field; clean_stage explains why a move is not allowed.
        self.fields["stage"].widget.choices = [("", "Move to…"), *opportunity.allowed_stages]
        self.fields["stage"].error_messages.update(
            invalid_choice="Choose one of the listed stages.",
            required="Choose the stage to move to.",
        )

    def clean_stage(self) -> str:
        stage = self.cleaned_data["stage"]
        current = self.opportunity.get_stage_display()
        if stage == self.opportunity.stage:
            raise forms.ValidationError(
                f"“{self.opportunity.title}” is already at the {current} stage."
            )
        if not self.opportunity.can_move_to(stage):
            raise forms.ValidationError(
                f"An opportunity that is {current.lower()} cannot move to "
                f"{Stage(stage).label.lower()}."
            )
        return stage


# Every move through the API and the board builds one: its fixed stages are shared, not copied.
share_choices(MoveForm, "stage")


class ListFilterForm(forms.Form):
    """The list's filters; unknown values are ignored so a stale link still shows a page."""

    SORTS = {
        "-changed": ("Last change, newest first", ["-stage_changed_at", "-id"]),
        "changed": ("Last change, oldest first", ["stage_changed_at", "id"]),
        "title": ("Role title", ["title", "id"]),
        "employer": ("Employer", ["organization__name", "title", "id"]),
    }

    q = forms.CharField(label="Search", required=False, max_length=200)
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=[
            ("", "Any stage"),
            ("open", "All open"),
            ("closed", "All closed"),
            *Stage.choices,
        ],
    )
    source = forms.ChoiceField(
        label="Source", required=False, choices=[("", "Any source"), *Source.choices]
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(key, label) for key, (label, _) in SORTS.items()],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def value(self, name: str) -> str:
        """The cleaned value of a filter, or "" when it was missing or invalid."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return self.cleaned_data.get(name) or ""

    def filter(self, queryset: Any) -> Any:
        if text := self.value("q").strip():
            queryset = queryset.search(text)
        stage = self.value("stage")
        if stage == "open":
            queryset = queryset.open()
        elif stage == "closed":
            queryset = queryset.closed()
        elif stage:
            queryset = queryset.filter(stage=stage)
        if source := self.value("source"):
            queryset = queryset.filter(source=source)
        return queryset.order_by(*self.SORTS[self.value("sort") or "-changed"][1])

    @property
    def is_filtered(self) -> bool:
        return any(self.value(name) for name in ("q", "stage", "source"))

    @cached_property
    def chosen(self) -> dict[str, str]:
        """The menus' values in effect, for the page to mark them selected."""
        return {name: self.value(name) for name in ("stage", "source", "sort")}


class ContactsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.label

    def clean(self, value: Any) -> Any:
        # An id past the database's integer range would crash the lookup, not miss it.
        for pk in value or []:
            if row_id_or_none(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


class InterviewForm(forms.ModelForm):
    interviewers = ContactsField(
        queryset=Contact.objects.none(),
        required=False,
        label="Interviewers",
        help_text="Pick from your contacts (hold Ctrl or ⌘ to choose several).",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    new_interviewers = forms.CharField(
        label="Add interviewers by name",
        required=False,
        max_length=1000,
        help_text="Not in your contacts yet? Type names separated by commas; each is added "
        "to your network.",
    )

    class Meta:
        model = Interview
        fields = ["scheduled_at", "duration_minutes", "kind", "interviewers", "prep_notes"]
        labels = {
            "scheduled_at": "Date and time",
            "duration_minutes": "Length (minutes)",
            "prep_notes": "Preparation notes",
        }
        help_texts = {
            "prep_notes": "Their requirements, the stories you will tell, questions to ask.",
        }
        widgets = {
            "scheduled_at": DATETIME_INPUT,
            "prep_notes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.owner = owner
        field = cast(ContactsField, self.fields["interviewers"])
        field.queryset = Contact.objects.owned_by(owner).select_related("organization")
        duration = self.fields["duration_minutes"]
        duration.validators = []
        duration.widget.attrs.update(min=5, max=600, step=5)

    def clean_duration_minutes(self) -> int:
        value = self.cleaned_data["duration_minutes"]
        if not 5 <= value <= 600:
            raise forms.ValidationError("Enter a length between 5 and 600 minutes.")
        return value

    def clean_scheduled_at(self) -> dt.datetime:
        value = self.cleaned_data["scheduled_at"]
        now = timezone.now()
        if value > now + INTERVIEW_HORIZON:
            raise forms.ValidationError("That is more than a year away; check the date.")
        if value < now - INTERVIEW_HISTORY:
            raise forms.ValidationError("That is years ago; check the date.")
        return value

    def clean_new_interviewers(self) -> list[str]:
        names = [" ".join(n.split()) for n in self.cleaned_data["new_interviewers"].split(",")]
        names = [name for name in names if name]
        if len(names) > MAX_NEW_INTERVIEWERS:
            raise forms.ValidationError(
                f"Add at most {MAX_NEW_INTERVIEWERS} interviewers at a time."
            )
        if any(len(name) > 200 for name in names):
            raise forms.ValidationError("Each name can have at most 200 characters.")
        return names

    def interview_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "scheduled_at": data["scheduled_at"],
            "duration_minutes": data["duration_minutes"],
            "kind": data["kind"],
            "prep_notes": data["prep_notes"],
            "interviewers": list(data["interviewers"]),
            "new_interviewer_names": data["new_interviewers"],
        }


class CaptureUrlForm(forms.Form):
    """A posting's address to read; the address itself is checked when the page is read."""

    url = forms.CharField(
        label="Posting address",
        max_length=1000,
        error_messages={
            "required": "Paste the address of the posting first.",
            "max_length": "Keep the address under 1,000 characters.",
        },
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        # Its own ids: it shares the new-opportunity page with the opportunity form.
        kwargs.setdefault("auto_id", "id_capture_%s")
        super().__init__(*args, **kwargs)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise forms.ValidationError(safefetch.UnsupportedScheme.message)
        if "@" in parts.netloc:
            raise forms.ValidationError(safefetch.CredentialsInAddress.message)
        try:
            URLValidator(schemes=["http", "https"])(url)
        except forms.ValidationError:
            raise forms.ValidationError(BAD_URL) from None
        return url


class CapturedOpportunityForm(OpportunityForm):
    """The opportunity form prefilled from a posting, with the requirements offer."""

    add_requirements = forms.BooleanField(
        label="Add the posting's requirements to story coverage",
        required=False,
        initial=True,
        help_text="Each requirement line in the description becomes a line to cover with "
        "your accomplishment stories.",
    )
