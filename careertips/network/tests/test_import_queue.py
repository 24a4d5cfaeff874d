"""Confirming an import hands it to the task worker; its page follows it until it is done."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careertips.core.testing import htmx
from careertips.network import importers
from careertips.network.models import Contact, ImportBatch
from careertips.network.tasks import FAILED_NOTE, apply_import_batch
from careertips.network.tests.helpers import linkedin_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(alice_client):
    data = linkedin_csv(
        "Dana,Whitfield,,dana@acme.test,Acme,Director,14 Mar 2024",
        "Sam,Lee,,sam@globex.test,Globex,Buyer,1 Feb 2024",
    )
    alice_client.post("/network/import/", {"file": SimpleUploadedFile("c.csv", data)})
    return ImportBatch.objects.get()


def test_it_follows_the_import_until_it_is_written(alice_client, batch):
    url = f"/network/import/{batch.pk}/"
    alice_client.post(f"{url}confirm/")  # the worker has not run yet

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLYING and not Contact.objects.exists()
    page = alice_client.get(url).content.decode()
    assert "Importing…" in page and "<progress" in page
    assert 'data-hx-trigger="every 1s"' in page and "Adding <strong>2</strong> new contacts" in page
    again = alice_client.post(f"{url}confirm/", follow=True).content.decode()
    assert "This import is already under way." in again
    with CaptureQueriesContext(connection) as queries:
        poll = alice_client.get(url, headers=htmx("import-status"))
    assert poll.status_code == 200 and "<progress" in poll.content.decode()
    assert "<h1>" not in poll.content.decode()
    # Polled every second: the counts come from the batch, never the parsed rows.
    assert "Adding <strong>2</strong> new contacts" in poll.content.decode()
    batch_reads = [q["sql"] for q in queries.captured_queries if "network_importbatch" in q["sql"]]
    assert batch_reads and not any('"rows"' in sql for sql in batch_reads)

    result = apply_import_batch.call(batch_id=batch.pk)

    assert result == {"created": 2, "updated": 0, "skipped": 0}
    assert alice_client.get(url, headers=htmx("import-status"))["HX-Refresh"] == "true"
    assert "Import complete" in alice_client.get(url).content.decode()
    assert sorted(Contact.objects.values_list("name", flat=True)) == ["Dana Whitfield", "Sam Lee"]
    # A second delivery of the same task writes nothing more.
    assert apply_import_batch.call(batch_id=batch.pk) is None
    assert Contact.objects.count() == 2


def test_it_writes_nothing_of_a_failed_import_and_lets_it_be_tried_again(
    alice_client, batch, monkeypatch
):
    alice_client.post(f"/network/import/{batch.pk}/confirm/")

    def broken(**kwargs):
        Contact.objects.create(owner=batch.owner, name="Half Written")
        raise RuntimeError("disk full")

    monkeypatch.setattr(importers.apply, "_add_tags", broken)
    assert apply_import_batch.call(batch_id=batch.pk) is None

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW and batch.notes[-1] == FAILED_NOTE
    assert not Contact.objects.exists()
    page = alice_client.get(f"/network/import/{batch.pk}/").content.decode()
    assert FAILED_NOTE in page and "Import 2 new" in page


def test_it_starts_again_an_import_whose_worker_stopped(alice_client, batch):
    alice_client.post(f"/network/import/{batch.pk}/confirm/")
    long_ago = timezone.now() - importers.IMPORT_STALE_AFTER - dt.timedelta(minutes=1)
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=long_ago)

    page = alice_client.get(f"/network/import/{batch.pk}/").content.decode()
    assert (
        "Try the import again" in page
        and "data-hx-trigger" not in page.split("import-status")[1][:400]
    )

    alice_client.post(f"/network/import/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLYING and batch.updated_at > long_ago
    assert apply_import_batch.call(batch_id=batch.pk)["created"] == 2


def test_it_does_not_write_a_discarded_import_from_a_late_task(alice_client, batch):
    alice_client.post(f"/network/import/{batch.pk}/discard/")

    assert apply_import_batch.call(batch_id=batch.pk) is None
    assert not Contact.objects.exists()


def test_it_refuses_to_discard_an_import_under_way(alice_client, batch):
    alice_client.post(f"/network/import/{batch.pk}/confirm/")

    response = alice_client.post(f"/network/import/{batch.pk}/discard/", follow=True)

    assert "This import is under way; it cannot be discarded now." in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLYING and len(batch.rows) == 2
    assert apply_import_batch.call(batch_id=batch.pk)["created"] == 2
