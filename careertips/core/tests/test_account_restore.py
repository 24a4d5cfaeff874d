"""Restoring an archive refuses what it cannot trust (a newer format, an edited or cut short
file, a zip bomb, names reaching outside the archive, an account that is not empty) with a
clear message, and writes nothing when it refuses."""

import hashlib
import io
import json
import stat
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from careertips.core import account_data
from careertips.core.account_data import FORMAT_VERSION, MANIFEST
from careertips.core.models import User
from careertips.core.restore import archive as archive_checks
from careertips.core.restore.rows import label, restore_plan
from careertips.core.restore.services import restore_account, why_not_restore
from careertips.core.testing import make_user
from careertips.network.models import Contact
from careertips.network.tests.helpers import make_contact
from careertips.pipeline.models import Opportunity
from careertips.pipeline.tests.helpers import make_opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(alice) -> bytes:
    """Alice's small search, exported."""
    contact = make_contact(owner=alice, name="Dana Whitfield")
    make_opportunity(owner=alice, title="Plant Manager", hiring_manager=contact)
    return b"".join(account_data.stream_archive(alice))


@pytest.fixture
def fresh() -> User:
    return make_user("fresh@example.com", display_name="Fresh")


def _files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(files: dict[str, bytes], *, manifest: dict[str, Any] | None = None) -> bytes:
    """The files as an archive whose manifest matches them (so only what a test breaks on
    purpose is wrong)."""
    listed = {
        name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, data in files.items()
        if name != MANIFEST
    }
    manifest = {"format": "careertips-account", "version": FORMAT_VERSION, "files": listed} | (
        manifest or {}
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in files.items():
            if name != MANIFEST:
                out.writestr(name, data)
        out.writestr(MANIFEST, json.dumps(manifest))
    return buffer.getvalue()


def _edit(files: dict[str, bytes], name: str, change: Any) -> dict[str, bytes]:
    rows = json.loads(files[name])
    change(rows)
    return files | {name: json.dumps(rows).encode()}


def _nothing_written(user: User) -> None:
    assert why_not_restore(user) == ""
    for export in restore_plan():
        assert not (export.restore.owned or export.rows)(user).exists(), export.name
    user.refresh_from_db()
    assert user.display_name == "Fresh"


def _refused(user: User, data: bytes, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        restore_account(user=user, source=data)
    assert words in " ".join(caught.value.messages)
    _nothing_written(user)


def test_it_restores_a_small_archive_with_its_links(archive, fresh):
    counts = restore_account(user=fresh, source=archive)

    assert counts["pipeline/opportunities.json"] == 1
    opportunity = Opportunity.objects.get(owner=fresh)
    assert opportunity.hiring_manager.name == "Dana Whitfield"
    assert opportunity.hiring_manager.owner == fresh
    assert opportunity.organization.owner == fresh
    fresh.refresh_from_db()
    assert fresh.display_name != "Fresh" and fresh.email == "fresh@example.com"


def test_it_refuses_an_archive_from_a_newer_format(archive, fresh):
    data = _zip(_files(archive), manifest={"version": FORMAT_VERSION + 1})
    _refused(fresh, data, "made by a newer Career Tips")


def test_it_refuses_an_archive_with_fields_it_does_not_know(archive, fresh):
    files = _edit(
        _files(archive), "pipeline/opportunities.json", lambda rows: rows[0].update(mood=3)
    )
    _refused(fresh, _zip(files), "fields this version does not know (mood)")


def test_it_refuses_an_edited_file(archive, fresh):
    files = _files(archive)
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as out:
        for name, data in files.items():
            if name == "network/contacts.json":
                data = data.replace(b"Dana Whitfield", b"Dana Whitfielt")
            out.writestr(name, data)
    _refused(fresh, zipped.getvalue(), "network/contacts.json is not the file that was exported")


def test_it_refuses_a_file_cut_short(archive, fresh):
    _refused(fresh, archive[: len(archive) // 2], "incomplete")
    files = _files(archive)
    manifest = json.loads(files[MANIFEST])
    del files["pipeline/opportunities.json"]
    _refused(fresh, _zip(files, manifest={"files": manifest["files"]}), "is missing")


def test_it_refuses_an_entry_cut_short_inside_the_zip(archive, fresh):
    files = _files(archive)
    manifest = json.loads(files[MANIFEST])
    files["pipeline/opportunities.json"] = files["pipeline/opportunities.json"][:-20]
    _refused(fresh, _zip(files, manifest={"files": manifest["files"]}), "changed or cut short")


def test_it_refuses_a_zip_without_a_manifest(fresh):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("account.json", "{}")
    _refused(fresh, buffer.getvalue(), "not a Career Tips data archive")
    _refused(fresh, b"PK\x03\x04 not really", "not a ZIP archive")


def test_it_refuses_a_zip_bomb(archive, fresh):
    files = _files(archive) | {"network/notes.json": b"[" + b" " * (20 * 1024 * 1024) + b"]"}
    _refused(fresh, _zip(files), "looks like a zip bomb")


def test_it_refuses_archives_past_the_size_and_count_limits(archive, fresh, monkeypatch):
    monkeypatch.setattr(archive_checks, "MAX_ENTRY_BYTES", 1000)
    _refused(fresh, archive, "at most 0 MB per file")
    monkeypatch.setattr(archive_checks, "MAX_ENTRY_BYTES", 10**9)
    monkeypatch.setattr(archive_checks, "MAX_TOTAL_BYTES", 5000)
    _refused(fresh, archive, "The archive would expand to")
    monkeypatch.setattr(archive_checks, "MAX_ENTRIES", 3)
    _refused(fresh, archive, "at most 3")


@pytest.mark.parametrize(
    "name", ["../account.json", "/etc/passwd", "network/../../x.json", "C:/x.json", "a\\..\\b"]
)
def test_it_refuses_names_reaching_outside_the_archive(archive, fresh, name):
    files = _files(archive) | {name: b"[]"}
    _refused(fresh, _zip(files), "outside its folders")


def test_it_refuses_links(archive, fresh):
    files = _files(archive)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name, data in files.items():
            out.writestr(name, data)
        link = zipfile.ZipInfo("network/link.json")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        out.writestr(link, "/etc/passwd")
    _refused(fresh, buffer.getvalue(), "holds a link")


def test_it_refuses_a_reference_to_a_record_it_does_not_hold(archive, fresh):
    files = _edit(
        _files(archive),
        "pipeline/opportunities.json",
        lambda rows: rows[0].update(organization_id=999_999),
    )
    _refused(fresh, _zip(files), "organization_id names a record the archive does not hold")


def test_it_refuses_a_value_the_field_cannot_hold(archive, fresh):
    files = _edit(
        _files(archive), "pipeline/opportunities.json", lambda rows: rows[0].update(stage="won")
    )
    _refused(fresh, _zip(files), "pipeline/opportunities.json, record")


def test_it_writes_nothing_when_the_database_refuses_a_late_record(archive, fresh):
    """Organizations and contacts are written before the opportunity the database refuses
    (a pay range upside down): they go too."""
    files = _edit(
        _files(archive),
        "pipeline/opportunities.json",
        lambda rows: rows[0].update(pay_min=200_000, pay_max=100_000),
    )
    _refused(fresh, _zip(files), "do not fit together")


def test_it_refuses_an_account_that_is_not_empty(archive, fresh):
    make_opportunity(owner=fresh, title="Already here")
    with pytest.raises(ValidationError, match="already holds"):
        restore_account(user=fresh, source=archive)
    assert Opportunity.objects.filter(owner=fresh).count() == 1
    assert not Contact.objects.filter(owner=fresh).exists()


def test_it_declares_an_order_every_reference_can_follow():
    """A row's required reference names a row restored before it; only nullable ones (set
    once every row is there) may point later."""
    seen: set[str] = {"core.User"}
    restored = {label(export.model) for export in restore_plan()}
    for export in restore_plan():
        model = export.model
        seen.add(label(model))
        for field in model._meta.concrete_fields:
            target = field.related_model and label(field.related_model)
            if target in restored and not field.null:
                assert target in seen, f"{export.name}: {field.name} names {target}, later"
        for target in [*export.restore.object_models.values(), *export.restore.id_lists.values()]:
            assert target in seen, f"{export.name} names {target}, restored later"
