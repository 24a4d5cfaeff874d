"""Capturing a posting: extraction from fixture pages, and the paste → review → save flow."""

import json

import pytest

from careertips.network.tests.helpers import make_organization
from careertips.pipeline.capture import (
    bookmarklet_code,
    extract_posting,
    posting_from_page,
)
from careertips.pipeline.models import Opportunity, PostingCapture
from careertips.pipeline.tests.helpers import make_opportunity
from careertips.pipeline.tests.posting_server import PAGES
from careertips.stories.models import Requirement


def _extract(name: str):
    return extract_posting((PAGES / name).read_text(), url=f"https://jobs.example.com/{name}")


# Extraction ------------------------------------------------------------------------------


def test_it_reads_a_plain_json_ld_posting():
    posting = _extract("plain.html")
    assert posting.structured
    assert (posting.title, posting.employer) == ("Plant Manager", "Northwind Foods")
    assert posting.location == "Dayton, OH, US"
    assert (posting.pay_min, posting.pay_max, posting.currency) == (140000, 165000, "USD")
    assert (posting.date_posted, posting.valid_through) == ("2026-11-20", "2027-01-15")
    assert "- 10+ years of experience leading food manufacturing operations" in (
        posting.description.splitlines()
    )
    assert "<" not in posting.description
    assert "Bachelor's degree" in posting.description


def test_it_reads_a_posting_inside_a_graph():
    posting = _extract("graph.html")
    assert (posting.title, posting.employer) == ("Senior Data Engineer", "Contoso")
    assert posting.work_mode == "remote"
    assert posting.location == "Remote (Germany)"
    # 45 EUR an hour, made yearly; the posted figure is kept in the notes.
    assert (posting.pay_min, posting.pay_max, posting.currency) == (93600, 93600, "EUR")
    assert "Posted pay: 45 EUR per hour (made yearly above)." in posting.notes
    assert posting.date_posted == "2026-12-01"
    assert "- 5 years of experience with Python and SQL" in posting.description.splitlines()


def test_it_reads_a_posting_in_a_list():
    posting = _extract("array.html")
    assert (posting.title, posting.employer) == ("Customer Success Lead", "Fabrikam")
    assert posting.location == "Austin, TX, US; Remote, US"
    assert (posting.pay_min, posting.pay_max) == (90000, 110000)
    assert posting.currency == ""  # XTS is not a currency we record
    assert any("XTS" in note for note in posting.notes)
    assert "- Fluent in Spanish" in posting.description.splitlines()


def test_it_reads_a_microdata_posting():
    posting = _extract("microdata.html")
    assert (posting.title, posting.employer) == ("Warehouse Supervisor", "Tailspin Logistics")
    assert posting.location == "Reno, NV"
    assert (posting.pay_min, posting.pay_max, posting.currency) == (58240, 66560, "USD")
    assert "Forklift certification required" in posting.description


def test_it_falls_back_to_opengraph():
    posting = _extract("plain_page.html")
    assert not posting.structured
    assert (posting.title, posting.employer) == ("Office Manager & Bookkeeper", "Litware")
    assert "QuickBooks" in posting.description


def test_it_falls_back_to_the_page_title():
    posting = _extract("title_only.html")
    assert posting.title == "Night Auditor | Hotel Jobs"
    assert (posting.employer, posting.description) == ("", "")


def test_it_survives_broken_markup():
    posting = extract_posting(
        '<script type="application/ld+json">{"@type": "JobPosting", "title": </script>'
        "<title>Broken</title>",
        url="https://x.example/",
    )
    assert posting.title == "Broken"


def test_it_reads_what_the_bookmarklet_sends():
    block = json.dumps({"@type": "JobPosting", "title": "Buyer", "hiringOrganization": "Adatum"})
    posting = posting_from_page(
        url="https://jobs.example.com/9", title="Page", selection="", jsonld=["{bad", block]
    )
    assert (posting.title, posting.employer, posting.url) == (
        "Buyer",
        "Adatum",
        "https://jobs.example.com/9",
    )
    plain = posting_from_page(
        url="https://x.example/", title=" Buyer  - Adatum ", selection="- Must drive", jsonld=[]
    )
    assert (plain.title, plain.description) == ("Buyer - Adatum", "- Must drive")


