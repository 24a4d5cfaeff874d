import pytest

from careertips.network import importers
from careertips.network.importers import ImportFileError, apply_import, parse_upload, preview_import
from careertips.network.models import Contact, ImportBatch, Organization
from careertips.network.tests.helpers import (
    LINKEDIN_HEADER,
    linkedin_csv,
    make_contact,
    make_organization,
)

DANA = (
    "Dana,Whitfield,https://www.linkedin.com/in/dana-w,dana@acme.test,Acme Analytics,"
    "Director of Ops,14 Mar 2024"
)
SAM = "Sam,Lee,https://www.linkedin.com/in/sam-lee,,Bolt,Recruiter,02 Jan 2023"

VCARD_3 = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Osei;Kim;;;\r\nFN:Kim Osei\r\nORG:ASQ Boston;Board\r\n"
    "TITLE:Chapter chair\r\nEMAIL;TYPE=INTERNET:kim@home.test\r\n"
    "EMAIL;TYPE=INTERNET,PREF:kim@asq.test\r\nTEL;TYPE=CELL:+1 555 0100\r\n"
    "CATEGORIES:ASQ,mentor\r\nNOTE:Met at the spring dinner\\, great chat\r\nEND:VCARD\r\n"
)
VCARD_4 = (
    "BEGIN:VCARD\nVERSION:4.0\nFN:José Núñez\nN:Núñez;José;;;\nORG:Bolt\n"
    'EMAIL;TYPE=work;PREF=1:jose@bolt.test\nTEL;VALUE=uri;TYPE="voice,cell":tel:+1-555-0199\n'
    "URL:https://bolt.test/team/jose\nEND:VCARD\n"
)


def _rows(parsed):
    return {row["fields"].get("name", ""): row for row in parsed.rows}


# --- LinkedIn ------------------------------------------------------------------------------------


def test_it_reads_a_linkedin_export_after_its_notes_preamble():
    parsed = parse_upload(data=linkedin_csv(DANA, SAM), filename="Connections.csv")

    assert parsed.source == "linkedin"
    dana = _rows(parsed)["Dana Whitfield"]["fields"]
    assert dana == {
        "name": "Dana Whitfield",
        "profile_url": "https://www.linkedin.com/in/dana-w",
        "email": "dana@acme.test",
        "organization": "Acme Analytics",
        "title": "Director of Ops",
        "how_we_met": "Connected on LinkedIn, 14 Mar 2024",
    }
    assert _rows(parsed)["Sam Lee"]["line"] == 6
    assert all(not row["problems"] for row in parsed.rows)


def test_it_reads_an_older_export_without_a_url_column():
    data = (
        b"First Name,Last Name,Email Address,Company,Position,Connected On\n"
        b"Dana,Whitfield,dana@acme.test,Acme,Director,14 Mar 2024\n"
    )

    (row,) = parse_upload(data=data).rows

    assert row["fields"]["email"] == "dana@acme.test"


def test_it_reports_each_bad_row_and_keeps_the_good_ones():
    data = linkedin_csv(
        DANA,
        ",,,nobody@acme.test,Acme,,01 Jan 2024",
        "Lee,Park,,not-an-email,Bolt,Engineer,someday",
        'Ann,Moss,,ann@x.test,"Acme, Inc",VP,Sales,01 Feb 2024',
        "Ben,Hall,javascript:alert(1),,Acme,,",
    )

    rows = parse_upload(data=data).rows

    messages = [[p["level"] + ": " + p["message"] for p in row["problems"]] for row in rows]
    assert messages[0] == []
    assert messages[1] == ["error: No name: a contact needs at least a first or last name."]
    assert messages[2] == [
        "warning: “someday” under Connected On is not a date; left out.",
        "warning: “not-an-email” is not a valid email address; left out.",
    ]
    assert rows[2]["fields"]["email"] == ""
    assert messages[3][0].startswith("error: This line has 8 values but the header has 7")
    assert messages[4] == ["warning: “javascript:alert(1)” is not a web address; left out."]


def test_it_names_the_missing_columns():
    data = b"First Name,Last Name,URL,Company\nDana,Whitfield,,Acme\n"

    with pytest.raises(ImportFileError) as caught:
        parse_upload(data=data)

    assert str(caught.value) == (
        "The LinkedIn file is missing these columns: Email Address, Position, Connected On."
    )


def test_it_explains_a_file_with_no_header():
    with pytest.raises(ImportFileError) as caught:
        parse_upload(data=b"name;email\nDana;dana@acme.test\n", filename="people.csv")

    assert "No header row found" in str(caught.value)
    assert "First Name, Last Name" in str(caught.value)


