"""Reading an uploaded table (CSV or XLSX) into header and rows, refusing what cannot be read.

Shared by the importers (contacts, opportunities): each decides what the columns mean; this
module only turns bytes into text cells, with a clear message for a file it cannot use.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from careertips.core.spreadsheet import FORMULA_PREFIXES

# XLSX is a ZIP: its uncompressed parts are capped so a small upload cannot unpack into gigabytes.
MAX_XLSX_UNPACKED_BYTES = 60 * 1024 * 1024
# Look for the header this far down: exports often start with a title or a few notes.
HEADER_SEARCH_LINES = 30
XLSX_MAGIC = b"PK\x03\x04"
# A cell that a spreadsheet would run: a function call or a cell reference after "=".
FORMULA = re.compile(r"=\s*([A-Za-z][A-Za-z0-9_.]*\s*\(|\$?[A-Za-z]{1,3}\$?\d)")
ENCODING_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO-8859-1)"}


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, for the member."""


@dataclass
class Table:
    """An upload's cells as text; `lines` are the file's line (CSV) or row (XLSX) numbers."""

    kind: str  # "csv" or "xlsx"
    encoding: str
    rows: list[list[str]]
    lines: list[int]
    notes: list[str] = field(default_factory=list)


def decode_upload(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with: UTF-8 first, then Windows-1252, Latin-1."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ImportFileError("This file claims to be UTF-16 but is damaged.") from None
    if b"\x00" in data:
        raise ImportFileError(
            "This looks like a binary file (a spreadsheet or a document), not text. Save it "
            "as CSV first."
        )
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileError("The file's text encoding could not be read.")  # pragma: no cover


def encoding_note(encoding: str) -> list[str]:
    if encoding in ENCODING_NAMES:
        return [
            f"The file is not UTF-8; it was read as {ENCODING_NAMES[encoding]}. "
            "Check that accented names look right below."
        ]
    return []


def check_size(data: bytes, *, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise ImportFileError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{max_bytes // 1024 // 1024} MB. Split it and import each part."
        )
    if not data.strip():
        raise ImportFileError("The file is empty.")


def read_table(*, data: bytes, filename: str, max_bytes: int, max_rows: int) -> Table:
    """The upload as rows of text cells, blank rows dropped; CSV or XLSX by content."""
    check_size(data, max_bytes=max_bytes)
    name = filename.lower()
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data, max_rows=max_rows)
    if name.endswith((".xlsx", ".xlsm")):
        raise ImportFileError("This file is named .xlsx but is not an Excel workbook.")
    if name.endswith((".xls", ".ods", ".numbers", ".pdf", ".docx", ".zip")):
        raise ImportFileError(
            "Upload a CSV or an Excel workbook (.xlsx). Save older .xls, Numbers or "
            "OpenDocument sheets as one of those first."
        )
    text, encoding = decode_upload(data)
    rows, lines = _read_csv(text, max_rows=max_rows)
    return Table("csv", encoding, rows, lines, encoding_note(encoding))


def _too_many(max_rows: int) -> ImportFileError:
    return ImportFileError(
        f"The file has more than {max_rows:,} rows; import at most {max_rows:,} at a time. "
        "Split the file and import each part."
    )


def _read_csv(text: str, *, max_rows: int) -> tuple[list[list[str]], list[int]]:
    # strict: a quote left open swallows the rest of the file; say so rather than guess.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) > max_rows + HEADER_SEARCH_LINES:
                raise _too_many(max_rows)
            cells = [v.strip() for v in values]
            _refuse_formulas(cells, line=reader.line_num)
            rows.append(cells)
            lines.append(reader.line_num)
    except csv.Error as error:
        raise ImportFileError(f"Line {reader.line_num}: the CSV is malformed ({error}).") from None
    if rows:
        rows[0][0] = rows[0][0].lstrip("\ufeff") if rows[0] else ""
    return rows, lines


def _read_xlsx(data: bytes, *, max_rows: int) -> Table:
    import openpyxl

    _check_zip(data)
    try:
        # read_only streams the sheet; formulas come as text starting with "=".
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    # The reader is third-party and the input untrusted: any failure means an unreadable file.
    except Exception:  # noqa: BLE001
        raise ImportFileError("This Excel workbook could not be read; it may be damaged.") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise ImportFileError("This workbook has no sheets.")
        rows: list[list[str]] = []
        lines: list[int] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_xlsx_text(v) for v in values]
            if not any(cells):
                continue
            _refuse_formulas(cells, line=number)
            if len(rows) > max_rows + HEADER_SEARCH_LINES:
                raise _too_many(max_rows)
            rows.append(cells)
            lines.append(number)
    finally:
        book.close()
    notes = (
        [f"Only the first sheet, “{sheet.title}”, was read."] if len(book.sheetnames) > 1 else []
    )
    return Table("xlsx", "xlsx", rows, lines, notes)


def _refuse_formulas(cells: list[str], *, line: int) -> None:
    from openpyxl.utils import get_column_letter

    for index, cell in enumerate(cells):
        if cell.startswith("=") and FORMULA.match(cell):
            raise ImportFileError(
                f"Cell {get_column_letter(index + 1)}{line} holds a formula ({cell[:40]}). "
                "Formulas are not imported: copy the sheet, paste it back as values only, "
                "and upload that copy."
            )


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportFileError("This Excel workbook could not be read; it may be damaged.") from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(
            "This workbook unpacks to more than "
            f"{MAX_XLSX_UNPACKED_BYTES // 1024 // 1024} MB; save the sheet you want as CSV "
            "and upload that."
        )


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value.strip() if isinstance(value, str) else str(value)


def unneutralise(value: str) -> str:
    """Our exports quote risky cells with a leading ' ; reading them back removes it."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value
