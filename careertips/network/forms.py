from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from careertips.core.validators import validate_single_line
from careertips.network.duplicates import find_duplicates
from careertips.network.importers import MAX_UPLOAD_BYTES
from careertips.network.models import (
    Contact,
    Event,
    EventAttendance,
    Organization,
    Tag,
    Touchpoint,
)
from careertips.network.services import parse_tags
from careertips.pipeline.models import Opportunity

FAR_FUTURE_DAYS = 730


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kw: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kw)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kw: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kw)


class ContactForm(forms.ModelForm):
    new_organization = forms.CharField(
        label="…or a new organization",
        required=False,
        max_length=200,
        help_text="Typed a name that is not in the list? It is added to your organizations.",
    )
    tags = forms.CharField(
        required=False, max_length=1200, help_text="Separate tags with commas, e.g. ops, ASQ."
    )
    different_person = forms.BooleanField(
        required=False, label="This is a different person: save anyway"
    )

    class Meta:
        model = Contact
        fields = [
            "name", "title", "organization", "email", "phone", "profile_url", "relationship",
            "warmth", "how_we_met", "next_touch_on", "next_touch_note", "cadence_days", "meet_at",
            "notes",
        ]  # fmt: skip
        widgets = {
            "next_touch_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 5}),
            "warmth": forms.RadioSelect(),
        }
        labels = {"next_touch_on": "Next touch", "next_touch_note": "What about"}

    field_order = [
        "name", "title", "organization", "new_organization", "email", "phone", "profile_url",
        "relationship", "warmth", "tags",
    ]  # fmt: skip

    def __init__(self, *args: Any, owner: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.owner = owner
        self.duplicates: list[Contact] = []
        # The name goes into the To header of any note sent to them.
        self.fields["name"].validators.append(validate_single_line)
        organizations = Organization.objects.owned_by(owner)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["meet_at"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["meet_at"].label = "Likely to meet again at"
        if self.instance.pk:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())
        else:
            self.fields["warmth"].initial = Contact.Warmth.WARM

    def clean_tags(self) -> list[str]:
        return parse_tags(self.cleaned_data.get("tags", ""))

    def clean_next_touch_on(self) -> dt.date | None:
        value = self.cleaned_data.get("next_touch_on")
        today = timezone.localdate()
        if value and "next_touch_on" in self.changed_data:
            if value < today:
                raise ValidationError("Pick today or a later date.")
            if value > today + dt.timedelta(days=FAR_FUTURE_DAYS):
                raise ValidationError("Pick a date within the next two years.")
        return value

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("organization") and data.get("new_organization"):
            self.add_error("new_organization", "Pick an organization or type a new one, not both.")
        if self.errors or data.get("different_person"):
            return data
        identity = {"name", "email", "profile_url", "organization", "new_organization"}
        if self.instance.pk and not identity & set(self.changed_data):
            return data  # an edit that leaves who they are alone raises no new duplicate
        org = data.get("organization")
        self.duplicates = find_duplicates(
            owner=self.owner,
            name=data.get("name", ""),
            email=data.get("email", ""),
            profile_url=data.get("profile_url", ""),
            organization_name=org.name if org else data.get("new_organization", ""),
            exclude_pk=self.instance.pk,
        )
        if self.duplicates:
            raise ValidationError(
                "This looks like someone already in your network. Open them to update or "
                "merge, or tick “different person” to save anyway."
            )
        return data


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "website", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, owner: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.owner = owner

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        taken = Organization.objects.owned_by(self.owner).filter(name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise ValidationError("You already have an organization with this name.")
        return name


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["name", "kind", "starts_at", "ends_at", "place", "organization", "url", "notes"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"starts_at": "Starts", "ends_at": "Ends", "organization": "Host"}

    def __init__(self, *args: Any, owner: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["organization"].queryset = Organization.objects.owned_by(owner)  # type: ignore[attr-defined]
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]
        self.fields["ends_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]

    def clean_starts_at(self) -> dt.datetime:
        value = self.cleaned_data["starts_at"]
        if not 1990 <= value.year <= timezone.now().year + 5:
            raise ValidationError("Pick a date within the next five years.")
        return value

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", "The event cannot end before it starts.")
        return data


class TouchpointForm(forms.ModelForm):
    class Meta:
        model = Touchpoint
        fields = ["kind", "happened_on", "note", "event", "opportunity"]
        widgets = {"happened_on": DateInput()}
        labels = {"kind": "How", "happened_on": "When", "opportunity": "About"}

    def __init__(self, *args: Any, owner: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["event"].queryset = Event.objects.owned_by(owner)  # type: ignore[attr-defined]
        about = self.fields["opportunity"]
        about.queryset = Opportunity.objects.owned_by(owner)  # type: ignore[attr-defined]
        about.error_messages["invalid_choice"] = "Choose one of your opportunities."
        self.fields["happened_on"].initial = timezone.localdate

    def clean_happened_on(self) -> dt.date:
        value = self.cleaned_data["happened_on"]
        if value > timezone.localdate():
            raise ValidationError("A touchpoint cannot be in the future.")
        if value.year < 1990:
            raise ValidationError("Pick a date after 1990.")
        return value


def opportunity_options(
    opportunities: Iterable[tuple[int, str, str]], selected: Any = ""
) -> SafeString:
    """The options of the log-a-touchpoint form's menu of opportunities (pk, title and
    organization, as services.opportunities_to_mention gives them), `selected` (the posted
    value) marked. Written in Python: a member has up to a hundred open ones, and a template
    loop costs several times as much per option."""
    return mark_safe(  # noqa: S308 -- every value is escaped
        "".join(
            f'<option value="{pk}"{" selected" if str(pk) == selected else ""}>'
            f"{escape(title)} at {escape(organization)}</option>"
            for pk, title, organization in opportunities
        )
    )


class AttendanceForm(forms.Form):
    contact = forms.ModelChoiceField(queryset=Contact.objects.none())
    status = forms.ChoiceField(
        choices=EventAttendance.Status.choices, initial=EventAttendance.Status.EXPECTED
    )

    def __init__(self, *args: Any, owner: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["contact"].queryset = Contact.objects.owned_by(owner)  # type: ignore[attr-defined]


class MergeForm(forms.Form):
    other = forms.ModelChoiceField(
        queryset=Contact.objects.none(), error_messages={"invalid_choice": "Choose a contact."}
    )
    keep = forms.ChoiceField(
        choices=[("this", "Keep this contact"), ("other", "Keep the other contact")],
        initial="this",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, contact: Contact, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["other"].queryset = (  # type: ignore[attr-defined]
            Contact.objects.owned_by(contact.owner).exclude(pk=contact.pk)
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="LinkedIn's Connections.csv, a Career Tips CSV export, or a vCard (.vcf) file; "
        f"up to {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB. Split it and import each part."
            )
        return upload


class ContactFilterForm(forms.Form):
    q = forms.CharField(
        required=False, max_length=100, label="Search", widget=forms.TextInput({"type": "search"})
    )
    relationship = forms.ChoiceField(
        required=False, choices=[("", "Any relationship"), *Contact.Relationship.choices]
    )
    warmth = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any warmth"), *Contact.Warmth.choices],
    )
    tag = forms.ModelChoiceField(
        required=False, queryset=Tag.objects.none(), empty_label="Any tag", to_field_name="name"
    )
    due = forms.BooleanField(required=False, label="Touch due")
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("name", "Name"),
            ("next_touch", "Next touch"),
            ("recent", "Recently touched"),
            ("warmth", "Warmest first"),
        ],
    )

    def __init__(self, *args: Any, owner: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["tag"].queryset = Tag.objects.owned_by(owner)  # type: ignore[attr-defined]
