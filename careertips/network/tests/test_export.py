import csv
import datetime as dt
import io

import vobject

from careertips.network import services
from careertips.network.exports import export_csv_lines, export_vcard_lines, neutralise
from careertips.network.importers import apply_import, preview_import
from careertips.network.models import Contact
from careertips.network.tests.helpers import make_contact, make_organization

FIELDS = [
    "name", "title", "email", "phone", "profile_url", "relationship", "warmth", "how_we_met",
    "next_touch_on", "cadence_days", "notes",
]  # fmt: skip


def _export_csv(owner) -> str:
    return "".join(export_csv_lines(owner))


def _snapshot(owner) -> list[tuple]:
    return [
        (
            *(getattr(c, f) for f in FIELDS),
            c.organization.name if c.organization else "",
            sorted(t.name for t in c.tags.all()),
        )
        for c in Contact.objects.owned_by(owner).order_by("name")
    ]


def test_it_neutralises_every_formula_trigger():
    for risky in ["=1+2", "+1 555", "-2", "@SUM(A1)", "\tx", "\rx"]:
        assert neutralise(risky) == "'" + risky
    assert neutralise("Dana") == "Dana"
    assert neutralise("") == ""
    assert neutralise(None) == ""


def test_it_exports_a_csv_that_spreadsheets_cannot_execute(alice):
    make_contact(
        owner=alice,
        name='=HYPERLINK("http://evil.test","click")',
        title="@SUM(1)",
        notes="-cmd|' /C calc'!A0",
        phone="+1 555 0100",
    )

    rows = list(csv.reader(io.StringIO(_export_csv(alice))))

    assert rows[0][:3] == ["Name", "Title", "Organization"]
    assert rows[1][0] == '\'=HYPERLINK("http://evil.test","click")'
    assert rows[1][1] == "'@SUM(1)"
    assert rows[1][4] == "'+1 555 0100"
    assert rows[1][12] == "'-cmd|' /C calc'!A0"
    risky = ("=", "+", "-", "@", "\t", "\r")
    assert not any(cell.startswith(risky) for row in rows for cell in row)


def test_it_round_trips_contacts_through_csv(alice, bob):
    asq = make_organization(owner=alice, name="ASQ Boston", kind="association")
    dana = make_contact(
        owner=alice,
        name="Dana Whitfield",
        title="Director, Ops",
        email="dana@acme.test",
        phone="+1 555 0100",
        profile_url="https://www.linkedin.com/in/dana-w",
        relationship=Contact.Relationship.HIRING_MANAGER,
        warmth=Contact.Warmth.HOT,
        how_we_met="Interviewed me, March",
        next_touch_on=dt.date(2030, 5, 1),
        cadence_days=60,
        notes='Line one\nLine "two", with comma',
    )
    dana.tags.set(services.tags_named(owner=alice, names=["ops", "ASQ"]))
    make_contact(owner=alice, name="Kim Osei", organization=asq, email="=kim@asq.test")

    data = _export_csv(alice).encode()
    batch = apply_import(batch=preview_import(owner=bob, data=data, filename="export.csv"))

    assert batch.source == "careertips"
    assert batch.created_count == 2
    assert _snapshot(bob) == _snapshot(alice)
    assert Contact.objects.get(owner=bob, name="Kim Osei").email == "=kim@asq.test"


def test_it_reimports_its_own_export_without_changes(alice):
    make_contact(owner=alice, name="Dana Whitfield", email="dana@acme.test", phone="+1 555")
    before = _snapshot(alice)

    batch = apply_import(batch=preview_import(owner=alice, data=_export_csv(alice).encode()))

    assert (batch.created_count, batch.updated_count) == (0, 0)
    assert _snapshot(alice) == before


def test_it_round_trips_contacts_through_vcard(alice, bob):
    dana = make_contact(
        owner=alice,
        name="José Núñez",
        title="Director",
        email="jose@acme.test",
        phone="+1 555 0100",
        profile_url="https://www.linkedin.com/in/jose",
        notes="Met at ASQ; likes cycling, hiking",
    )
    dana.tags.set(services.tags_named(owner=alice, names=["ops", "mentor"]))
    make_contact(owner=alice, name="Cher", organization=None)

    data = "".join(export_vcard_lines(alice))
    cards = list(vobject.readComponents(data))
    assert [c.fn.value for c in cards] == ["Cher", "José Núñez"]
    assert cards[1].n.value.family == "Núñez"

    apply_import(batch=preview_import(owner=bob, data=data.encode(), filename="x.vcf"))

    copy = Contact.objects.get(owner=bob, name="José Núñez")
    assert (copy.title, copy.email, copy.phone, copy.profile_url, copy.notes) == (
        "Director",
        "jose@acme.test",
        "+1 555 0100",
        "https://www.linkedin.com/in/jose",
        "Met at ASQ; likes cycling, hiking",
    )
    assert copy.organization.name == "Acme Analytics"
    assert sorted(t.name for t in copy.tags.all()) == ["mentor", "ops"]
