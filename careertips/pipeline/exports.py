"""Exporting a member's opportunities as CSV and XLSX, safe to open in a spreadsheet.

The columns read back through Opportunities → Import (the "Career Tips export" preset)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from careertips.core.spreadsheet import safe_cell, xlsx_row
from careertips.pipeline.models import Opportunity

EXPORT_COLUMNS = [
    "Employer", "Role title", "Stage", "Date found", "Date applied", "Date of the current stage",
    "Date closed", "Posting URL", "Location", "Work mode", "Source", "Pay from", "Pay to",
    "Currency", "Hiring manager", "Contacts", "Notes",
]  # fmt: skip


def opportunities_for_export(owner: Any) -> Any:
    return (
        Opportunity.objects.owned_by(owner)
        .select_related("organization", "hiring_manager")
        .prefetch_related("interviews__interviewers")
        .order_by("organization__name", "title", "pk")
    )


def _contacts(opportunity: Opportunity) -> str:
    names = [c.name for i in opportunity.interviews.all() for c in i.interviewers.all()]
    return "; ".join(dict.fromkeys(names))


def export_values(opportunity: Opportunity) -> list[Any]:
    manager = opportunity.hiring_manager
    return [
        opportunity.organization.name,
        opportunity.title,
        opportunity.get_stage_display(),
        opportunity.found_on,
        opportunity.applied_on,
        opportunity.stage_changed_at.date(),
        opportunity.closed_on,
        opportunity.posting_url,
        opportunity.location,
        opportunity.get_work_mode_display() if opportunity.work_mode else "",
        opportunity.get_source_display(),
        opportunity.pay_min,
        opportunity.pay_max,
        opportunity.currency if opportunity.pay_range else "",
        manager.name if manager else "",
        _contacts(opportunity),
        opportunity.notes,
    ]


def export_csv_lines(owner: Any) -> Iterator[str]:
    """The CSV a line at a time, so a long search streams instead of filling memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    yield _drain(buffer)
    for opportunity in opportunities_for_export(owner).iterator(chunk_size=500):
        writer.writerow([safe_cell(v) for v in export_values(opportunity)])
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def export_xlsx(owner: Any) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Opportunities")
    sheet.append(EXPORT_COLUMNS)
    for opportunity in opportunities_for_export(owner).iterator(chunk_size=500):
        sheet.append(xlsx_row(sheet, export_values(opportunity)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
