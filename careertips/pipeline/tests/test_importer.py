"""Importing opportunities: presets on sample exports, stages, per-row problems, duplicates,
refused files, and what the import writes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careertips.network.models import Contact, Organization
from careertips.network.tests.helpers import make_organization
from careertips.pipeline import importers
from careertips.pipeline.importers.columns import parse_date
from careertips.pipeline.models import Opportunity, OpportunityImport, Stage, StageChange
from careertips.pipeline.tests.helpers import make_opportunity

SAMPLES = Path(__file__).parent / "samples"


def _preview(owner, name: str) -> OpportunityImport:
    return importers.preview_import(owner=owner, data=(SAMPLES / name).read_bytes(), filename=name)


def _mapping(batch: OpportunityImport) -> dict[str, str]:
    return {h: m for h, m in zip(batch.headers, batch.mapping, strict=True) if m}


def _row(batch: OpportunityImport, line: int) -> dict:
    return next(r for r in batch.rows if r["line"] == line)


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


# --- presets on the sample files ------------------------------------------------------------------


def test_it_recognises_a_huntr_export(alice):
    batch = _preview(alice, "huntr_export.csv")

    assert batch.preset == "Huntr export"
    assert _mapping(batch) == {
        "Company": "organization", "Job Title": "title", "List": "stage",
        "Job URL": "posting_url", "Location": "location", "Salary": "pay",
        "Date Added": "found_on", "Date Applied": "applied_on", "Contacts": "contacts",
        "Notes": "notes",
    }  # fmt: skip
    assert [r["fields"]["stage"] for r in batch.rows] == [
        "applied", "interviewing", "interested", "offer", "turned_down"
    ]  # fmt: skip
    first = _row(batch, 2)["fields"]
    assert (first["pay_min"], first["pay_max"], first["currency"]) == (90_000, 110_000, "USD")
    assert first["applied_on"] == "2024-03-01"
    assert _row(batch, 3)["fields"]["contacts"] == ["Sam Lee", "Priya Patel"]
    assert importers.blockers(batch) == []


def test_it_recognises_a_teal_export(alice):
    batch = _preview(alice, "teal_export.csv")

    assert batch.preset == "Teal export"
    assert _mapping(batch)["Job Position"] == "title"
    assert _mapping(batch)["Min. Salary"] == "pay_min"
    assert _mapping(batch)["Max. Salary"] == "pay_max"
    assert "Excitement" not in _mapping(batch)
    assert [r["fields"]["stage"] for r in batch.rows] == [
        "applied", "interviewing", "interested", "withdrawn", "turned_down", "offer"
    ]  # fmt: skip
    assert (_row(batch, 2)["fields"]["pay_min"], _row(batch, 2)["fields"]["pay_max"]) == (
        95_000,
        115_000,
    )
    assert _row(batch, 2)["fields"]["found_on"] == "2024-03-02"


def test_it_reads_a_google_sheets_tracker_below_its_title(alice):
    batch = _preview(alice, "google_sheets_tracker.csv")

    assert batch.preset == ""
    assert batch.headers[0] == "Organization"
    assert _mapping(batch) == {
        "Organization": "organization", "Position": "title", "Stage": "stage",
        "Applied On": "applied_on", "Link": "posting_url", "Compensation": "pay",
        "Location": "location", "Source": "source", "Contact": "contacts", "Comments": "notes",
    }  # fmt: skip
    blue = _row(batch, 4)["fields"]
    assert (blue["pay_min"], blue["pay_max"], blue["currency"]) == (90_000, 110_000, "EUR")
    assert blue["posting_url"] == "https://www.blueyonder.example/jobs/gom"
    assert blue["stage"] == Stage.SCREENING
    assert _row(batch, 7)["fields"]["stage"] == Stage.NO_RESPONSE
    assert _row(batch, 5)["fields"]["contacts"] == ["Camille Martin", "Luc Bernard"]


def test_it_reads_an_excel_tracker(alice):
    batch = _preview(alice, "excel_tracker.xlsx")

    assert batch.kind == "xlsx"
    assert _mapping(batch) == {
        "Employer": "organization", "Role": "title", "Status": "stage",
        "Date applied": "applied_on", "Job link": "posting_url", "Pay": "pay",
        "Location": "location", "Source": "source", "Hiring manager": "hiring_manager",
        "Notes": "notes",
    }  # fmt: skip
    assert _row(batch, 2)["fields"]["applied_on"] == "2024-03-04"
    assert _row(batch, 4)["fields"]["stage"] == Stage.OFFER_DECLINED
    assert _row(batch, 5)["fields"]["work_mode"] == "hybrid"
    assert batch.notes == ["Only the first sheet, “Applications”, was read."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$90k–110k", (90_000, 110_000, "USD")),
        ("90,000 - 110,000 EUR", (90_000, 110_000, "EUR")),
        ("£45,000", (45_000, 45_000, "GBP")),
        ("90–110k", (90_000, 110_000, None)),
        ("CA$120,000 to CA$140,000", (120_000, 140_000, "CAD")),
        ("85.5k", (85_500, 85_500, None)),
        ("100.000 € - 120.000 €", (100_000, 120_000, "EUR")),
        ("", (None, None, None)),
    ],
)
def test_it_reads_pay_ranges_as_trackers_write_them(text, expected):
    assert importers.parse_pay(text) == expected


@pytest.mark.parametrize("text", ["Competitive", "$40/hr", "$5,000 a month", "1 2 3", "110k-90k"])
def test_it_refuses_pay_it_cannot_read_as_a_yearly_amount(text):
    with pytest.raises(ValueError):
        importers.parse_pay(text)


def test_it_reads_the_usual_date_forms():
    assert parse_date("2024-03-14T10:02:00.000Z") == dt.date(2024, 3, 14)
    assert parse_date("03/14/2024") == dt.date(2024, 3, 14)
    assert parse_date("14/03/2024") == dt.date(2024, 3, 14)
    assert parse_date("14 Mar 2024") == dt.date(2024, 3, 14)
    assert parse_date("March 14, 2024") == dt.date(2024, 3, 14)
    assert parse_date("32/13/2024") is None


# --- stages ---------------------------------------------------------------------------------------


def test_it_asks_once_what_an_unknown_status_means_and_remembers_it_for_the_file(alice):
    data = _csv(
        "Company,Title,Status",
        "Acme,Buyer,On hold",
        "Initech,Planner,on hold",
        "Globex,Clerk,Applied",
    )
    batch = importers.preview_import(owner=alice, data=data, filename="t.csv")

    assert importers.unknown_stages(batch.rows) == {"On hold": 1, "on hold": 1}
    assert [r["action"] for r in batch.rows] == ["ask", "ask", "create"]
    assert importers.blockers(batch) == ["Say what these statuses mean: “On hold”, “on hold”."]
    with pytest.raises(ValidationError, match="On hold"):
        importers.queue_import(batch=batch)

    batch = importers.map_import(batch=batch, mapping=batch.mapping, stages={"On hold": "applied"})

    assert batch.stage_map == {"on hold": "applied"}
    assert [r["fields"]["stage"] for r in batch.rows] == ["applied", "applied", "applied"]
    assert importers.blockers(batch) == []


def test_it_reads_an_empty_status_as_applied_when_there_is_a_date_applied(alice):
    data = _csv("Company,Title,Status,Date applied", "Acme,Buyer,,2024-03-01", "Initech,Planner,,")
    batch = importers.preview_import(owner=alice, data=data, filename="t.csv")

    assert [r["fields"]["stage"] for r in batch.rows] == [Stage.APPLIED, Stage.INTERESTED]


# --- per-row problems and duplicates --------------------------------------------------------------


def test_it_reports_problems_at_their_line_and_column(alice):
    batch = _preview(alice, "google_sheets_tracker.csv")

    assert _row(batch, 8)["action"] == "error"
    assert _row(batch, 8)["problems"] == [
        {"level": "error", "column": "Position", "message": "No role title: this row is skipped."}
    ]
    trey = _row(batch, 9)
    assert trey["action"] == "create"
    assert [(p["column"], p["message"]) for p in trey["problems"]] == [
        ("Applied On", "“32/13/2024” is not a date; left out."),
        ("Compensation", "“Competitive” has no amount; left out."),
        ("Source", "“Hacker News” is not one of our sources: recorded as Job board, and kept "
         "in the notes."),
    ]  # fmt: skip
    assert trey["fields"]["notes"] == "Source: Hacker News"


def test_it_leaves_out_a_bad_link_a_future_date_and_a_bad_currency(alice):
    data = _csv(
        "Company,Title,URL,Date applied,Salary,Currency",
        "Acme,Buyer,not a link,2999-01-01,90000,Doubloons",
    )
    batch = importers.preview_import(owner=alice, data=data, filename="t.csv")

    messages = {p["column"]: p["message"] for p in batch.rows[0]["problems"]}
    assert messages == {
        "URL": "“not a link” is not a web address; left out.",
        "Date applied": "1 Jan 2999 is in the future; left out.",
        "Currency": "“Doubloons” is not a currency we know; left out.",
    }
    assert batch.rows[0]["action"] == "create"


def test_it_flags_duplicates_in_the_file_and_in_the_pipeline(alice):
    acme = make_organization(owner=alice, name="Acme")
    make_opportunity(
        owner=alice, organization=acme, title="Buyer", posting_url="https://acme.test/jobs/1"
    )
    data = _csv(
        "Company,Title,URL",
        "Initech,Analyst,http://www.acme.test/jobs/1/?utm_source=linkedin",
        "ACME ,buyer,",
        "Globex,Planner,https://globex.test/jobs?jk=7",
        "Globex Corp,Planner II,https://globex.test/jobs?jk=7",
        "Globex,Planner,https://globex.test/jobs?jk=8",
        "Globex,Clerk,https://globex.test/jobs?jk=9",
    )
    batch = importers.preview_import(owner=alice, data=data, filename="t.csv")

    assert [r["action"] for r in batch.rows] == ["skip", "skip", "create", "skip", "skip", "create"]
    duplicates = [p["message"] for r in batch.rows for p in r["problems"]]
    assert duplicates == [
        "Already in your pipeline: Buyer at Acme (same posting URL).",
        "Already in your pipeline: Buyer at Acme (same employer and role title).",
        "Same posting as line 4 (same URL).",
        "Same opportunity as line 4 (same employer and role title).",
    ]
    assert importers.summarize(batch.rows)["duplicate"] == 4


def test_it_will_not_take_one_field_from_two_columns_or_go_without_an_employer(alice):
    data = _csv("Company,Title,Status", "Acme,Buyer,Applied")
    batch = importers.preview_import(owner=alice, data=data, filename="t.csv")

    batch = importers.map_import(batch=batch, mapping=["", "title", "title"])

    assert importers.blockers(batch) == [
        "Choose the column that holds the employer.",
        "Role title is chosen for 2 columns (“Title”, “Status”); choose one.",
    ]
    with pytest.raises(ValidationError):
        importers.queue_import(batch=batch)
    with pytest.raises(ValidationError, match="from the list"):
        importers.map_import(batch=batch, mapping=["organization", "title", "salary!"])


# --- refused files --------------------------------------------------------------------------------


def _xlsx(*rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "t.csv", "The file is empty."),
        (b"Company,Title\n", "t.csv", "The file has a header but no opportunities."),
        (b"%PDF-1.7\x00\x01", "t.pdf", "Upload a CSV or an Excel workbook"),
        (b"hello", "t.xlsx", "is named .xlsx but is not an Excel workbook"),
        (b"PK\x03\x04broken", "t.xlsx", "could not be read; it may be damaged"),
        (b"\xff\xfeC\x00o\x00\x00\xd8", "t.csv", "claims to be UTF-16 but is damaged"),
        (b'Company,Title\nAcme,"=HYPERLINK(""http://x"")"\n', "t.csv", "Cell B2 holds a formula"),
        (b'Company,Title\n"Acme,Buyer\n', "t.csv", "the CSV is malformed"),
    ],
)
def test_it_refuses_a_file_it_cannot_use_with_a_clear_message(alice, data, filename, message):
    with pytest.raises(importers.ImportFileError, match=message.replace("(", r"\(")):
        importers.preview_import(owner=alice, data=data, filename=filename)
    assert not OpportunityImport.objects.exists()


def test_it_refuses_formulas_in_a_workbook(alice):
    data = _xlsx(["Company", "Title", "Days"], ["Acme", "Buyer", "=TODAY()-C1"])

    with pytest.raises(importers.ImportFileError, match=r"Cell C2 holds a formula \(=TODAY"):
        importers.preview_import(owner=alice, data=data, filename="t.xlsx")


def test_it_refuses_too_many_rows_and_too_large_a_file(alice, monkeypatch):
    monkeypatch.setattr(importers.apply, "MAX_IMPORT_ROWS", 2)
    many = _csv("Company,Title", "A,B", "C,D", "E,F")
    with pytest.raises(importers.ImportFileError, match="at most 2 at a time"):
        importers.preview_import(owner=alice, data=many, filename="t.csv")
    monkeypatch.setattr(importers.apply, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(importers.ImportFileError, match="the limit is 0 MB"):
        importers.preview_import(owner=alice, data=many, filename="t.csv")


def test_it_refuses_a_workbook_that_unpacks_into_too_much(alice, monkeypatch):
    monkeypatch.setattr("careertips.core.uploads.MAX_XLSX_UNPACKED_BYTES", 1000)
    data = _xlsx(["Company", "Title"], ["Acme", "x" * 5000])

    with pytest.raises(importers.ImportFileError, match="unpacks to more than"):
        importers.preview_import(owner=alice, data=data, filename="t.xlsx")
    assert zipfile.is_zipfile(io.BytesIO(data))


def test_it_reads_a_windows_1252_file_and_says_so(alice):
    data = "Company,Title\nCafé Núñez,Gérant\n".encode("cp1252")
    batch = importers.preview_import(owner=alice, data=data, filename="t.csv")

    assert batch.rows[0]["fields"]["organization"] == "Café Núñez"
    assert "read as Windows-1252" in batch.notes[0]


# --- writing --------------------------------------------------------------------------------------


def test_it_writes_opportunities_with_their_stage_history_on_the_imported_dates(alice):
    make_organization(owner=alice, name="Contoso")
    batch = _preview(alice, "huntr_export.csv")

    batch = importers.apply_import(batch=batch)

    assert (batch.status, batch.created_count, batch.skipped_count) == ("applied", 5, 0)
    contoso = Opportunity.objects.get(title="Plant Manager")
    assert contoso.organization == Organization.objects.get(owner=alice, name="Contoso")
    assert Organization.objects.filter(owner=alice, name__iexact="contoso").count() == 1
    assert (contoso.stage, contoso.found_on, contoso.applied_on) == (
        Stage.INTERVIEWING,
        dt.date(2024, 2, 20),
        dt.date(2024, 2, 22),
    )
    history = [(c.from_stage, c.to_stage, c.changed_at.date()) for c in contoso.stage_changes.all()]
    assert history == [
        ("", "applied", dt.date(2024, 2, 22)),
        ("applied", "interviewing", dt.date(2024, 2, 22)),
    ]
    rejected = Opportunity.objects.get(title="Operations Analyst")
    assert rejected.closed_on == dt.date(2024, 1, 5)
    assert contoso.stage_changed_at.date() == dt.date(2024, 2, 22)
    assert set(Contact.objects.filter(owner=alice).values_list("name", flat=True)) == {
        "Dana Whitfield", "Sam Lee", "Priya Patel", "Omar Haddad"
    }  # fmt: skip
    assert StageChange.objects.filter(opportunity__owner=alice).count() == 8


def test_it_sets_the_hiring_manager_from_the_sheet(alice):
    batch = importers.apply_import(batch=_preview(alice, "excel_tracker.xlsx"))

    opportunity = Opportunity.objects.get(title="Plant Director")
    assert batch.created_count == 4
    assert opportunity.hiring_manager.name == "Liam Murphy"
    assert opportunity.hiring_manager.relationship == Contact.Relationship.HIRING_MANAGER
    assert opportunity.hiring_manager.organization.name == "VanArsdel"


def test_it_adds_nothing_the_second_time_a_file_is_imported(alice):
    importers.apply_import(batch=_preview(alice, "teal_export.csv"))

    again = importers.apply_import(batch=_preview(alice, "teal_export.csv"))

    assert (again.created_count, again.skipped_count) == (0, 6)
    assert Opportunity.objects.filter(owner=alice).count() == 6


def test_it_checks_again_against_the_pipeline_as_it_is_when_writing(alice):
    batch = _preview(alice, "teal_export.csv")
    make_opportunity(
        owner=alice, organization=make_organization(owner=alice, name="Litware"),
        title="Program Manager",
    )  # fmt: skip

    batch = importers.apply_import(batch=batch)

    assert (batch.created_count, batch.skipped_count) == (5, 1)


def test_it_writes_nothing_when_the_writing_fails(alice, monkeypatch):
    batch = _preview(alice, "huntr_export.csv")
    monkeypatch.setattr(StageChange.objects, "bulk_create", _fail)

    with pytest.raises(RuntimeError):
        importers.apply_import(batch=batch)

    assert not Opportunity.objects.exists()
    assert not Organization.objects.exists()
    assert OpportunityImport.objects.get().status == "preview"


def _fail(*args, **kwargs):
    raise RuntimeError("disk full")


def _queries(callback) -> int:
    with CaptureQueriesContext(connection) as captured:
        callback()
    return len(captured)


def _tracker(rows: int) -> bytes:
    lines = ["Company,Title,Status,Date applied,Contacts"]
    lines += [f"Company {n},Role {n},Interviewing,2024-03-01,Person {n}" for n in range(rows)]
    return _csv(*lines)


def test_its_queries_do_not_grow_with_the_number_of_rows(alice, bob):
    small, large = _tracker(5), _tracker(60)

    preview_small = _queries(lambda: importers.preview_import(owner=alice, data=small))
    preview_large = _queries(lambda: importers.preview_import(owner=bob, data=large))
    batches = OpportunityImport.objects.order_by("pk")
    apply_small = _queries(lambda: importers.apply_import(batch=batches[0]))
    apply_large = _queries(lambda: importers.apply_import(batch=batches[1]))

    assert preview_small == preview_large
    assert apply_small == apply_large
    assert Opportunity.objects.filter(owner=bob).count() == 60


def test_a_failed_import_reopens_with_a_note_and_writes_nothing(
    alice, monkeypatch, django_capture_on_commit_callbacks
):
    batch = _preview(alice, "huntr_export.csv")
    monkeypatch.setattr(StageChange.objects, "bulk_create", _fail)

    with django_capture_on_commit_callbacks(execute=True):
        importers.queue_import(batch=batch)

    batch.refresh_from_db()
    assert batch.status == "preview"
    assert batch.notes[-1].startswith("The import stopped with an error and nothing was changed.")
    assert not Opportunity.objects.exists()


def test_an_import_under_way_is_not_started_twice_until_its_worker_is_lost(alice, monkeypatch):
    monkeypatch.setattr("careertips.pipeline.tasks.apply_opportunity_import", _HeldQueue())
    batch = _preview(alice, "teal_export.csv")
    started = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    importers.queue_import(batch=batch, now=started)
    with pytest.raises(ValidationError, match="already under way"):
        importers.queue_import(batch=batch, now=started + dt.timedelta(minutes=5))
    importers.queue_import(batch=batch, now=started + dt.timedelta(minutes=11))

    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == ("applying", 6)
    assert importers.is_stale(batch, now=started + dt.timedelta(minutes=22))


class _HeldQueue:
    def enqueue(self, **kwargs):
        pass
