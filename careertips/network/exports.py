"""Exporting a member's contacts as CSV (safe to open in a spreadsheet) and as vCards."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import vobject

from careertips.core.spreadsheet import safe_cell as neutralise
from careertips.network.importers import CAREERTIPS_COLUMNS
from careertips.network.models import Contact


def contacts_for_export(owner: Any) -> Any:
    return (
        Contact.objects.owned_by(owner)
        .select_related("organization")
        .prefetch_related("tags")
        .order_by("name", "pk")
    )


def _csv_values(contact: Contact) -> list[Any]:
    return [
        contact.name,
        contact.title,
        contact.organization.name if contact.organization else "",
        contact.email,
        contact.phone,
        contact.profile_url,
        contact.get_relationship_display(),
        contact.get_warmth_display(),
        ", ".join(t.name for t in contact.tags.all()),
        contact.how_we_met,
        contact.next_touch_on.isoformat() if contact.next_touch_on else "",
        contact.cadence_days or "",
        contact.notes,
    ]


def export_csv_lines(owner: Any) -> Iterator[str]:
    """The CSV a line at a time, so a large network streams instead of filling memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CAREERTIPS_COLUMNS)
    yield _drain(buffer)
    for contact in contacts_for_export(owner).iterator(chunk_size=500):
        writer.writerow([neutralise(v) for v in _csv_values(contact)])
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def contact_vcard(contact: Contact) -> str:
    card = vobject.vCard()
    card.add("fn").value = contact.name
    given, _, family = contact.name.rpartition(" ")
    if not given:  # a single name, e.g. "Cher"
        given, family = family, ""
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    if contact.organization:
        card.add("org").value = [contact.organization.name]
    for attribute, value in (
        ("title", contact.title),
        ("email", contact.email),
        ("tel", contact.phone),
        ("url", contact.profile_url),
        ("note", contact.notes),
    ):
        if value:
            card.add(attribute).value = value
    if tags := [t.name for t in contact.tags.all()]:
        card.add("categories").value = tags
    return card.serialize()


def export_vcard_lines(owner: Any) -> Iterator[str]:
    for contact in contacts_for_export(owner).iterator(chunk_size=500):
        yield contact_vcard(contact)