def test_it_reads_utf8_with_a_byte_order_mark():
    data = b"\xef\xbb\xbf" + linkedin_csv("José,Núñez,,,Bolt,,", preamble=False)

    parsed = parse_upload(data=data)

    assert parsed.rows[0]["fields"]["name"] == "José Núñez"
    assert parsed.notes == []


def test_it_falls_back_to_windows_1252_and_says_so():
    data = (LINKEDIN_HEADER + "José,Núñez,,,Café € Co,,\r\n").encode("cp1252")

    parsed = parse_upload(data=data)

    assert parsed.encoding == "cp1252"
    assert parsed.rows[0]["fields"]["name"] == "José Núñez"
    assert parsed.rows[0]["fields"]["organization"] == "Café € Co"
    assert parsed.notes == [
        "The file is not UTF-8; it was read as Windows-1252. "
        "Check that accented names look right below."
    ]


def test_it_falls_back_to_latin_1_when_windows_1252_cannot_read_it():
    data = (LINKEDIN_HEADER + "Ann,Moss,,,Acme\x81,,\r\n").encode("latin-1")

    parsed = parse_upload(data=data)

    assert parsed.encoding == "latin-1"
    assert "Latin-1" in parsed.notes[0]


def test_it_reads_utf16_from_spreadsheet_programs():
    data = linkedin_csv(DANA).decode().encode("utf-16")

    assert parse_upload(data=data).rows[0]["fields"]["name"] == "Dana Whitfield"


def test_it_refuses_binary_and_empty_files():
    with pytest.raises(ImportFileError, match="binary"):
        parse_upload(data=b"PK\x03\x04\x00\x00xlsx")
    with pytest.raises(ImportFileError, match="empty"):
        parse_upload(data=b"  \n")
    with pytest.raises(ImportFileError, match="no contacts"):
        parse_upload(data=linkedin_csv())


def test_it_refuses_a_file_over_the_size_limit():
    data = linkedin_csv(DANA) + b"x" * importers.MAX_UPLOAD_BYTES

    with pytest.raises(ImportFileError) as caught:
        parse_upload(data=data)

    assert "the limit is 5 MB" in str(caught.value)


def test_it_refuses_too_many_rows(monkeypatch):
    monkeypatch.setattr(importers.parse, "MAX_IMPORT_ROWS", 3)

    with pytest.raises(ImportFileError) as caught:
        parse_upload(data=linkedin_csv(*[f"P{n},Q,,,,," for n in range(4)]))

    assert "more than 3 contacts" in str(caught.value)


def test_it_reports_malformed_csv_with_its_line():
    data = linkedin_csv(DANA) + b'"Unclosed,Quote,' + b"x" * 200_000 + b"\n"

    with pytest.raises(ImportFileError) as caught:
        parse_upload(data=data)

    assert "the CSV is malformed" in str(caught.value)


def test_it_cuts_overlong_values_with_a_warning():
    (row,) = parse_upload(data=linkedin_csv(f"Dana,Whitfield,,,Acme,{'x' * 300},")).rows

    assert len(row["fields"]["title"]) == 200
    assert row["problems"] == [{"level": "warning", "message": "The title was cut to 200 chars."}]


# --- vCard ---------------------------------------------------------------------------------------


def test_it_reads_several_vcards_of_versions_3_and_4():
    parsed = parse_upload(data=(VCARD_3 + VCARD_4).encode(), filename="contacts.vcf")

    assert parsed.source == "vcard"
    kim, jose = (row["fields"] for row in parsed.rows)
    assert kim == {
        "name": "Kim Osei",
        "organization": "ASQ Boston",
        "title": "Chapter chair",
        "email": "kim@asq.test",
        "phone": "+1 555 0100",
        "profile_url": "",
        "notes": "Met at the spring dinner, great chat",
        "tags": ["ASQ", "mentor"],
    }
    assert jose["name"] == "José Núñez"
    assert jose["email"] == "jose@bolt.test"
    assert jose["phone"] == "+1-555-0199"
    assert jose["profile_url"] == "https://bolt.test/team/jose"


def test_it_turns_a_broken_card_into_an_error_row_and_reads_the_rest():
    broken = "BEGIN:VCARD\nVERSION:3.0\nFN Nobody\nEND:VCARD\n"
    unfinished = "BEGIN:VCARD\nVERSION:3.0\nFN:Half\n"
    nameless = "BEGIN:VCARD\nVERSION:3.0\nEMAIL:x@y.test\nEND:VCARD\n"

    rows = parse_upload(data=(broken + VCARD_3 + nameless + unfinished).encode()).rows

    assert [r["fields"].get("name", "") for r in rows] == ["", "Kim Osei", "", ""]
    assert rows[0]["problems"][0]["message"].startswith("This card could not be read")
    assert rows[1]["problems"] == []
    assert rows[2]["problems"][0]["message"].startswith("No name")
    assert rows[3]["problems"][0]["message"] == "This card has no END:VCARD line."


