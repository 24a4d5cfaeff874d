"""CSV cells that are safe to open in a spreadsheet."""

from typing import Any

# Spreadsheets run a cell that starts like a formula (or with a control character before one).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: Any) -> str:
    """The value as CSV text; a leading quote keeps anything formula-like plain text."""
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
