import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from careertips.network.tests.helpers import make_contact
from careertips.pipeline.tests.helpers import make_opportunity
from careertips.resumes.models import Bullet, CoverLetter, Position, Profile, ResumeVersion
from careertips.resumes.tests.factories import (
    make_bullet,
    make_position,
    make_profile,
    make_version,
)
from careertips.stories.tests.factories import make_requirement, make_story

pytestmark = pytest.mark.django_db


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_it_saves_the_profile(alice_client, alice):
    response = alice_client.post(
        "/resume/profile/",
        {"name": "Alice Moreno", "headline": "Ops", "contact": "a@example.com", "skills": "Lean"},
    )
    assert response.status_code == 302
    assert Profile.objects.get(owner=alice).skill_list == ["Lean"]
    assert "Alice Moreno" in alice_client.get("/resume/").text


def test_it_adds_a_position_and_says_at_the_field_when_dates_are_backwards(alice_client, alice):
    data = {"employer": "Globex", "title": "Lead", "started_on": "2020-05-01"}
    response = alice_client.post("/resume/positions/new/", {**data, "ended_on": "2019-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["ended_on"] == ["This is before the start date."]
    assert alice_client.post("/resume/positions/new/", data).status_code == 302
    assert Position.objects.get(owner=alice).organization.name == "Globex"


def test_it_suggests_a_bullet_and_places_the_story(alice_client, alice):
    story = make_story(owner=alice, action="I renegotiated contracts.", result="Saved $1.2M.")
    position = make_position(owner=alice)
    page = alice_client.get(f"/resume/stories/{story.pk}/bullet/")
    assert "Renegotiated contracts; saved $1.2M." in page.text
    response = alice_client.post(
        f"/resume/stories/{story.pk}/bullet/", {"text": "Cut costs 18%.", "position": position.pk}
    )
    assert response.status_code == 302
    assert Bullet.objects.get(story=story).position == position


def test_it_refuses_another_members_position_at_the_field(alice_client, alice, bob):
    story = make_story(owner=alice)
    response = alice_client.post(
        f"/resume/stories/{story.pk}/bullet/",
        {"text": "Cut costs.", "position": make_position(owner=bob).pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["position"]


def test_it_lists_the_master_resume_in_a_fixed_number_of_queries(alice_client, alice):
    make_profile(owner=alice)
    make_bullet(position=make_position(owner=alice, employer="A"), title="One")
    few = _count_queries(alice_client, "/resume/")
    for employer in ("B", "C", "D"):
        position = make_position(owner=alice, employer=employer)
        for n in range(3):
            make_bullet(position=position, title=f"{employer}{n}")
    make_story(owner=alice, title="Unplaced")
    assert _count_queries(alice_client, "/resume/") == few


def test_it_lists_versions_in_a_fixed_number_of_queries(alice_client, alice):
    make_version(owner=alice)
    few = _count_queries(alice_client, "/resume/versions/")
    for _ in range(4):
        make_version(owner=alice)
    page = alice_client.get("/resume/versions/")
    assert page.text.count("Version 1") == 5
    assert _count_queries(alice_client, "/resume/versions/") == few


def test_it_tailors_from_the_opportunity_page(alice_client, alice):
    make_bullet(position=make_position(owner=alice))
    opportunity = make_opportunity(owner=alice)
    make_requirement(opportunity=opportunity, text="Vendor contracts")
    response = alice_client.post(f"/resume/opportunities/{opportunity.pk}/tailor/")
    version = ResumeVersion.objects.get(opportunity=opportunity)
    assert response["Location"] == f"/resume/versions/{version.pk}/"
    page = alice_client.get(f"/resume/versions/{version.pk}/")
    assert "1 of 1" in page.text and "Coverage check" in page.text


def test_it_says_why_it_cannot_tailor_yet(alice_client, alice):
    opportunity = make_opportunity(owner=alice)
    response = alice_client.post(f"/resume/opportunities/{opportunity.pk}/tailor/", follow=True)
    assert "Place some stories under your positions first" in response.text


def test_it_returns_the_workspace_partial_to_htmx_after_hiding_a_bullet(alice_client, alice):
    version = make_version(owner=alice)
    item = version.bullets.get()
    response = alice_client.post(
        f"/resume/bullets/{item.pk}/hide/", {"hidden": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="resume-workspace"')
    assert "0 of 1" in response.text
    assert "<html" not in response.text


def test_it_keeps_the_old_text_when_a_rewrite_is_empty(alice_client, alice):
    version = make_version(owner=alice)
    item = version.bullets.get()
    response = alice_client.post(f"/resume/bullets/{item.pk}/", {"text": "  "}, follow=True)
    assert "A bullet needs text" in response.text
    item.refresh_from_db()
    assert item.text


def test_it_marks_a_version_as_sent(alice_client, alice):
    version = make_version(owner=alice)
    alice_client.post(f"/resume/versions/{version.pk}/sent/", {"sent": "1"})
    version.refresh_from_db()
    assert version.sent_at is not None
    assert "sent" in alice_client.get(f"/resume/opportunities/{version.opportunity_id}/").text


def test_it_downloads_a_docx_in_the_chosen_template(alice_client, alice):
    version = make_version(owner=alice)
    response = alice_client.get(f"/resume/versions/{version.pk}/export/docx/?template=modern")
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    assert document.styles["Heading 1"].font.name == "Calibri Light"
    assert alice_client.get(f"/resume/versions/{version.pk}/export/rtf/").status_code == 404


def test_it_drafts_and_edits_the_cover_letter(alice_client, alice):
    manager = make_contact(owner=alice, name="Dana Whitfield")
    opportunity = make_opportunity(owner=alice, hiring_manager=manager)
    url = f"/resume/opportunities/{opportunity.pk}/letter/"
    assert "Draft the cover letter" in alice_client.get(url).text
    alice_client.post(f"{url}draft/")
    assert "Dear Dana Whitfield," in alice_client.get(url).text
    data = {"salutation": "Dear Dana,", "body": "Para one.\n\nPara two.", "closing": "Best,"}
    assert alice_client.post(url, data).status_code == 302
    letter = CoverLetter.objects.get(opportunity=opportunity)
    assert letter.paragraphs == ["Para one.", "Para two."]
    response = alice_client.post(url, {**data, "body": ""})
    assert response.context["form"].errors["body"]


def test_it_uses_no_inline_scripts_or_styles(alice_client, alice):
    version = make_version(owner=alice)
    for url in ("/resume/", f"/resume/versions/{version.pk}/", "/resume/profile/"):
        text = alice_client.get(url).text
        body = text[text.index("<main") :]
        assert "<script" not in body and " style=" not in body and " onclick" not in body
        assert " hx-post" not in body
