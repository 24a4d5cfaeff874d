"""Validators shared by every app's forms."""

from __future__ import annotations

from django.core.exceptions import ValidationError

SINGLE_LINE_MESSAGE = "Keep this on one line: line breaks are not allowed here."


def validate_single_line(value: str) -> None:
    """Names and subjects end up in email headers, where a line break would start a new one."""
    if any(ch in str(value) for ch in "\r\n\x0b\x0c\x85\u2028\u2029"):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="multi_line")
