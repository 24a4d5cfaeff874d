"""A member's own data: the archive they can download, and deleting the account with it.

Each app declares what of a member's data it holds in its own `account_data` module, as
`EXPORTS`: a list of `Rows` (model rows, written as JSON) and `Text` (a ready-made file,
such as the contacts as CSV). An app that keeps a member's data where deleting the user
does not reach it (mail kept by address, say) also defines `forget(user)`, which deleting
the account calls first. (The story search index forgets by itself: database triggers.)
An app may also contribute a `Section` of the member's Your data page through
`your_data_section(user)` (coaching's access log), and hear through `roles_removed(user=,
roles=)` that an account lost roles (coaching ends a demoted coach's sharings).

The archive is one ZIP streamed as it is written: every declared file, a README, the
account itself and, last, `manifest.json` with the format version and every file's SHA-256.
Nothing is kept on the server, so a large account costs the same little memory as a small
one and any web process can serve it. The member can restore it into an empty account
(core.restore): a `Rows` says how its rows come back with `restore=Restore(...)`, and each
app's `RESTORE_AFTER` names the apps whose rows its rows refer to.

`careertips/core/tests/test_account_data.py` fails when a model that holds a member's rows
is neither exported nor listed in NOT_EXPORTED with the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from email.utils import parseaddr
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from careertips.core.models import CapturedEmail, OutboundMail, User
from careertips.core.roles import Role

# Models that hold a member's rows but have no `Rows` export, and why.
NOT_EXPORTED = {
    "core.User": "account.json, written without the password hash",
    "core.AccountRestore": "an archive uploaded to be restored; the archive is the member's",
}
CHUNK_ROWS = 500

FLUSH_BYTES = 256 * 1024


@dataclass(frozen=True)
class Restore:
    """How a `Rows` file comes back when the member restores their archive (core.restore).

    By default every row is created again, its fields as archived and its references to
    other restored rows pointed at their new ids."""

    # Why these rows do not come back ("" when they do).
    skip: str = ""
    # A field holding the id of a row whose model the row's "kind" names (a snooze of an
    # interview, a coach's comment on a story): each kind's model label. A row whose
    # kind names no model, or a row not restored, does not come back.
    object_field: str = ""
    object_models: Mapping[str, str] = dataclass_field(default_factory=dict)
    # JSON fields listing ids of rows of a model (a résumé bullet's covered requirements):
    # each field's model label. Ids of rows that did not come back are left out.
    id_lists: Mapping[str, str] = dataclass_field(default_factory=dict)
    # An existing row to use instead of the archived one (the shared list of competencies),
    # as its id, or None to create the archived row for the member.
    existing: Callable[[User, dict[str, Any]], int | None] | None = None
    # The member's own rows among `rows(user)`: any makes the account not empty. Default:
    # all of `rows(user)`.
    owned: Callable[[User], models.QuerySet] | None = None


RESTORE = Restore()


@dataclass(frozen=True)
class Rows:
    """One model's rows of the member, written to `name` as a JSON array of objects."""

    name: str
    rows: Callable[[User], models.QuerySet]
    # Fields never exported: secrets, and what the app can rebuild (search indexes).
    exclude: tuple[str, ...] = ()
    restore: Restore = RESTORE

    @property
    def model(self) -> type[models.Model]:
        return self.rows(User(pk=0)).model


@dataclass(frozen=True)
class Text:
    """A ready-made file of the member's data (the contacts as CSV or vCard, say)."""

    name: str
    lines: Callable[[User], Iterable[str]]
    about: str


Export = Rows | Text


def _outbound_mail(user: User) -> models.QuerySet:
    return OutboundMail.objects.filter(owner=user).order_by("pk")


# What became of the mail the member sent from the app (the message itself is not kept).
EXPORTS = [
    Rows(
        "sent_mail.json",
        _outbound_mail,
        exclude=("raw",),
        restore=Restore(skip="a record of mail sent from the old install, without the message"),
    )
]


