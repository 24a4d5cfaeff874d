"""Menus of a member's contacts: each labelled as `Contact.label` words it, read as plain rows,
since a member may have thousands of contacts and a form only shows them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms

from careertips.core.access import row_id_or_none
from careertips.core.forms import LazyChoices, LazyModelChoiceField, LongSelect
from careertips.network.models import contact_label

# What a contact's menu label is made of, in the order `label_of` takes it.
CONTACT_ROW = ("pk", "name", "title", "organization_id", "organization__name")


def label_of(row: tuple[Any, ...]) -> str:
    """`Contact.label`, from a row of CONTACT_ROW."""
    _pk, name, title, organization_id, organization = row
    return contact_label(name, title, organization if organization_id else "")


class ContactChoices(LazyChoices):
    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.queryset.values_list(*CONTACT_ROW):
            yield (row[0], label_of(row))


class ContactChoiceField(LazyModelChoiceField):
    """One of the member's contacts, shown with their title and organization."""

    iterator = ContactChoices
    widget = LongSelect

    def to_python(self, value: Any) -> Any:
        # An id past the database's integer range would crash the lookup, not miss it.
        if value not in self.empty_values and row_id_or_none(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)