def test_it_says_when_a_vcf_file_has_no_cards():
    with pytest.raises(ImportFileError, match="No vCards found"):
        parse_upload(data=b"hello\n", filename="contacts.vcf")


# --- preview and confirm --------------------------------------------------------------------------


def test_it_writes_nothing_until_the_import_is_confirmed(alice):
    batch = preview_import(owner=alice, data=linkedin_csv(DANA, SAM), filename="Connections.csv")

    assert batch.is_pending
    assert [row["action"] for row in batch.rows] == ["create", "create"]
    assert not Contact.objects.exists()
    assert not Organization.objects.exists()

    apply_import(batch=batch)

    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.skipped_count) == ("applied", 2, 0)
    dana = Contact.objects.get(name="Dana Whitfield")
    assert dana.owner == alice
    assert dana.organization.name == "Acme Analytics"
    assert dana.organization.owner == alice
    assert batch.rows[0]["match"]["pk"] == dana.pk


def test_it_flags_duplicates_within_the_file_and_of_existing_contacts(alice):
    make_contact(
        owner=alice, name="Sam Lee", organization=make_organization(owner=alice, name="Bolt")
    )
    data = linkedin_csv(DANA, SAM, "Dana,W.,,DANA@acme.test,Acme Analytics,,")

    batch = preview_import(owner=alice, data=data)

    assert [row["action"] for row in batch.rows] == ["create", "update", "skip"]
    assert batch.rows[1]["problems"] == [
        {
            "level": "duplicate",
            "message": "Already in your network as Sam Lee (same name at the same organization); "
            "adds how we met, profile url, title.",
        }
    ]
    assert batch.rows[2]["problems"][0]["message"] == "Same person as line 5 (same email)."
    assert importers.summarize(batch.rows)["duplicate"] == 2


def test_it_fills_blanks_but_never_overwrites(alice):
    sam = make_contact(
        owner=alice,
        name="Sam Lee",
        title="Head of Talent",
        organization=make_organization(owner=alice, name="Bolt"),
    )

    apply_import(batch=preview_import(owner=alice, data=linkedin_csv(SAM)))

    sam.refresh_from_db()
    assert sam.title == "Head of Talent"
    assert sam.profile_url == "https://www.linkedin.com/in/sam-lee"
    assert Contact.objects.count() == 1


def test_it_changes_nothing_when_the_same_file_is_imported_again(alice):
    data = linkedin_csv(DANA, SAM)
    apply_import(batch=preview_import(owner=alice, data=data))
    before = list(Contact.objects.order_by("pk").values())

    again = preview_import(owner=alice, data=data)
    assert [row["action"] for row in again.rows] == ["skip", "skip"]
    apply_import(batch=again)

    again.refresh_from_db()
    assert (again.created_count, again.updated_count, again.skipped_count) == (0, 0, 2)
    assert list(Contact.objects.order_by("pk").values()) == before
    assert Organization.objects.count() == 2


def test_it_matches_again_when_confirming_a_stale_preview(alice):
    data = linkedin_csv(DANA)
    first, second = preview_import(owner=alice, data=data), preview_import(owner=alice, data=data)
    apply_import(batch=first)

    apply_import(batch=second)

    assert Contact.objects.count() == 1
    second.refresh_from_db()
    assert second.created_count == 0


def test_it_refuses_to_confirm_twice(alice):
    batch = preview_import(owner=alice, data=linkedin_csv(DANA))
    apply_import(batch=batch)

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        apply_import(batch=batch)
    assert Contact.objects.count() == 1


def test_it_imports_vcard_tags_and_keeps_them_idempotent(alice):
    data = (VCARD_3 + VCARD_4).encode()
    apply_import(batch=preview_import(owner=alice, data=data, filename="a.vcf"))

    kim = Contact.objects.get(name="Kim Osei")
    assert sorted(t.name for t in kim.tags.all()) == ["ASQ", "mentor"]
    again = apply_import(batch=preview_import(owner=alice, data=data, filename="a.vcf"))
    assert (again.created_count, again.updated_count) == (0, 0)


def test_it_keeps_imports_apart_between_members(alice, bob):
    make_contact(owner=bob, name="Dana Whitfield", email="dana@acme.test")
    make_organization(owner=bob, name="Acme Analytics")

    batch = apply_import(batch=preview_import(owner=alice, data=linkedin_csv(DANA)))

    assert batch.created_count == 1
    dana = Contact.objects.get(owner=alice)
    assert dana.organization.owner == alice
    assert ImportBatch.objects.owned_by(bob).count() == 0