@dataclass(frozen=True)
class Section:
    """A part of the member's Your data page that an app contributes through
    `account_data.your_data_section(user)`: a template included with `context`."""

    template: str
    context: dict[str, Any]


def app_modules() -> Iterator[Any]:
    """Each of our apps' `account_data` module, in the order of INSTALLED_APPS."""
    for config in apps.get_app_configs():
        if not config.name.startswith("careertips."):
            continue
        name = f"{config.name}.account_data"
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a broken import inside the module must surface
                raise


def your_data_sections(user: User) -> list[Section]:
    """Every app's section of the Your data page (coaching's access log, say)."""
    return [
        module.your_data_section(user)
        for module in app_modules()
        if hasattr(module, "your_data_section")
    ]


def declared_exports() -> list[Export]:
    """Every app's `account_data.EXPORTS`, in the order of INSTALLED_APPS."""
    return [export for module in app_modules() for export in getattr(module, "EXPORTS", [])]


# The archive's layout. Restoring refuses a newer one; raise it when an older Career Tips
# could no longer read what this one writes (a file or field it would not know).
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

# The account itself: everything but the password hash and internal counters.
ACCOUNT_FIELDS = [
    "email", "display_name", "first_name", "last_name", "time_zone", "follow_up_days",
    "date_joined", "last_login",
]  # fmt: skip

README = """\
Your Career Tips data, as of {when}.

Each .json file holds one kind of record as a list of objects. Every object has its "id";
a field ending in "_id" names a record of another file (for example "organization_id" in
pipeline/opportunities.json is an "id" in network/organizations.json), and a list of ids
names several. Times are in UTC (ISO 8601); dates are plain YYYY-MM-DD.

manifest.json lists every file with its SHA-256, so that restoring the archive (Settings →
Your data) can tell a complete, untouched file from a damaged one. Restore it as it is: a
file changed by hand is refused.

{files}
"""


def archive_name(*, today: dt.date | None = None) -> str:
    return f"careertips-data-{(today or timezone.localdate()):%Y-%m-%d}.zip"


def stream_archive(user: User) -> Iterator[bytes]:
    """The member's archive as ZIP bytes, a piece at a time, built while it is sent."""
    sink = _Sink()
    digests: dict[str, dict[str, Any]] = {}
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        exports = declared_exports()
        _write_whole(archive, "README.txt", _readme(exports), digests)
        _write_whole(archive, "account.json", _json(_account(user)), digests)
        yield sink.take()
        for export in exports:
            if isinstance(export, Rows):
                pieces: Iterable[str] = _json_array(export, user)
            else:
                pieces = export.lines(user)
            for _ in _write(archive, export.name, pieces, digests, sink):
                yield sink.take()
            yield sink.take()
        _write_whole(archive, MANIFEST, _json(_manifest(digests)), {})
    yield sink.take()


def _manifest(digests: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": "careertips-account",
        "version": FORMAT_VERSION,
        "created_at": timezone.now(),
        "files": digests,
    }


class _Sink:
    """Where zipfile writes: bytes gathered until the response takes them. It cannot seek,
    so zipfile writes each entry's sizes after its data, as streaming needs."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.offset = 0

    def write(self, data: bytes, /) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        self.offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self.offset

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts, self.size = [], 0
        return data


def _write(
    archive: zipfile.ZipFile,
    name: str,
    pieces: Iterable[str],
    digests: dict[str, dict[str, Any]],
    sink: _Sink | None = None,
) -> Iterator[None]:
    """Writes one file and notes its SHA-256 and size; yields whenever enough bytes wait
    in `sink` to be sent."""
    digest, size = hashlib.sha256(), 0
    with archive.open(name, mode="w", force_zip64=True) as out:
        for piece in pieces:
            data = piece.encode("utf-8")
            digest.update(data)
            size += len(data)
            out.write(data)
            if sink is not None and sink.size >= FLUSH_BYTES:
                yield None
    digests[name] = {"sha256": digest.hexdigest(), "size": size}


def _write_whole(
    archive: zipfile.ZipFile, name: str, text: str, digests: dict[str, dict[str, Any]]
) -> None:
    for _ in _write(archive, name, [text], digests):
        pass


class _Encoder(DjangoJSONEncoder):
    """Times to the microsecond (Django's encoder stops at the millisecond), so that a
    restored archive has every time exactly as it was."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime) and o.microsecond:
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _json(value: Any) -> str:
    return json.dumps(value, cls=_Encoder, ensure_ascii=False, indent=1)


def _account(user: User) -> dict[str, Any]:
    # The id, so that restoring knows which rows' "owner_id" is the account itself.
    data: dict[str, Any] = {"id": user.pk}
    data.update({name: getattr(user, name) for name in ACCOUNT_FIELDS})
    data["email_addresses"] = [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user).order_by("pk")
    ]
    return data


