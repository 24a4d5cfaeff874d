from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Case, IntegerField, Value, When
from django.forms.boundfield import BoundField, BoundWidget
from django.utils import timezone
from django.utils.html import format_html

from careertips.core.access import row_id_or_none
from careertips.core.forms import LongSelect, NameChoiceField, share_choices
from careertips.core.links import pk_url
from careertips.core.prepared import Prepared
from careertips.core.validators import validate_single_line
from careertips.debriefs import services
from careertips.debriefs.models import CallAttempt, Debrief, ThankYouChannel, Theme
from careertips.network.choices import ContactChoiceField, label_of
from careertips.network.models import Contact, Organization

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_LOCAL, **kwargs)


# Above this many contacts the menu lists the people at the employer (and the one already
# picked), with a link to the menu of them all: thousands of options made the debrief page
# a quarter of a megabyte and cost more to draw than the rest of it together.
CONTACT_MENU_LIMIT = 100
# How many contacts the member has, and those at the employer and the one picked, with what
# their menu labels need: one statement, where the ORM built and compiled two for far longer
# than they ran. (The IN keeps SQLite, which has no statistics here, off reading every contact
# of the member through the owner index.)
PEOPLE_AT = f"""
    SELECT total.n, c.id, c.name, c.title, c.organization_id, o.name
    FROM (SELECT COUNT(*) AS n FROM {Contact._meta.db_table} WHERE owner_id = %s) total
    LEFT JOIN {Contact._meta.db_table} c ON c.owner_id = %s AND c.id IN (
        SELECT w.id FROM {Contact._meta.db_table} w WHERE w.organization_id = %s OR w.id = %s
    )
    LEFT JOIN {Organization._meta.db_table} o ON o.id = c.organization_id
    ORDER BY CASE WHEN c.organization_id = %s THEN 0 ELSE 1 END, c.name, c.id
"""  # noqa: S608 -- table names from the models; values are parameters


def people_at(
    *, owner_id: int, organization_id: int, picked: Any
) -> tuple[int, list[tuple[int, str]]]:
    """The member's number of contacts, and the menu of their people at the organization (and
    `picked`, a contact id as posted), people at the organization first, by name."""
    picked_id = row_id_or_none(picked)
    params = [owner_id, owner_id, organization_id, picked_id, organization_id]
    with connection.cursor() as cursor:
        cursor.execute(PEOPLE_AT, params)
        rows = cursor.fetchall()
    menu = [(row[1], label_of(row[1:])) for row in rows if row[1] is not None]
    return rows[0][0], menu


