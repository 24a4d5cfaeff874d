"""What of a member's data the network holds, for their archive (see core.account_data)."""

from careertips.core.account_data import Restore, Rows, Text
from careertips.network import exports
from careertips.network.models import (
    Contact,
    Event,
    EventAttendance,
    ImportBatch,
    Organization,
    Tag,
    Touchpoint,
)

# Restoring: the network refers to no other app's rows, so it comes back first.
RESTORE_AFTER: tuple[str, ...] = ()

EXPORTS = [
    Rows("network/organizations.json", lambda user: Organization.objects.filter(owner=user)),
    Rows("network/tags.json", lambda user: Tag.objects.filter(owner=user)),
    Rows("network/contacts.json", lambda user: Contact.objects.filter(owner=user)),
    Rows("network/events.json", lambda user: Event.objects.filter(owner=user)),
    Rows(
        "network/event-attendance.json",
        lambda user: EventAttendance.objects.filter(event__owner=user),
    ),
    Rows("network/touchpoints.json", lambda user: Touchpoint.objects.filter(owner=user)),
    Rows(
        "network/imports.json",
        lambda user: ImportBatch.objects.filter(owner=user),
        restore=Restore(skip="uploaded contact files; the contacts they added come back"),
    ),
    Text(
        "network/contacts.csv",
        exports.export_csv_lines,
        "your contacts as a spreadsheet (the same columns as Contacts → Export CSV)",
    ),
    Text(
        "network/contacts.vcf",
        exports.export_vcard_lines,
        "your contacts as vCards, for an address book",
    ),
]
