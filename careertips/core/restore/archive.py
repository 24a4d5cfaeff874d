"""Reading an uploaded account archive without trusting it.

Everything is checked before a byte of it is used: that it is a ZIP, that its entries are
few enough and small enough (a zip bomb would expand a small upload into gigabytes), that
no entry name could reach outside the archive or is a link, that `manifest.json` is there,
from a format this version reads, and that every file matches its SHA-256 and size there
(a truncated or edited file does not). Nothing is written to disk: entries are read into
memory under the limits below.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import zipfile
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError

from careertips.core.account_data import FORMAT_VERSION, MANIFEST

FORMAT_NAME = "careertips-account"
ACCOUNT_FILE = "account.json"

MAX_ENTRIES = 500
MAX_ENTRY_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
# Our JSON compresses about ten to one; a bomb compresses a thousand to one and more. Small
# entries are left alone: they cannot expand to much whatever their ratio.
MAX_RATIO = 200
RATIO_FROM_BYTES = 1024 * 1024

READ_CHUNK = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")

NOT_A_ZIP = "This file is not a ZIP archive, or it is incomplete (cut short while copying?)."
NO_MANIFEST = (
    "This ZIP is not a Career Tips data archive, or it was made before archives could be "
    "restored: download your data again and restore that file."
)


@dataclass(frozen=True)
class Archive:
    """A checked archive: its manifest, the account and each JSON file's rows by name."""

    manifest: dict[str, Any]
    account: dict[str, Any]
    files: dict[str, Any]


def read_archive(source: bytes | BinaryIO) -> Archive:
    """The archive's content, or ValidationError saying what is wrong with it."""
    with _open(source) as archive:
        infos = check_entries(archive)
        manifest = _manifest(archive, infos)
        listed = manifest["files"]
        _check_listing(infos, listed)
        contents = {name: _read_checked(archive, infos[name], listed[name]) for name in listed}
    account = _json(ACCOUNT_FILE, contents.pop(ACCOUNT_FILE))
    if not isinstance(account, dict) or not isinstance(account.get("id"), int):
        raise ValidationError(f"{ACCOUNT_FILE} does not describe an account.")
    files = {name: _json(name, data) for name, data in contents.items() if name.endswith(".json")}
    return Archive(manifest=manifest, account=account, files=files)


def check_upload(source: bytes | BinaryIO) -> None:
    """The quick checks an upload gets at once (the entries and the manifest); the contents
    are checked by `read_archive` when the restore runs."""
    with _open(source) as archive:
        _manifest(archive, check_entries(archive))


def _open(source: bytes | BinaryIO) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ValidationError(NOT_A_ZIP) from None


def check_entries(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """Refuses too many or too large entries, a suspicious compression ratio, names that
    could reach outside the archive, links and encrypted entries."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ValidationError(f"The archive holds {len(infos):,} files; at most {MAX_ENTRIES}.")
    total = 0
    by_name: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        _check_name(info)
        _check_size(info)
        total += info.file_size
        if info.filename in by_name:
            raise ValidationError(f"The archive holds {info.filename} twice.")
        by_name[info.filename] = info
    if total > MAX_TOTAL_BYTES:
        raise ValidationError(
            f"The archive would expand to {_mb(total)}; at most {_mb(MAX_TOTAL_BYTES)}."
        )
    return by_name


def _check_name(info: zipfile.ZipInfo) -> None:
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if (
        name.startswith(("/", "\\"))
        or "\\" in name
        or "\x00" in name
        or _DRIVE.match(name)
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise ValidationError(f"The archive holds a file named {name!r} outside its folders.")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ValidationError(f"The archive holds a link ({name}), which it never does.")
    if info.flag_bits & 0x1:
        raise ValidationError(f"{name} in the archive is encrypted.")


def _check_size(info: zipfile.ZipInfo) -> None:
    if info.file_size > MAX_ENTRY_BYTES:
        raise ValidationError(
            f"{info.filename} would expand to {_mb(info.file_size)}; "
            f"at most {_mb(MAX_ENTRY_BYTES)} per file."
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
        raise ValidationError(
            f"{info.filename} is compressed {ratio:,.0f} to 1, far beyond what an archive of "
            "yours would be: it looks like a zip bomb."
        )


def _manifest(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]) -> dict[str, Any]:
    if MANIFEST not in infos:
        raise ValidationError(NO_MANIFEST)
    manifest = _json(MANIFEST, _read(archive, infos[MANIFEST]))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise ValidationError(NO_MANIFEST)
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValidationError(f"{MANIFEST} names no format version.")
    if version > FORMAT_VERSION:
        raise ValidationError(
            f"This archive was made by a newer Career Tips (format {version}; this one reads "
            f"up to {FORMAT_VERSION}). Update Career Tips, then restore it."
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(entry, dict)
        and isinstance(entry.get("sha256"), str)
        and isinstance(entry.get("size"), int)
        for entry in files.values()
    ):
        raise ValidationError(f"{MANIFEST} does not list the archive's files.")
    return manifest


def _check_listing(infos: dict[str, zipfile.ZipInfo], listed: dict[str, Any]) -> None:
    missing = sorted(set(listed) - set(infos))
    if missing:
        raise ValidationError(
            f"The archive is incomplete: {', '.join(missing[:5])} "
            f"{'is' if len(missing) == 1 else 'are'} missing."
        )
    extra = sorted(set(infos) - set(listed) - {MANIFEST})
    if extra:
        raise ValidationError(
            f"The archive holds files its manifest does not list: {', '.join(extra[:5])}."
        )
    if ACCOUNT_FILE not in listed:
        raise ValidationError(f"The archive has no {ACCOUNT_FILE}.")


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The entry's bytes; never more than its declared size (the bomb checks hold)."""
    try:
        with archive.open(info) as entry:
            data = bytearray()
            while chunk := entry.read(READ_CHUNK):
                data += chunk
                if len(data) > info.file_size:
                    raise ValidationError(f"{info.filename} is larger than the archive says.")
            return bytes(data)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise ValidationError(
            f"{info.filename} in the archive is damaged or cut short ({error})."
        ) from None


def _read_checked(archive: zipfile.ZipFile, info: zipfile.ZipInfo, entry: dict[str, Any]) -> bytes:
    data = _read(archive, info)
    if len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise ValidationError(
            f"{info.filename} is not the file that was exported (it was changed or cut "
            "short): restore the archive exactly as you downloaded it."
        )
    return data


def _json(name: str, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(f"{name} in the archive is not readable JSON.") from None


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"