def test_it_builds_a_bookmarklet_that_posts_to_the_landing():
    code = bookmarklet_code("https://careertips.example/opportunities/capture/from-page/")
    assert code.startswith("javascript:")
    assert '"https://careertips.example/opportunities/capture/from-page/"' in code
    assert "f.method='post'" in code and "JobPosting" in code and "%" not in code


# The flow ----------------------------------------------------------------------------------


def _paste(client, url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/opportunities/capture/", {"url": url})
    assert response.status_code == 302
    return client.get(response["Location"])


def test_it_reads_a_pasted_posting_and_shows_it_for_review(
    alice_client,
    posting_server,
    django_capture_on_commit_callbacks,
):
    page = _paste(
        alice_client, f"{posting_server.url}/plain.html", django_capture_on_commit_callbacks
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Check what we found" in html
    assert 'value="Plant Manager"' in html
    assert 'value="Northwind Foods"' in html
    assert 'action="/opportunities/capture/review/"' in html
    assert not Opportunity.objects.exists()
    assert PostingCapture.objects.get().status == "ready"


def test_it_preselects_an_employer_the_member_already_has(
    alice,
    alice_client,
    posting_server,
    django_capture_on_commit_callbacks,
):
    employer = make_organization(owner=alice, name="Northwind Foods")
    html = _paste(
        alice_client, f"{posting_server.url}/plain.html", django_capture_on_commit_callbacks
    ).content.decode()
    assert f'<option value="{employer.pk}" selected>' in html


def test_it_shows_a_refusal_at_the_url_field(
    settings,
    alice_client,
    posting_server,
    django_capture_on_commit_callbacks,
):
    settings.SAFE_FETCH_ALLOW_LOOPBACK = False
    page = _paste(
        alice_client, f"{posting_server.url}/plain.html", django_capture_on_commit_callbacks
    )
    html = page.content.decode()
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_capture_url_error"' in html
    assert "private or local network" in html
    assert f'value="{posting_server.url}/plain.html"' in html
    assert PostingCapture.objects.get().status == "failed"


@pytest.mark.parametrize(
    ("path", "message"),
    [("/file.pdf", "not a web page"), ("/redirect/6", "more than 5 times"), ("/huge", "too large")],
)
def test_it_explains_each_failure(
    alice_client,
    posting_server,
    django_capture_on_commit_callbacks,
    path,
    message,
):
    page = _paste(alice_client, posting_server.url + path, django_capture_on_commit_callbacks)
    assert message in page.content.decode()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://jobs.example.com/1", "Use an http:// or https:// address."),
        ("file:///etc/passwd", "Use an http:// or https:// address."),
        ("https://me:pw@jobs.example.com/", "Leave the user name and password out"),
        ("https://", "Enter a web address"),
        ("", "Paste the address of the posting first."),
    ],
)
def test_it_refuses_a_bad_address_at_once(alice_client, url, message):
    response = alice_client.post("/opportunities/capture/", {"url": url})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PostingCapture.objects.exists()


def test_it_shows_progress_while_the_page_is_read(alice, alice_client):
    capture = PostingCapture.objects.create(owner=alice, url="https://jobs.example.com/1")
    html = alice_client.get(f"/opportunities/capture/{capture.pk}/").content.decode()
    assert f'data-hx-get="/opportunities/capture/{capture.pk}/"' in html
    assert 'data-hx-trigger="every 1s"' in html
    partial = alice_client.get(
        f"/opportunities/capture/{capture.pk}/", headers={"HX-Request": "true"}
    )
    assert "<html" not in partial.content.decode() and "Reading" in partial.content.decode()
    capture.status = PostingCapture.Status.READY
    capture.save(update_fields=["status"])
    done = alice_client.get(f"/opportunities/capture/{capture.pk}/", headers={"HX-Request": "true"})
    assert done["HX-Redirect"] == f"/opportunities/capture/{capture.pk}/"


def _review_data(**kw):
    data = {
        "title": "Plant Manager",
        "organization_name": "Northwind Foods",
        "posting_url": "https://jobs.example.com/plant",
        "location": "Dayton, OH",
        "work_mode": "onsite",
        "source": "job_board",
        "currency": "USD",
        "found_on": "",
        "stage": "interested",
        "description": "What you bring:\n- 10+ years leading plants\n- Lean certification",
        "add_requirements": "on",
    }
    data.update(kw)
    return data


