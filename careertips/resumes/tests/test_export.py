import io
import shutil
import subprocess

import pytest
from docx import Document

from careertips.pipeline.tests.helpers import make_opportunity
from careertips.resumes import exports, services
from careertips.resumes.models import Credential
from careertips.resumes.tests.factories import make_bullet, make_position, make_profile
from careertips.stories.tests.factories import make_requirement

pytestmark = pytest.mark.django_db

# Debian's poppler-utils (installed by .ci/run and `make pdf-deps`).
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
HOSTILE = "x" * 280 + " \x00\x07\x1b\x0b\ufffe end"
# What reaches the database has passed a form, which refuses NUL (PostgreSQL cannot store it)
# and caps the length; the services below still get every other control character.
STORED = HOSTILE.replace("\x00", "")
RTL = "\u202eהגדלתי את המכירות ב־40% مرحبا 🚀👩🏽‍💻"


@pytest.fixture
def version(alice):
    make_profile(owner=alice)
    Credential.objects.create(owner=alice, title="B.S. Logistics", institution="Purdue")
    first = make_position(owner=alice, employer="Northwind", title="Operations lead")
    second = make_position(owner=alice, employer="Globex", title="Supervisor")
    for title in ("Vendor contracts", "Vendor audit", "Vendor onboarding"):
        make_bullet(position=first, title=title, text=f"{title}: saved $1M on vendor spend.")
    make_bullet(position=second, title="Vendor scorecard", text="Vendor scorecard for 40 vendors.")
    opportunity = make_opportunity(owner=alice)
    make_requirement(opportunity=opportunity, text="Vendor management")
    version = services.tailor_resume(owner=alice, opportunity=opportunity)
    items = list(version.bullets.order_by("order"))
    services.set_bullet_hidden(item=items[1], hidden=True)
    services.move_bullet(item=items[2], up=True)
    return version


def _visible(version):
    return [b.text for b in version.bullets.filter(hidden=False).order_by("order", "id")]


def _hidden(version):
    return [b.text for b in version.bullets.filter(hidden=True)]


def test_it_writes_every_visible_bullet_in_order_with_word_heading_styles(version):
    data = exports.export_resume(version, fmt="docx", template="classic")
    document = Document(io.BytesIO(data))
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == _visible(version)
    assert len(bullets) == 3
    assert _hidden(version)[0] not in [p.text for p in document.paragraphs]
    headings = {p.text: p.style.name for p in document.paragraphs if "Heading" in p.style.name}
    assert headings["Experience"] == "Heading 1"
    assert headings["Operations lead"] == "Heading 2"
    assert document.paragraphs[0].style.name == "Title"
    assert not document.tables and not document.inline_shapes


@pytest.mark.parametrize("template", ["classic", "modern"])
def test_it_writes_the_same_bullets_to_the_pdf(version, template, tmp_path):
    pdf = tmp_path / "resume.pdf"
    pdf.write_bytes(exports.export_resume(version, fmt="pdf", template=template))
    text = subprocess.run(  # noqa: S603 -- a fixed program on a file the test wrote
        [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    positions = [flat.index(bullet) for bullet in _visible(version)]
    assert positions == sorted(positions)
    assert _hidden(version)[0] not in flat
    assert "Alice Moreno" in flat and "B.S. Logistics, Purdue" in flat


def test_it_writes_plain_text_without_hidden_bullets(version):
    text = exports.export_resume(version, fmt="txt", template="classic").decode()
    assert [line[2:] for line in text.splitlines() if line.startswith("- ")] == _visible(version)
    assert "EXPERIENCE" in text


@pytest.mark.parametrize("fmt", ["docx", "pdf", "txt"])
def test_it_exports_hostile_text_without_error(alice, fmt):
    make_profile(owner=alice, name=RTL, headline=STORED[-200:], summary=(RTL + " ") * 200)
    position = make_position(owner=alice, employer=RTL[:50], title=STORED[-40:])
    make_bullet(position=position, text=RTL)
    make_bullet(position=position, title="Long one", text="y" * 300)
    opportunity = make_opportunity(owner=alice)
    version = services.tailor_resume(owner=alice, opportunity=opportunity)
    services.update_version(
        version=version, headline=HOSTILE, summary=HOSTILE * 5, skills=f"{RTL}\n\x01"
    )
    data = exports.export_resume(version, fmt=fmt, template="modern")
    assert data
    letter = services.draft_letter(owner=alice, opportunity=opportunity)
    services.update_letter(
        letter=letter,
        salutation=RTL,
        body=(HOSTILE + "\n\n") * 30,
        closing="Best,\x02",
        signature=RTL,
    )
    assert exports.export_letter(letter, fmt=fmt, template="classic")
    if fmt == "docx":
        paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs]
        assert any("🚀" in p for p in paragraphs)


def test_it_exports_the_cover_letter_in_every_format(alice):
    make_profile(owner=alice, name="Alice Moreno")
    letter = services.draft_letter(owner=alice, opportunity=make_opportunity(owner=alice))
    document = Document(io.BytesIO(exports.export_letter(letter, fmt="docx", template="modern")))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Alice Moreno" and "Dear Hiring Manager," in texts
    assert exports.export_letter(letter, fmt="pdf", template="classic").startswith(b"%PDF-")
    assert b"Dear Hiring Manager," in exports.export_letter(letter, fmt="txt", template="classic")
