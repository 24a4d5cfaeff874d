"""The opportunity import pages (upload, map, confirm, discard) and the exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from careertips.network.tests.helpers import make_contact, make_organization
from careertips.pipeline.models import Opportunity, OpportunityImport, Stage
from careertips.pipeline.tests.helpers import make_interview, make_opportunity

SAMPLES = Path(__file__).parent / "samples"


def _upload(client, data: bytes, name: str = "tracker.csv"):
    return client.post("/opportunities/import/", {"file": SimpleUploadedFile(name, data)})


def test_it_imports_a_tracker_after_mapping_its_statuses_and_confirming(
    alice_client, alice, django_capture_on_commit_callbacks
):
    data = (SAMPLES / "google_sheets_tracker.csv").read_bytes()

    uploaded = _upload(alice_client, data, "My job search.csv")
    batch = OpportunityImport.objects.get()
    preview = alice_client.get(uploaded["Location"]).content.decode()
    refused = alice_client.post(f"/opportunities/import/{batch.pk}/confirm/", follow=True)
    mapping = {f"column_{i}": key for i, key in enumerate(batch.mapping)}
    mapped = alice_client.post(
        f"/opportunities/import/{batch.pk}/map/", {**mapping, "stage_0": "applied"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = alice_client.post(f"/opportunities/import/{batch.pk}/confirm/")
    done = alice_client.get(confirmed["Location"]).content.decode()

    assert uploaded["Location"] == f"/opportunities/import/{batch.pk}/"
    assert "What do these statuses mean?" in preview
    assert "“On hold” (1 row)" in preview
    assert "<strong>Position:</strong> No role title: this row is skipped." in preview
    assert "Say what these statuses mean: “On hold”." in refused.content.decode()
    assert mapped["Location"] == f"/opportunities/import/{batch.pk}/"
    assert "Import complete" in done
    assert "<strong>5</strong> new, <strong>1</strong> skipped" in done
    held = Opportunity.objects.get(owner=alice, title="Facilities Director")
    assert held.stage == Stage.APPLIED
    assert Opportunity.objects.filter(owner=alice).count() == 5


def test_it_shows_a_mapping_mistake_at_the_column(alice_client, alice):
    _upload(alice_client, b"Company,Title,Status\nAcme,Buyer,Applied\n")
    batch = OpportunityImport.objects.get()

    response = alice_client.post(
        f"/opportunities/import/{batch.pk}/map/",
        {"column_0": "title", "column_1": "title", "column_2": "stage"},
    )

    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors["column_1"] == [
        "“Company” already holds the role title; choose another field or leave this column out."
    ]
    assert form.non_field_errors() == ["Choose the column that holds the employer."]
    assert OpportunityImport.objects.get().mapping == ["organization", "title", "stage"]


def test_it_explains_a_file_it_cannot_import_at_the_field(alice_client, monkeypatch):
    empty = _upload(alice_client, b"")
    formula = _upload(alice_client, b"Company,Title\nAcme,=SUM(A1:A2)\n")
    monkeypatch.setattr("careertips.pipeline.importers.MAX_UPLOAD_BYTES", 10)
    huge = _upload(alice_client, b"Company,Title\nAcme,Buyer\n")

    assert empty.status_code == 200
    assert empty.context["form"].errors["file"] == ["The submitted file is empty."]
    assert "Cell B2 holds a formula (=SUM(A1:A2))" in formula.context["form"].errors["file"][0]
    assert "the limit is 0 MB" in huge.context["form"].errors["file"][0]
    assert not OpportunityImport.objects.exists()


def test_it_discards_an_import_without_writing_anything(alice_client, alice):
    _upload(alice_client, b"Company,Title\nAcme,Buyer\n")
    batch = OpportunityImport.objects.get()

    response = alice_client.post(f"/opportunities/import/{batch.pk}/discard/", follow=True)
    again = alice_client.post(f"/opportunities/import/{batch.pk}/confirm/", follow=True)

    assert "Import discarded; nothing was changed." in response.content.decode()
    assert "already confirmed or discarded" in again.content.decode()
    assert OpportunityImport.objects.get().status == "discarded"
    assert not Opportunity.objects.exists()


def test_it_shows_an_import_under_way_and_polls_for_its_end(alice_client, alice):
    _upload(alice_client, b"Company,Title\nAcme,Buyer\n")
    batch = OpportunityImport.objects.get()
    OpportunityImport.objects.filter(pk=batch.pk).update(status="applying", created_count=1)

    page = alice_client.get(f"/opportunities/import/{batch.pk}/").content.decode()
    poll = alice_client.get(
        f"/opportunities/import/{batch.pk}/",
        headers={"HX-Request": "true", "HX-Target": "import-status"},
    )
    OpportunityImport.objects.filter(pk=batch.pk).update(status="applied")
    finished = alice_client.get(
        f"/opportunities/import/{batch.pk}/",
        headers={"HX-Request": "true", "HX-Target": "import-status"},
    )

    assert "<progress" in page
    assert 'data-hx-trigger="every 1s"' in page
    assert "Adding <strong>1</strong> opportunity" in poll.content.decode()
    assert "<table" not in poll.content.decode()
    assert finished["HX-Refresh"] == "true"


def test_the_import_page_lists_recent_imports_in_few_queries(
    alice_client, alice, django_assert_max_num_queries
):
    for _ in range(3):
        _upload(alice_client, b"Company,Title\nAcme,Buyer\n")

    with django_assert_max_num_queries(8):
        response = alice_client.get("/opportunities/import/")

    assert response.content.decode().count("tracker.csv") == 3


@pytest.mark.parametrize(
    "path", ["/opportunities/import/", "/opportunities/export.csv", "/opportunities/export.xlsx"]
)
def test_it_sends_an_anonymous_visitor_to_log_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- exports --------------------------------------------------------------------------------------


def _opportunities(alice, bob):
    acme = make_organization(owner=alice, name="Acme")
    manager = make_contact(owner=alice, name="Dana Whitfield", organization=acme)
    risky = make_opportunity(
        owner=alice, organization=acme, title="=HYPERLINK(\"http://evil.test\")",
        stage=Stage.INTERVIEWING, pay_min=90_000, pay_max=110_000, currency="EUR",
        hiring_manager=manager, notes="@SUM(1)", posting_url="https://acme.test/jobs/1",
    )  # fmt: skip
    interview = make_interview(opportunity=risky)
    interview.interviewers.set([make_contact(owner=alice, name="Sam Lee")])
    make_opportunity(owner=bob, title="Bob's own")
    return risky


def test_it_exports_opportunities_as_a_csv_safe_to_open_in_a_spreadsheet(alice_client, alice, bob):
    risky = _opportunities(alice, bob)

    response = alice_client.get("/opportunities/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="opportunities-')
    assert len(rows) == 1
    row = rows[0]
    assert row["Role title"] == '\'=HYPERLINK("http://evil.test")'
    assert row["Notes"] == "'@SUM(1)"
    assert (row["Employer"], row["Stage"], row["Pay from"], row["Pay to"], row["Currency"]) == (
        "Acme", "Interviewing", "90000", "110000", "EUR"
    )  # fmt: skip
    assert row["Date applied"] == risky.applied_on.isoformat()
    assert (row["Hiring manager"], row["Contacts"], row["Source"]) == (
        "Dana Whitfield", "Sam Lee", "Job board"
    )  # fmt: skip


def test_it_exports_opportunities_as_an_xlsx_with_text_never_a_formula(alice_client, alice, bob):
    _opportunities(alice, bob)

    response = alice_client.get("/opportunities/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, row = [c.value for c in sheet[1]], sheet[2]
    cells = dict(zip(header, row, strict=True))

    assert sheet.max_row == 2
    assert cells["Role title"].data_type == "s"
    assert cells["Role title"].value == '\'=HYPERLINK("http://evil.test")'
    assert cells["Pay from"].value == 90_000
    assert isinstance(cells["Date applied"].value, dt.datetime)


def test_an_export_reads_back_into_another_account_as_it_was(alice_client, alice, bob):
    _opportunities(alice, bob)
    data = b"".join(alice_client.get("/opportunities/export.csv").streaming_content)
    from careertips.pipeline import importers

    batch = importers.preview_import(owner=bob, data=data, filename="export.csv")
    batch = importers.apply_import(batch=batch)

    copy = Opportunity.objects.get(owner=bob, organization__name="Acme")
    assert batch.preset == "Career Tips export"
    assert copy.title == '=HYPERLINK("http://evil.test")'
    assert (copy.stage, copy.pay_min, copy.pay_max, copy.currency) == (
        Stage.INTERVIEWING, 90_000, 110_000, "EUR"
    )  # fmt: skip
    assert copy.hiring_manager.name == "Dana Whitfield"
    assert copy.notes == "@SUM(1)"


def test_the_exports_read_few_queries_however_many_opportunities(
    alice_client, alice, django_assert_max_num_queries
):
    for n in range(12):
        make_interview(opportunity=make_opportunity(owner=alice, title=f"Role {n}"))

    with django_assert_max_num_queries(12):
        csv_lines = b"".join(alice_client.get("/opportunities/export.csv").streaming_content)
    with django_assert_max_num_queries(12):
        alice_client.get("/opportunities/export.xlsx")

    assert csv_lines.count(b"\n") == 13


def test_the_preview_reads_few_queries_however_many_rows(
    alice_client, alice, django_assert_max_num_queries
):
    lines = ["Company,Title,Status"] + [f"Acme {n},Buyer,Applied" for n in range(250)]
    _upload(alice_client, ("\n".join(lines) + "\n").encode())
    batch = OpportunityImport.objects.get()

    with django_assert_max_num_queries(8):
        response = alice_client.get(f"/opportunities/import/{batch.pk}/?show=all&page=2")

    assert "Page 2 of 3" in response.content.decode()


def test_it_escapes_what_the_file_says_everywhere_on_the_preview(alice_client, alice):
    _upload(
        alice_client,
        b"<b>Company</b>,Title,Status\n<script>alert(1)</script>,<i>Buyer</i>,<img src=x>\n",
    )
    batch = OpportunityImport.objects.get()

    page = alice_client.get(f"/opportunities/import/{batch.pk}/?show=all").content.decode()

    assert "<script>alert(1)" not in page
    assert "<img src=x>" not in page
    assert "<i>Buyer</i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
