"""CSV cells that are safe to open in a spreadsheet."""

from datetime import date
from typing import Any

# Spreadsheets run a cell that starts like a formula (or with a control character before one).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: Any) -> str:
    """The value as CSV text; a leading quote keeps anything formula-like plain text."""
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def xlsx_row(sheet: Any, values: list[Any]) -> list[Any]:
    """Cells for an openpyxl write-only sheet: dates and numbers as such, text always as text
    (openpyxl would store "=…" as a formula) and quoted like safe_cell when formula-like."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        if value is None or isinstance(value, bool) or not isinstance(value, int | float | date):
            cell = WriteOnlyCell(sheet, value=safe_cell(value))
            cell.data_type = "s"
        else:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
        cells.append(cell)
    return cells