def test_it_saves_the_reviewed_posting_with_its_requirement_lines(alice, alice_client):
    response = alice_client.post(
        "/opportunities/capture/review/", _review_data(found_on="2026-12-01")
    )
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/{opportunity.pk}/"
    assert opportunity.organization.name == "Northwind Foods"
    assert [r.text for r in Requirement.objects.order_by("position")] == [
        "10+ years leading plants",
        "Lean certification",
    ]
    coverage = alice_client.get(f"/stories/coverage/{opportunity.pk}/").content.decode()
    assert "Lean certification" in coverage


def test_it_saves_the_people_named_on_the_review_form(alice, alice_client):
    from careertips.network.tests.helpers import make_contact

    referrer = make_contact(owner=alice, name="Sam Patel")
    data = _review_data(
        found_on="2026-12-01", hiring_manager_name="Dana Reyes", referred_by=str(referrer.pk)
    )
    response = alice_client.post("/opportunities/capture/review/", data)
    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert opportunity.hiring_manager.name == "Dana Reyes"
    assert opportunity.hiring_manager.organization == opportunity.organization
    assert opportunity.referred_by == referrer


def test_it_saves_without_requirements_when_asked(alice_client):
    data = _review_data(found_on="2026-12-01")
    del data["add_requirements"]
    alice_client.post("/opportunities/capture/review/", data)
    assert Opportunity.objects.count() == 1 and not Requirement.objects.exists()


