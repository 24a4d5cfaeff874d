"""Settings → Your data → Restore: the upload, the worker's turn, and where it stands."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from careertips.core import account_data
from careertips.core.models import AccountRestore
from careertips.core.testing import make_user
from careertips.network.models import Contact
from careertips.network.tests.helpers import make_contact
from careertips.pipeline.models import Opportunity
from careertips.pipeline.tests.helpers import make_opportunity

pytestmark = pytest.mark.django_db

DATA_URL = "/settings/data/"
RESTORE_URL = "/settings/data/restore/"


@pytest.fixture
def archive(bob) -> bytes:
    make_opportunity(owner=bob, title="Plant Manager", hiring_manager=make_contact(owner=bob))
    return b"".join(account_data.stream_archive(bob))


def _upload(data: bytes, name: str = "careertips-data.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def test_it_offers_the_upload_to_an_empty_account(alice_client):
    page = alice_client.get(DATA_URL).content.decode()
    assert 'action="/settings/data/restore/"' in page
    assert 'enctype="multipart/form-data"' in page and "data-upload-progress" in page


def test_it_says_why_an_account_with_data_cannot_restore(alice_client, alice):
    make_opportunity(owner=alice)
    page = alice_client.get(DATA_URL).content.decode()
    assert "already holds" in page and 'action="/settings/data/restore/"' not in page


def test_it_restores_an_upload_on_the_worker(
    alice_client, alice, archive, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(RESTORE_URL, {"archive": _upload(archive)})
    restore = AccountRestore.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == f"/settings/data/restore/{restore.pk}/"
    assert restore.status == "done" and bytes(restore.archive) == b""
    assert restore.counts["pipeline/opportunities.json"] == 1
    assert Opportunity.objects.get(owner=alice).title == "Plant Manager"
    page = alice_client.get(response["Location"]).content.decode()
    assert "Restored." in page and "data-hx-trigger" not in page


def test_it_polls_while_the_worker_has_not_finished(alice_client, alice, archive):
    response = alice_client.post(
        RESTORE_URL, {"archive": _upload(archive)}, headers={"HX-Request": "true"}
    )
    restore = AccountRestore.objects.get(owner=alice)
    assert response["HX-Redirect"] == f"/settings/data/restore/{restore.pk}/"
    assert restore.status == "waiting"  # the task runs on commit
    page = alice_client.get(response["HX-Redirect"]).content.decode()
    assert 'data-hx-trigger="every 2s"' in page and "<script" not in page.split("</head>")[1]
    partial = alice_client.get(response["HX-Redirect"], headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<section class="card stack" id="restore')
    again = alice_client.post(RESTORE_URL, {"archive": _upload(archive)})
    assert "already under way" in again.content.decode() and again.status_code == 400


def test_it_shows_the_refusal_at_the_field_and_stores_nothing(alice_client, alice):
    response = alice_client.post(RESTORE_URL, {"archive": _upload(b"not a zip", "x.zip")})
    assert response.status_code == 400
    assert "not a ZIP archive" in response.content.decode()
    assert not AccountRestore.objects.exists()
    missing = alice_client.post(RESTORE_URL, {})
    assert "Choose the ZIP file" in missing.content.decode()


def test_it_shows_what_the_worker_refused(
    alice_client, alice, archive, django_capture_on_commit_callbacks
):
    data = archive.replace(b"PK\x01\x02", b"PK\x01\x02", 1)  # a valid zip whose contents...
    make_contact(owner=alice)  # ...arrive when the account is no longer empty
    restore = AccountRestore.objects.create(owner=alice, archive=data, size=len(data))
    from careertips.core.restore.services import run_restore

    assert run_restore(restore_id=restore.pk) == "refused"
    assert run_restore(restore_id=restore.pk) == "gone"
    page = alice_client.get(f"/settings/data/restore/{restore.pk}/").content.decode()
    assert "Not restored; nothing was written." in page and "already holds" in page
    assert Contact.objects.filter(owner=alice).count() == 1


def test_the_command_restores_into_a_named_account(archive, tmp_path, capsys):
    path = tmp_path / "data.zip"
    path.write_bytes(archive)
    with pytest.raises(CommandError, match="No account new@example.com"):
        call_command("restore_account", "new@example.com", str(path))
    call_command("restore_account", "new@example.com", str(path), "--create")
    out = capsys.readouterr().out
    assert "Created new@example.com." in out and "pipeline/opportunities.json: 1" in out
    assert Opportunity.objects.get(owner__email="new@example.com").title == "Plant Manager"
    with pytest.raises(CommandError, match="already holds"):
        call_command("restore_account", "new@example.com", str(path))


def test_the_command_refuses_a_damaged_file(tmp_path):
    make_user("ops@example.com")
    path = tmp_path / "data.zip"
    path.write_bytes(b"PK\x03\x04 cut")
    with pytest.raises(CommandError, match="not a ZIP archive"):
        call_command("restore_account", "ops@example.com", str(path))
    with pytest.raises(CommandError, match="No such file"):
        call_command("restore_account", "ops@example.com", str(tmp_path / "none.zip"))


def test_it_refuses_an_upload_larger_than_the_proxy_lets_through(alice_client, monkeypatch):
    from careertips.core.restore import services

    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 10)
    response = alice_client.post(RESTORE_URL, {"archive": _upload(b"PK" + b"x" * 20)})
    assert "larger than 0 MB" in response.content.decode()
    assert not AccountRestore.objects.exists()


def test_it_swaps_the_refusal_into_the_card_for_htmx(alice_client):
    response = alice_client.post(
        RESTORE_URL,
        {"archive": _upload(b"not a zip", "x.zip")},
        headers={"HX-Request": "true", "HX-Target": "restore-card"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith('<section class="card stack"')
    assert 'id="restore-card"' in page and "not a ZIP archive" in page and "<html" not in page