class DebriefContactForm(forms.Form):
    contact = ContactChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        label="Pick one of your contacts",
        empty_label="Someone new (enter their details below)",
    )
    name = forms.CharField(max_length=200, required=False, validators=[validate_single_line])
    title = forms.CharField(max_length=200, required=False, label="Job title")
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)

    def __init__(
        self, *args: Any, debrief: Debrief, all_contacts: bool = False, **kwargs: Any
    ) -> None:
        """all_contacts: the menu lists every contact, however many the member has."""
        super().__init__(*args, **kwargs)
        employer_id = debrief.opportunity.organization_id
        if not self.is_bound:
            self.initial.setdefault(
                "contact", debrief.contact_id or debrief.opportunity.hiring_manager_id
            )
        picked = self.data.get("contact") if self.is_bound else self.initial.get("contact")
        self.contact_count, people = people_at(
            owner_id=debrief.owner_id, organization_id=employer_id, picked=picked
        )
        self.has_contacts = self.contact_count > 0
        self.all_contacts = all_contacts
        self.shortened = not all_contacts and self.contact_count > CONTACT_MENU_LIMIT
        field = self.fields["contact"]
        # Only the member's own contacts; people at the employer come first. Made only to
        # check a pick or draw the whole menu: a short menu is drawn from `people`.
        field.rows_from(  # type: ignore[attr-defined]
            lambda: (
                Contact.objects.owned_by(debrief.owner)
                .select_related("organization")
                .annotate(
                    at_employer=Case(
                        When(organization_id=employer_id, then=Value(0)),
                        default=Value(1),
                        output_field=IntegerField(),
                    )
                )
                .order_by("at_employer", "name", "id")
            )
        )
        if self.shortened:
            self._shorten_menu(field, people, debrief)

    def _shorten_menu(self, field: Any, people: list[tuple[int, str]], debrief: Debrief) -> None:
        """The menu shows the people at the employer and the current pick; any of the member's
        contacts is still accepted (the field's queryset is all of them)."""
        field.widget.choices = [("", field.empty_label), *people]
        field.help_text = format_html(
            'The menu lists your contacts at {}. <a href="{}?contacts=all#section-contact">'
            "Choose from all {} of your contacts</a>",
            debrief.opportunity.organization,
            pk_url("debriefs:detail", debrief.pk),
            f"{self.contact_count:,}",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        picked, name = data.get("contact"), (data.get("name") or "").strip()
        if picked and name:
            self.add_error("name", "Pick a contact or enter someone new, not both.")
        elif not picked and not name and "contact" not in self.errors:
            self.add_error("name", "Enter the hiring manager's name, or pick a contact above.")
        return data


class CallByForm(forms.Form):
    call_by = forms.DateField(label="Call by", widget=DateInput())

    def __init__(self, *args: Any, debrief: Debrief, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.debrief, self.today = debrief, today
        if not self.is_bound:
            self.initial.setdefault("call_by", debrief.call_by)

    def clean_call_by(self) -> dt.date:
        call_by = self.cleaned_data["call_by"]
        try:
            services.validate_call_by(debrief=self.debrief, call_by=call_by, today=self.today)
        except ValidationError as error:
            raise ValidationError(error.message_dict["call_by"]) from None
        return call_by


class AttemptForm(forms.Form):
    attempted_at = forms.DateTimeField(label="When", widget=DateTimeLocalInput())
    channel = forms.ChoiceField(choices=CallAttempt.Channel.choices, label="How", widget=LongSelect)
    outcome = forms.ChoiceField(
        choices=CallAttempt.Outcome.choices, label="What happened", widget=forms.RadioSelect
    )
    note = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "attempted_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean_attempted_at(self) -> dt.datetime:
        when = self.cleaned_data["attempted_at"]
        if when > timezone.now() + dt.timedelta(minutes=5):
            raise ValidationError("An attempt cannot be in the future.")
        return when


share_choices(AttemptForm, "channel", "outcome")


@dataclass
class ThemeRow:
    value: str
    label: str
    checkbox: BoundWidget
    detail: BoundField


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label="What they said",
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Write it down soon after the call, in their words where you can.",
    )
    themes = forms.MultipleChoiceField(
        choices=Theme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, debrief: Debrief | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        saved = {t.theme: t.detail for t in debrief.themes.all()} if debrief else {}
        for value, _label in Theme.choices:
            self.initial.setdefault(f"detail_{value}", saved.get(value, ""))
        if debrief and not self.is_bound:
            self.initial.setdefault("feedback", debrief.feedback)
            self.initial.setdefault("themes", list(saved))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ticked = set(data.get("themes") or [])
        for value, _label in Theme.choices:
            if data.get(f"detail_{value}", "").strip() and value not in ticked:
                self.add_error(f"detail_{value}", "Tick this theme too, or clear the detail.")
        if not ticked and not (data.get("feedback") or "").strip() and not self.errors:
            self.add_error("feedback", "Write down what you heard, or tick a theme.")
        return data

    def theme_rows(self) -> list[ThemeRow]:
        checkboxes = {str(sub.data["value"]): sub for sub in self["themes"]}
        return [
            ThemeRow(value, label, checkboxes[value], self[f"detail_{value}"])
            for value, label in Theme.choices
        ]

    def chosen_themes(self) -> list[tuple[str, str]]:
        return [(v, self.cleaned_data.get(f"detail_{v}", "")) for v in self.cleaned_data["themes"]]


# A detail field per theme, after the two above, made once rather than for every form.
for _value, _label in Theme.choices:
    FeedbackForm.base_fields[f"detail_{_value}"] = forms.CharField(
        max_length=200,
        required=False,
        label=f"Detail for \u201c{_label}\u201d",
        widget=forms.TextInput(attrs={"placeholder": "e.g. budget ownership"}),
    )
share_choices(FeedbackForm, "themes")


class ThankYouForm(forms.Form):
    SAVE_DRAFT = "draft"

    subject = forms.CharField(max_length=200, required=False, validators=[validate_single_line])
    body = forms.CharField(
        label="Your note", max_length=10_000, widget=forms.Textarea(attrs={"rows": 12})
    )
    channel = forms.ChoiceField(
        choices=[(SAVE_DRAFT, "Save draft"), *ThankYouChannel.choices],
        error_messages={"required": "Choose how the note was sent."},
    )

    def __init__(self, *args: Any, debrief: Debrief | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if debrief and not self.is_bound:
            if debrief.thank_you_body:
                subject, body = debrief.thank_you_subject, debrief.thank_you_body
            else:
                subject, body = services.draft_thank_you(debrief=debrief)
            self.initial.update(subject=subject, body=body)


share_choices(ThankYouForm, "channel")


class AssociationChoiceField(NameChoiceField):
    """One of the member's professional associations, whose (owner_id) the form says. The
    close form is drawn on every view of an open debrief, and building the menu's query cost
    more than running it (core.prepared)."""

    names = Prepared(
        lambda owner: Organization.objects.filter(
            owner_id=owner, kind=Organization.Kind.ASSOCIATION
        ).values_list("pk", "name"),
        owner=int,
    )


class CloseForm(forms.Form):
    next_touch_on = forms.DateField(
        label="Next touch",
        widget=DateInput(),
        help_text="When to get back in touch: a short note, an article, a hello.",
    )
    meet_at = AssociationChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label="Where you may meet them",
        empty_label="Choose an association",
    )
    meet_at_name = forms.CharField(
        max_length=200, required=False, label="Or a new association",
        widget=forms.TextInput(attrs={"placeholder": "e.g. Regional Operations Forum"}),
    )  # fmt: skip
    note = forms.CharField(
        max_length=300, required=False, label="Note for the next touch",
        widget=forms.TextInput(attrs={"placeholder": "e.g. Congratulate them on the launch"}),
    )  # fmt: skip

    def __init__(self, *args: Any, debrief: Debrief, today: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_close_%s")  # the attempt form beside it has a note too
        super().__init__(*args, **kwargs)
        self.today = today
        meet_at = cast(AssociationChoiceField, self.fields["meet_at"])
        meet_at.owner_id = debrief.owner_id
        # The queryset checks a pick; the menu is drawn from plain rows (`names`).
        meet_at.rows_from(
            lambda: Organization.objects.owned_by(debrief.owner).filter(
                kind=Organization.Kind.ASSOCIATION
            )
        )
        if not self.is_bound:
            self.initial.setdefault(
                "next_touch_on", today + dt.timedelta(days=services.NEXT_TOUCH_DEFAULT_DAYS)
            )
            contact = debrief.contact
            if contact and contact.meet_at_id:
                self.initial.setdefault("meet_at", contact.meet_at_id)

    def clean_next_touch_on(self) -> dt.date:
        value = self.cleaned_data["next_touch_on"]
        try:
            services.validate_next_touch(next_touch_on=value, today=self.today)
        except ValidationError as error:
            raise ValidationError(error.message_dict["next_touch_on"]) from None
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("meet_at") and (data.get("meet_at_name") or "").strip():
            self.add_error("meet_at_name", "Pick an association or type a new one, not both.")
        return data


class DismissForm(forms.Form):
    reason = forms.CharField(
        label="Why skip this debrief?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: it was a recruiter's form rejection with no one to call.",
    )


class ActionDoneForm(forms.Form):
    done = forms.CharField(required=False)

    def clean_done(self) -> bool:
        # Missing means "done": a plain "Done" button needs no extra field.
        value = self.cleaned_data["done"]
        if value not in ("", "1", "0"):
            raise ValidationError("Send done=1 or done=0.")
        return value != "0"
