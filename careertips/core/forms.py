from __future__ import annotations

import html
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import SafeString, mark_safe

from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.core.roles import ROLE_DESCRIPTIONS, Role
from careertips.core.validators import validate_single_line


class SettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "time_zone", "follow_up_days"]
        labels = {"follow_up_days": "Follow up after (days)"}
        help_texts = {
            "display_name": "How Career Tips greets you and signs the notes it drafts for you.",
            "time_zone": "Today, reminders and interview times follow this time zone.",
        }
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "follow_up_days": forms.NumberInput(attrs={"min": 1, "max": 90}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The name signs the mail the member sends: it goes into a From header.
        self.fields["display_name"].validators.append(validate_single_line)


def detected_time_zone(value: str | None) -> str:
    """The browser's time zone when it is one we know, else the site's own: never an error,
    since the member cannot see or fix a value their browser filled in."""
    value = (value or "").strip()
    return value if value in _KNOWN_TIME_ZONES else settings.TIME_ZONE


_KNOWN_TIME_ZONES = frozenset(zoneinfo.available_timezones())


class SignupForm(AllauthSignupForm):
    """allauth's sign-up, plus the time zone the browser reports (filled in by app.js)."""

    # No length limit: the value is only looked up, and a bad one never becomes an error.
    time_zone = forms.CharField(
        required=False,
        widget=forms.HiddenInput(attrs={"data-detect-time-zone": ""}),
    )

    def clean_time_zone(self) -> str:
        return detected_time_zone(self.cleaned_data.get("time_zone"))

    def custom_signup(self, request: HttpRequest, user: Any) -> None:
        super().custom_signup(request, user)
        user.time_zone = self.cleaned_data.get("time_zone") or settings.TIME_ZONE
        user.save(update_fields=["time_zone"])


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Shows a service's ValidationError on the form: at the field it names, else on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class DeleteAccountForm(forms.Form):
    """Deleting an account takes the password, even in a signed-in session: a borrowed
    laptop or a stolen session cookie must not be enough."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    understood = forms.BooleanField(
        label="I understand that everything in my account is deleted for good.",
        error_messages={"required": "Tick this to confirm you mean it."},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("That is not your password.")
        return password


class RestoreForm(forms.Form):
    archive = forms.FileField(
        label="Your archive (the ZIP from Download my data)",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
        error_messages={"required": "Choose the ZIP file you downloaded."},
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=[(role.value, f"{role.label}: {ROLE_DESCRIPTIONS[role]}") for role in Role],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None: a member, who sees only their own search. Taking the coach role "
        "away ends, at once, every member's sharing with this person.",
    )


class SendLinkForm(forms.Form):
    link = forms.ChoiceField(
        choices=[("confirmation", "confirmation"), ("reset", "password reset")],
        error_messages={"invalid_choice": "Choose a confirmation or a password-reset link."},
    )


class LongSelect(forms.Select):
    """A select for long lists (a member's thousands of contacts): the same HTML as Django's
    select templates (select.html, select_option.html, attrs.html), written in Python rather
    than with one template render per option. Single choice; labels are text."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        selected = set(self.format_value(value))
        parts = [f'<select name="{_escape(name)}"{_attrs(self.build_attrs(self.attrs, attrs))}>']
        found = False
        for group_value, group_label in self.choices:
            grouped = isinstance(group_label, list | tuple)
            if grouped:
                parts.append(f'\n  <optgroup label="{_escape(group_value)}">')
            for option_value, label in group_label if grouped else [(group_value, group_label)]:
                text = "" if option_value is None else str(option_value)
                chosen = not found and text in selected
                found |= chosen
                mark = " selected" if chosen else ""
                # Ids need no escaping, and a menu of names has each name as value and label.
                value_html = text if type(option_value) is int else _escape(text)
                label_html = value_html if type(label) is str and label == text else _escape(label)
                parts.append(f'\n  <option value="{value_html}"{mark}>{label_html}</option>\n')
            if grouped:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 -- every value is escaped above


class LazyChoices(forms.models.ModelChoiceIterator):
    """Choices that read their field's queryset only when listed (see LazyModelChoiceField)."""

    def __init__(self, field: forms.ModelChoiceField) -> None:
        self.field = field

    @property
    def queryset(self) -> Any:  # type: ignore[override]
        return self.field.queryset


class LazyModelChoiceField(forms.ModelChoiceField):
    """A model choice whose queryset may be given as a function, called when the queryset is
    first read: the rows a member may pick are theirs, so the queryset is made per form, and
    a form that is sent no value for the field and not drawn (an API call) never needs it."""

    iterator = LazyChoices
    _queryset: QuerySet[Any] | None
    _make_queryset: Callable[[], QuerySet[Any]] | None = None

    def rows_from(self, make: Callable[[], QuerySet[Any]]) -> None:
        self.queryset = None
        self._make_queryset = make

    def _get_queryset(self) -> QuerySet[Any] | None:
        if self._queryset is None and self._make_queryset is not None:
            self._queryset = self._make_queryset().all()
        return self._queryset

    def _set_queryset(self, queryset: QuerySet[Any] | None) -> None:
        self._make_queryset = None
        forms.ModelChoiceField._set_queryset(self, queryset)  # type: ignore[attr-defined]

    queryset = property(_get_queryset, _set_queryset)


class NameChoices(LazyChoices):
    """The choices labelled with each row's name (what `str()` gives), read as plain rows: a
    member's hundreds of organizations. From the field's `names`, compiled once per process,
    once it knows whose (`owner_id`); else from its queryset."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.rows()

    def rows(self) -> Iterable[tuple[Any, Any]]:
        names, owner_id = getattr(self.field, "names", None), getattr(self.field, "owner_id", None)
        if names is not None and owner_id is not None:
            return names(owner=owner_id)
        return self.queryset.values_list("pk", "name")


class NameChoiceField(LazyModelChoiceField):
    iterator = NameChoices
    widget = LongSelect
    # The menu's (pk, name) rows of an owner (an id), as a Prepared query; read once the
    # form sets whose the menu lists, with the queryset.
    names: Prepared | None = None
    owner_id: int | None = None


def _escape(value: Any) -> str:
    """conditional_escape, without its per-call overhead (thousands of options a page)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainChoices(BaseChoiceIterator):
    """Choices already given as (value, text) pairs, taken as they are: a list set on a choice
    field is normalized pair by pair, a cost for the hundreds of a long menu."""

    def __init__(self, choices: Any) -> None:
        self.items = tuple(choices)

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class SharedChoices(PlainChoices):
    """Choices fixed in code, kept in one immutable tuple that every copy of the field shares.
    Django deep-copies each choice field's choices for every form it builds: on the opportunity
    form, copying its fixed lists (the currencies above all) cost more than copying all its other
    fields together."""

    def __copy__(self) -> SharedChoices:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> SharedChoices:
        return self


def share_choices(form_class: type[forms.Form | forms.ModelForm[Any]], *names: str) -> None:
    """Makes the fixed choices of `form_class`'s fields `names` shared between its forms."""
    for name in names:
        field = form_class.base_fields[name]
        if not isinstance(field, forms.ChoiceField):
            raise TypeError(f"{form_class.__name__}.{name} is not a choice field")
        field.choices = SharedChoices(field.choices)