def _readme(exports: list[Export]) -> str:
    lines = []
    for export in exports:
        if isinstance(export, Rows):
            about = str(export.model._meta.verbose_name_plural)
            lines.append(f"{export.name}: {about}")
        else:
            lines.append(f"{export.name}: {export.about}")
    return README.format(
        when=f"{timezone.now():%Y-%m-%d %H:%M} UTC",
        files="\n".join(
            ["account.json: your account", *lines, f"{MANIFEST}: every file's SHA-256"]
        ),
    )


def _json_array(export: Rows, user: User) -> Iterator[str]:
    opts = export.model._meta
    fields = [f for f in opts.concrete_fields if f.name not in export.exclude]
    many = [f for f in opts.many_to_many if f.name not in export.exclude]
    rows = export.rows(user).order_by("pk")
    if many:
        rows = rows.prefetch_related(*(f.name for f in many))
    yield "["
    first = True
    for row in rows.iterator(chunk_size=CHUNK_ROWS):
        data = {field.attname: field.value_from_object(row) for field in fields}
        for field in many:
            data[f"{field.name}_ids"] = sorted(
                related.pk for related in getattr(row, field.name).all()
            )
        yield ("\n" if first else ",\n") + json.dumps(data, cls=_Encoder, ensure_ascii=False)
        first = False
    yield "\n]\n"


# Deleting the account -------------------------------------------------------------------


def why_not_delete(user: User) -> str:
    """Why this account cannot be deleted now, or ""."""
    if user.is_administrator:
        others = User.objects.filter(
            is_active=True, is_staff=True, groups__name=Role.ADMINISTRATOR
        ).exclude(pk=user.pk)
        if not others.exists():
            return (
                "You are the only administrator. Make someone else an administrator "
                "before you delete this account."
            )
    return ""


@transaction.atomic
def delete_account(*, user: User) -> int:
    """Deletes the member and everything of theirs, at once or not at all; returns how many
    records went."""
    if reason := why_not_delete(user):
        raise ValidationError(reason)
    for module in app_modules():
        if forget := getattr(module, "forget", None):
            forget(user)
    deleted, _ = User.objects.filter(pk=user.pk).delete()
    return deleted


def forget(user: User) -> None:
    """Mail kept by the embedded mail backend for this member is theirs too, and so are the
    delivery records of mail sent to them."""
    address = user.email.lower()
    kept = CapturedEmail.objects.filter(to__icontains=address).only("pk", "to")
    mine = [mail.pk for mail in kept if _addressed_to(mail.recipients, address)]
    CapturedEmail.objects.filter(pk__in=mine).delete()
    sent = OutboundMail.objects.filter(recipients__icontains=address).only("pk", "recipients")
    to_them = [row.pk for row in sent if _addressed_to(row.recipients.splitlines(), address)]
    OutboundMail.objects.filter(pk__in=to_them).delete()


def _addressed_to(recipients: list[str], address: str) -> bool:
    return any(parseaddr(line)[1].lower() == address for line in recipients)
