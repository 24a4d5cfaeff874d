"""The import pages: upload, review, confirm, discard."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from careertips.network import importers
from careertips.network.models import Contact, ImportBatch
from careertips.network.tests.helpers import (
    linkedin_csv,
    make_contact,
    make_touchpoint,
)

# --- import ---------------------------------------------------------------------------------------


def _upload(client, data: bytes, name: str = "Connections.csv"):
    return client.post("/network/import/", {"file": SimpleUploadedFile(name, data)})


def test_it_imports_after_a_preview_and_a_confirmation(
    alice_client, alice, django_capture_on_commit_callbacks
):
    data = linkedin_csv(
        "Dana,Whitfield,,dana@acme.test,Acme,Director,14 Mar 2024", ",,,x@y.test,Acme,,"
    )

    uploaded = _upload(alice_client, data)
    batch = ImportBatch.objects.get()
    preview = alice_client.get(uploaded["Location"]).content.decode()
    everything = alice_client.get(f"/network/import/{batch.pk}/?show=all").content.decode()
    assert not Contact.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = alice_client.post(f"/network/import/{batch.pk}/confirm/")
    confirmed = alice_client.get(confirmed["Location"])

    assert uploaded["Location"] == f"/network/import/{batch.pk}/"
    assert "No name: a contact needs at least a first or last name." in preview
    assert "Dana Whitfield" in everything
    assert confirmed.context["batch"].status == ImportBatch.Status.APPLIED
    assert "Import complete" in confirmed.content.decode()
    assert (confirmed.context["batch"].created_count, confirmed.context["batch"].skipped_count) == (
        1,
        1,
    )
    assert Contact.objects.get().name == "Dana Whitfield"


def test_it_explains_a_file_it_cannot_import_at_the_field(alice_client, alice, monkeypatch):
    missing = _upload(alice_client, b"First Name,Last Name\nDana,W\n")
    monkeypatch.setattr(importers.parse, "MAX_UPLOAD_BYTES", 10)
    monkeypatch.setattr("careertips.network.forms.MAX_UPLOAD_BYTES", 10)
    huge = _upload(alice_client, linkedin_csv("Dana,W,,,,,"))

    assert (
        "missing these columns: Email Address, Company, Position, Connected On."
        in (missing.context["form"].errors["file"][0])
    )
    assert "the limit is 0 MB" in huge.context["form"].errors["file"][0]
    assert not ImportBatch.objects.exists()


def test_it_discards_an_import(alice_client, alice):
    _upload(alice_client, linkedin_csv("Dana,Whitfield,,,,,"))
    batch = ImportBatch.objects.get()

    response = alice_client.post(f"/network/import/{batch.pk}/discard/")
    again = alice_client.post(f"/network/import/{batch.pk}/confirm/", follow=True)

    assert response["Location"] == "/network/import/"
    assert "already confirmed or discarded" in again.content.decode()
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "url", ["/network/", "/network/organizations/", "/network/events/", "/network/import/"]
)
def test_it_sends_visitors_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_does_not_nag_about_a_known_duplicate_when_editing_other_details(alice_client, alice):
    dana = make_contact(owner=alice, email="dana@acme.test")
    make_contact(owner=alice, name="D. Whitfield", email="DANA@acme.test")
    base = {"name": dana.name, "email": dana.email, "organization": dana.organization_id}

    notes_only = alice_client.post(
        f"/network/contacts/{dana.pk}/edit/",
        {**base, "relationship": "other", "warmth": "2", "notes": "Cyclist"},
    )
    renamed = alice_client.post(
        f"/network/contacts/{dana.pk}/edit/",
        {**base, "name": "Dana W", "relationship": "other", "warmth": "2"},
    )

    assert notes_only.status_code == 302
    assert renamed.status_code == 200
    assert "already in your network" in renamed.content.decode()


def test_it_shows_the_older_entries_of_a_long_timeline_on_request(alice_client, alice, monkeypatch):
    from careertips.network import timeline

    monkeypatch.setattr(timeline, "PAGE_LIMIT", 3)
    dana = make_contact(owner=alice, name="Dana Whitfield")
    for n in range(5):
        make_touchpoint(contact=dana, happened_on=dt.date(2025, 1, 1 + n), note=f"Chat {n}")

    first = alice_client.get(f"/network/contacts/{dana.pk}/").content.decode()
    whole = alice_client.get(f"/network/contacts/{dana.pk}/?timeline=all").content.decode()

    assert "Chat 4" in first and "Chat 0" not in first
    assert "Showing the latest 3 entries." in first and "?timeline=all" in first
    assert "Chat 0" in whole and "Show older entries" not in whole
