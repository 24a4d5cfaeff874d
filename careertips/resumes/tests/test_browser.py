import io
import shutil
import subprocess

import pytest
from docx import Document
from playwright.sync_api import expect

from careertips.core.testing import login
from careertips.network.tests.helpers import make_contact
from careertips.pipeline.tests.helpers import make_opportunity
from careertips.resumes.tests.factories import make_bullet, make_position, make_profile

pytestmark = pytest.mark.browser

POSTING = """Operations Manager — Globex

What you will bring:
- Vendor contract negotiation
- Warehouse safety programs
- Hiring and coaching team leads
"""
VENDOR = "Negotiated vendor contracts with five suppliers; saved $1M a year on vendor spend."
REWRITE = (
    "Hired and coached six team leads and ran the warehouse safety program; turnover fell 30%."
)


@pytest.fixture
def opportunity(transactional_db, alice):
    make_profile(owner=alice, name="Alice Moreno")
    position = make_position(owner=alice, employer="Northwind")
    make_bullet(
        position=position,
        title="Vendor consolidation",
        challenge="Costs rose.",
        action="Negotiated vendor contracts with five suppliers.",
        result="Saved $1M a year on vendor spend.",
        text=VENDOR,
    )
    make_bullet(
        position=position,
        title="Team building",
        challenge="Leads kept leaving.",
        action="Hired and coached six team leads.",
        result="Turnover fell 30%.",
        text="Hired and coached six team leads; turnover fell 30%.",
    )
    make_bullet(
        position=position,
        title="Office move",
        challenge="The lease ended.",
        action="Planned the office move.",
        result="Moved 80 desks over one weekend.",
        text="Moved 80 desks over one weekend.",
    )
    manager = make_contact(owner=alice, name="Dana Whitfield")
    return make_opportunity(owner=alice, title="Operations Manager", hiring_manager=manager)


def test_it_tailors_edits_checks_and_downloads_a_resume_and_drafts_the_letter(
    browser_page, live_server, alice, opportunity, tmp_path
):
    page = browser_page
    login(page, live_server, alice)

    # The posting becomes requirement lines.
    page.goto(f"{live_server.url}/stories/coverage/{opportunity.pk}/")
    page.get_by_label("Posting text").fill(POSTING)
    page.get_by_role("button", name="Read the requirements").click()
    expect(page.locator(".stories-requirement")).to_have_count(3)

    # Tailor: the vendor and hiring stories answer two of the three requirements.
    page.goto(f"{live_server.url}/resume/opportunities/{opportunity.pk}/")
    page.get_by_role("button", name="Tailor a résumé").click()
    check = page.locator(".resumes-check-count")
    expect(check).to_contain_text("2 of 3")
    expect(page.locator(".resumes-missing-terms")).to_contain_text("safety")

    # Hide the vendor bullet: its requirement is no longer addressed.
    vendor = page.locator(".resumes-item", has=page.locator(f'input[value="{VENDOR}"]'))
    vendor.get_by_role("button", name="Hide bullet 1").click()
    expect(check).to_contain_text("1 of 3")

    # Rewrite the hiring bullet to answer the safety requirement too.
    hiring = page.locator(".resumes-item", has=page.locator('input[value^="Hired and coached"]'))
    hiring.get_by_role("textbox").fill(REWRITE)
    hiring.get_by_role("button", name="Save bullet 2").click()
    expect(check).to_contain_text("2 of 3")
    expect(page.locator(".resumes-missing-terms")).not_to_contain_text("safety")

    # Downloads carry the visible bullets only.
    page.get_by_label("Template").select_option("modern")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download DOCX").click()
    with open(download.value.path(), "rb") as docx:
        texts = [p.text for p in Document(io.BytesIO(docx.read())).paragraphs]
    assert REWRITE in texts and VENDOR not in texts
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    pdf = tmp_path / "resume.pdf"
    pdf.write_bytes(open(download.value.path(), "rb").read())  # noqa: SIM115
    program = shutil.which("pdftotext") or "/usr/bin/pdftotext"
    text = subprocess.run(  # noqa: S603 -- a fixed program on a file the test wrote
        [program, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert REWRITE in flat and VENDOR not in flat

    # The cover letter draft is addressed to the hiring manager.
    page.goto(f"{live_server.url}/resume/opportunities/{opportunity.pk}/letter/")
    page.get_by_role("button", name="Draft the cover letter").click()
    expect(page.get_by_label("Salutation")).to_have_value("Dear Dana Whitfield,")
    expect(page.get_by_label("Letter")).to_contain_text("You ask for")


@pytest.mark.django_db(transaction=True)
def test_it_passes_axe_on_the_resume_pages(browser_page, live_server):
    from careertips.core.demo import MEMBER_EMAIL, seed_demo
    from careertips.core.models import User
    from careertips.core.tests.test_accessibility import _violations
    from careertips.pipeline.models import Opportunity
    from careertips.resumes import services

    seed_demo()
    member = User.objects.get(email=MEMBER_EMAIL)
    opportunity = Opportunity.objects.filter(owner=member, requirements__isnull=False).first()
    opportunity = opportunity or Opportunity.objects.filter(owner=member).first()
    version = services.tailor_resume(owner=member, opportunity=opportunity)
    services.draft_letter(owner=member, opportunity=opportunity)
    story = version.bullets.first().bullet.story
    login(browser_page, live_server, member)
    paths = [
        "/resume/", "/resume/profile/", "/resume/versions/", "/resume/positions/new/",
        f"/resume/opportunities/{opportunity.pk}/", version.get_absolute_url(),
        f"/resume/opportunities/{opportunity.pk}/letter/", f"/resume/stories/{story.pk}/bullet/",
    ]  # fmt: skip
    found = {path: _violations(browser_page, live_server.url + path) for path in paths}
    assert {path: v for path, v in found.items() if v} == {}


@pytest.mark.django_db(transaction=True)
def test_it_edits_a_version_under_the_content_security_policy(browser_page, live_server, alice):
    from careertips.core.tests.test_browser_csp import Watch
    from careertips.resumes import services

    make_profile(owner=alice)
    make_bullet(position=make_position(owner=alice), text="Cut vendor costs 18%.")
    opportunity = make_opportunity(owner=alice)
    version = services.tailor_resume(owner=alice, opportunity=opportunity)
    story = version.bullets.get().bullet.story
    login(browser_page, live_server, alice)
    watch = Watch(browser_page)
    for path in ("/resume/", f"/resume/stories/{story.pk}/bullet/", "/resume/versions/"):
        watch.visit(live_server.url + path)
    watch.visit(live_server.url + version.get_absolute_url())
    browser_page.get_by_role("button", name="Hide bullet 1").click()
    expect(browser_page.get_by_role("button", name="Show bullet 1")).to_be_visible()
    watch.check("after hiding a bullet")
