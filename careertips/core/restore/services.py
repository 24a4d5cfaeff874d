"""Restoring a member's archive into their empty account: at once or not at all."""

from __future__ import annotations

import logging
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from careertips.core.models import AccountRestore, User
from careertips.core.restore.archive import Archive, check_upload, read_archive
from careertips.core.restore.rows import Part, Writer, check_references, decode, restore_plan

logger = logging.getLogger(__name__)

# The compressed upload through the browser (what it may expand to is limited in
# archive.py): under the 10 MB request bodies the deployment kit's proxies let through, with
# room for the form around it. An archive of 44,000 records is under 1 MB. The operator's
# command reads a file of any size.
MAX_UPLOAD_BYTES = 9_000_000

# What of account.json comes back: the settings and when the search began, never the
# address (the account keeps its own) or the last sign-in.
ACCOUNT_FIELDS = (
    "display_name", "first_name", "last_name", "time_zone", "follow_up_days", "date_joined",
)  # fmt: skip

NOT_EMPTY = (
    "Your account already holds {what}. An archive is restored only into an empty account, "
    "so nothing is mixed up or overwritten: create a new account and restore there."
)
FAILED = "The restore stopped with an error and nothing was written. Try again."


def why_not_restore(user: User) -> str:
    """Why an archive cannot be restored into this account now, or ""."""
    for export in restore_plan():
        rows = (export.restore.owned or export.rows)(user)
        if rows.exists():
            return NOT_EMPTY.format(what=export.model._meta.verbose_name_plural)
    return ""


def restore_account(*, user: User, source: bytes | BinaryIO) -> dict[str, int]:
    """Every record of the archive made again for `user`; the count restored by file. A
    ValidationError says what is wrong, and then nothing was written."""
    archive = read_archive(source)
    parts = [decode(export, archive.files.get(export.name, [])) for export in restore_plan()]
    check_references(parts)
    account = _account_values(archive)
    try:
        return _write(user=user, archive=archive, parts=parts, account=account)
    except (IntegrityError, DatabaseError) as error:
        logger.info("Restoring for user %s refused by the database: %s", user.pk, error)
        raise ValidationError(
            "The archive's records do not fit together (one breaks a rule of the database), "
            "so nothing was restored."
        ) from None


@transaction.atomic
def _write(
    *, user: User, archive: Archive, parts: list[Part], account: dict[str, object]
) -> dict[str, int]:
    User.objects.select_for_update().filter(pk=user.pk).first()  # one restore at a time
    if reason := why_not_restore(user):
        raise ValidationError(reason)
    for name, value in account.items():
        setattr(user, name, value)
    user.save(update_fields=list(account))
    return Writer(user=user, account_id=archive.account["id"]).write(parts)


def _account_values(archive: Archive) -> dict[str, object]:
    values = {}
    for name in ACCOUNT_FIELDS:
        if name not in archive.account:
            continue
        field = User._meta.get_field(name)
        try:
            value = field.clean(archive.account[name], None)  # type: ignore[arg-type]
        except (ValidationError, TypeError, ValueError):
            raise ValidationError(f"account.json: {name} is not a value it can hold.") from None
        values[name] = value
    return values


# The upload and the task worker ---------------------------------------------------------


def get_restore_for(user: User, pk: int) -> AccountRestore:
    found = AccountRestore.objects.filter(owner=user, pk=pk).defer("archive").first()
    if found is None:
        raise Http404("No such restore.")
    return found


@transaction.atomic
def start_restore(*, user: User, upload: UploadedFile) -> AccountRestore:
    """Checks the upload at once (what can be checked quickly) and hands it to the worker."""
    from careertips.core.tasks import restore_account_task

    if AccountRestore.objects.filter(owner=user, status__in=_PENDING).exists():
        raise ValidationError("A restore is already under way: wait for it to finish.")
    if reason := why_not_restore(user):
        raise ValidationError(reason)
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The file is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB: ask the practice to "
            "restore it with the restore_account command."
        )
    data = upload.read()
    check_upload(data)
    restore = AccountRestore.objects.create(
        owner=user, filename=(upload.name or "")[:255], size=len(data), archive=data
    )
    transaction.on_commit(lambda: restore_account_task.enqueue(restore_id=restore.pk))
    return restore


_PENDING = [AccountRestore.Status.WAITING, AccountRestore.Status.RESTORING]


def run_restore(*, restore_id: int) -> str:
    """The worker's part: restores a waiting upload once, and drops the upload."""
    claimed = AccountRestore.objects.filter(
        pk=restore_id, status=AccountRestore.Status.WAITING
    ).update(status=AccountRestore.Status.RESTORING, started_at=timezone.now())
    if not claimed:
        return "gone"  # done already, by a second delivery of the task
    restore = AccountRestore.objects.select_related("owner").get(pk=restore_id)
    try:
        counts = restore_account(user=restore.owner, source=bytes(restore.archive))
    except ValidationError as error:
        _finish(restore, status=AccountRestore.Status.FAILED, message=" ".join(error.messages))
        return "refused"
    except Exception:
        logger.exception("Restore %s failed", restore_id)
        _finish(restore, status=AccountRestore.Status.FAILED, message=FAILED)
        return "failed"
    _finish(restore, status=AccountRestore.Status.DONE, counts=counts)
    return "done"


def _finish(
    restore: AccountRestore, *, status: str, message: str = "", counts: dict | None = None
) -> None:
    restore.status, restore.message, restore.counts = status, message, counts or {}
    restore.archive, restore.finished_at = b"", timezone.now()
    restore.save(update_fields=["status", "message", "counts", "archive", "finished_at"])
