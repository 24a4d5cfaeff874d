import csv
import io

import pytest
from django.core import mail

from careertips.newsletter import subscriber_csv
from careertips.newsletter.models import Subscriber
from careertips.newsletter.tests.helpers import make_subscriber

pytestmark = pytest.mark.django_db


def _actions(preview) -> list[tuple[int, str, str]]:
    return [(row.line, row.email, row.action) for row in preview.rows]


def test_it_previews_each_row_without_writing_anything():
    make_subscriber(email="kept@example.com")
    make_subscriber(email="left@example.com", status=Subscriber.Status.UNSUBSCRIBED)
    data = (
        b"Name,Email\n"
        b"Dana,dana@example.com\n"
        b"Kept,KEPT@example.com\n"
        b"Left,left@example.com\n"
        b"Broken,not-an-email\n"
        b"Dana again,Dana@Example.com\n"
        b",\n"
        b"Nobody,\n"
    )
    preview = subscriber_csv.preview_import(data)
    assert _actions(preview) == [
        (2, "dana@example.com", "add"),
        (3, "kept@example.com", "exists"),
        (4, "left@example.com", "suppressed"),
        (5, "not-an-email", "error"),
        (6, "dana@example.com", "duplicate"),
        (8, "", "error"),
    ]
    assert preview.rows[4].message == "Same address as line 2."
    assert Subscriber.objects.count() == 2


@pytest.mark.parametrize(
    "data",
    [
        b"email;name\r\nlee@example.org;Lee Park\r\n",
        "email\tname\nlee@example.org\tLee Park\n".encode("utf-16"),
        "\ufeffemail,name\nlee@example.org,Lee Park\n".encode(),
        "email,name\nlee@example.org,Lee Park\n".encode("cp1252"),
        b"lee@example.org,Lee Park\n",
    ],
    ids=["semicolons", "utf-16-tabs", "utf-8-bom", "cp1252", "no-header"],
)
def test_it_reads_common_spreadsheet_exports(data):
    [row] = subscriber_csv.preview_import(data).rows
    assert (row.email, row.name, row.action) == ("lee@example.org", "Lee Park", "add")


def test_it_reads_accented_names_from_windows_files():
    [row] = subscriber_csv.preview_import("email,name\nj@example.org,José\n".encode("cp1252")).rows
    assert row.name == "José"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"first,last\nDana,Whitfield\n", "No email column"),
        (b"email\n\x00\x01\x02", "binary"),
        (b"email\n" + b"a@example.com\n" * 20_001, "More than 20,000 rows"),
        (b"email\n" + b"x" * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
    ],
    ids=["empty", "no-email-column", "binary", "too-many-rows", "too-big"],
)
def test_it_rejects_unreadable_files_with_a_reason(data, message):
    with pytest.raises(subscriber_csv.ImportFileError, match=message):
        subscriber_csv.preview_import(data)


def test_it_flags_oversized_values_per_row():
    data = f"email,name\n{'a' * 300}@example.com,x\nok@example.com,{'n' * 200}\n".encode()
    messages = [row.message for row in subscriber_csv.preview_import(data).rows]
    assert messages == [
        "Email address is longer than 254 characters.",
        "Name is longer than 120 characters.",
    ]


def test_it_imports_only_unknown_addresses_and_never_resubscribes(editor):
    make_subscriber(email="bounced@example.com", status=Subscriber.Status.BOUNCED)
    rows = [["new@example.com", "New"], ["bounced@example.com", "B"]]
    added = subscriber_csv.import_subscribers(
        rows=rows, filename="list.csv", by=editor, ask_to_confirm=False
    )
    assert added == 1
    assert Subscriber.objects.get(email="bounced@example.com").status == "bounced"
    new = Subscriber.objects.get(email="new@example.com")
    assert new.status == Subscriber.Status.ACTIVE
    assert new.consent_source == "Import list.csv by editor@example.com"


def test_it_imports_as_pending_and_asks_each_to_confirm(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subscriber_csv.import_subscribers(
            rows=[["a@example.com", ""], ["b@example.com", ""]],
            filename="list.csv",
            by=editor,
            ask_to_confirm=True,
        )
    assert set(Subscriber.objects.values_list("status", flat=True)) == {"pending"}
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.com", "b@example.com"]


def test_it_rejects_a_tampered_payload():
    preview = subscriber_csv.preview_import(b"email\na@example.com\n")
    payload = subscriber_csv.sign_payload(preview=preview, filename="x.csv")
    assert subscriber_csv.read_payload(payload)["rows"] == [["a@example.com", ""]]
    assert subscriber_csv.read_payload(payload[:-2] + "zz") is None


def test_it_exports_csv_that_spreadsheets_cannot_execute():
    make_subscriber(email="a@example.com", name='=HYPERLINK("http://evil")')
    make_subscriber(email="b@example.com", name="+1 555", status=Subscriber.Status.BOUNCED)
    text = "".join(subscriber_csv.export_lines(Subscriber.objects.all()))
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["name"] for r in rows] == ['\'=HYPERLINK("http://evil")', "'+1 555"]
    assert rows[1]["status"] == "bounced"
    # The export reads back in through the importer.
    preview = subscriber_csv.preview_import(text.encode())
    assert [row.action for row in preview.rows] == ["exists", "suppressed"]