def test_it_keeps_the_review_form_on_bad_input(alice_client):
    response = alice_client.post(
        "/opportunities/capture/review/", _review_data(title="", found_on="2026-12-01")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required" in html and "Check the highlighted fields" in html
    assert 'action="/opportunities/capture/review/"' in html
    assert not Opportunity.objects.exists()


def test_it_warns_of_the_same_posting_or_role(alice, bob, alice_client):
    employer = make_organization(owner=alice, name="Northwind Foods")
    make_opportunity(owner=alice, organization=employer, title="Plant Manager")
    make_opportunity(owner=alice, title="Buyer", posting_url="https://jobs.example.com/buyer")
    make_opportunity(owner=bob, title="Plant Manager", posting_url="https://jobs.example.com/x")
    first = alice_client.post(
        "/opportunities/capture/from-page/",
        {"url": "https://jobs.example.com/x", "title": "Plant Manager - Northwind Foods"},
    ).content.decode()
    assert "You may already have this one" not in first  # bob's posting is not alice's
    same_role = alice_client.post(
        "/opportunities/capture/from-page/",
        {
            "url": "https://other.example/1",
            "jsonld": json.dumps(
                {
                    "@type": "JobPosting",
                    "title": "plant manager",
                    "hiringOrganization": "northwind foods",
                }
            ),
        },
    ).content.decode()
    assert (
        "You may already have this one" in same_role and "Plant Manager at Northwind" in same_role
    )
    same_url = alice_client.post(
        "/opportunities/capture/from-page/", {"url": "https://jobs.example.com/buyer/"}
    ).content.decode()
    assert "You may already have this one" in same_url and "Buyer at" in same_url


def test_it_lands_the_bookmarklet_on_the_review_form_without_writing(alice_client):
    client = alice_client
    client.handler.enforce_csrf_checks = True
    response = client.post(
        "/opportunities/capture/from-page/",
        {
            "url": "https://jobs.example.com/7",
            "title": "Buyer <b>now</b>",
            "selection": "Requirements:\n- Five years of purchasing",
            "jsonld": ['{"@type": "JobPosting", "title": "Senior Buyer <script>"}'],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Senior Buyer &lt;script&gt;"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert not Opportunity.objects.exists() and not PostingCapture.objects.exists()
    # Saving still needs the CSRF token the review form carries.
    refused = client.post("/opportunities/capture/review/", _review_data(found_on="2026-12-01"))
    assert refused.status_code == 403 and not Opportunity.objects.exists()


def test_it_hands_the_bookmarklet_data_on_when_the_session_cookie_stayed_behind(client, db):
    response = client.post(
        "/opportunities/capture/from-page/",
        {"url": "https://jobs.example.com/7", "title": "Buyer", "jsonld": ["{}", "[]"]},
    )
    html = response.content.decode()
    assert "data-autosubmit" in html and 'name="handoff"' in html
    assert html.count('name="jsonld"') == 2
    second = client.post("/opportunities/capture/from-page/", {"handoff": "1", "url": "x"})
    assert second.status_code == 403 and "Sign in to Career Tips first" in second.content.decode()


def test_it_explains_the_bookmarklet(alice_client):
    html = alice_client.get("/opportunities/capture/bookmarklet/").content.decode()
    assert 'href="javascript:(function(){' in html
    assert "http://testserver/opportunities/capture/from-page/" in html


def test_it_offers_capture_on_the_list_board_and_new_page(alice_client):
    for url in ("/opportunities/", "/opportunities/board/", "/opportunities/new/"):
        html = alice_client.get(url).content.decode()
        assert 'action="/opportunities/capture/"' in html, url


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/opportunities/capture/"),
        ("post", "/opportunities/capture/"),
        ("post", "/opportunities/capture/review/"),
        ("get", "/opportunities/capture/bookmarklet/"),
    ],
)
def test_it_sends_visitors_to_sign_in(client, db, method, url):
    response = getattr(client, method)(url, {})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not PostingCapture.objects.exists()


def test_it_sends_a_plain_visit_to_the_landing_to_the_explanation(alice_client):
    response = alice_client.get("/opportunities/capture/from-page/")
    assert response["Location"] == "/opportunities/capture/bookmarklet/"


def test_it_keeps_a_clear_reason_when_reading_fails_unexpectedly(alice, monkeypatch):
    from careertips.pipeline import tasks

    def broken(*, capture):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(tasks, "read_capture", broken)
    capture = PostingCapture.objects.create(owner=alice, url="https://jobs.example.com/1")
    assert tasks.read_posting.call(capture_id=capture.pk) == "failed"
    capture.refresh_from_db()
    assert capture.error == "Something went wrong reading this page; try again."


def test_it_reads_a_capture_once(alice, posting_server):
    from careertips.pipeline import tasks

    capture = PostingCapture.objects.create(owner=alice, url=f"{posting_server.url}/plain.html")
    assert tasks.read_posting.call(capture_id=capture.pk) == "ready"
    assert tasks.read_posting.call(capture_id=capture.pk) is None
    assert posting_server.requests == ["/plain.html"]


def test_it_clears_old_captures_when_a_new_one_starts(alice, bob, time_machine):
    from careertips.pipeline.services import start_capture

    time_machine.move_to("2026-12-01 09:00Z", tick=False)
    PostingCapture.objects.create(owner=alice, url="https://jobs.example.com/old")
    PostingCapture.objects.create(owner=bob, url="https://jobs.example.com/bobs")
    time_machine.move_to("2026-12-03 09:00Z", tick=False)
    start_capture(owner=alice, url=" https://jobs.example.com/new ")
    assert sorted(PostingCapture.objects.values_list("url", flat=True)) == [
        "https://jobs.example.com/bobs",
        "https://jobs.example.com/new",
    ]


def test_it_notes_the_dates_and_the_posted_pay():
    posting = _extract("plain.html")
    assert posting.notes == [
        "Posted pay: 140,000–165,000 USD per year.",
        "Posted on 2026-11-20.",
        "Open until 2027-01-15.",
    ]
    assert posting.form_initial()["notes"].splitlines()[2] == "Open until 2027-01-15."


def test_it_limits_how_many_postings_a_member_reads_an_hour(alice_client, monkeypatch):
    from careertips.pipeline.views import capture

    monkeypatch.setattr(capture, "CAPTURES_PER_HOUR", 2)
    for _ in range(2):
        alice_client.post("/opportunities/capture/", {"url": "https://jobs.example.com/1"})
    third = alice_client.post("/opportunities/capture/", {"url": "https://jobs.example.com/1"})
    assert third.status_code == 200
    assert "postings in the last hour" in third.content.decode()
    assert PostingCapture.objects.count() == 2


def test_it_looks_for_duplicates_of_text_with_nul_characters_without_error(alice):
    from careertips.pipeline.services import find_duplicates

    saved = make_opportunity(owner=alice, title="Plant Manager", posting_url="https://x.test/1")
    found = find_duplicates(
        owner=alice, url="https://x.test/1\x00", employer="\x00", title="Plant\x00 Manager"
    )
    assert found == [saved]


def test_it_drops_nul_characters_the_bookmarklet_sends(alice_client):
    response = alice_client.post(
        "/opportunities/capture/from-page/",
        {"url": "https://jobs.example.com/\x00a", "title": "Plant\x00 Manager", "handoff": "1"},
    )
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()
