"""A person signs up, confirms the address from the email, and lands on Today; a member
downloads their data and deletes the account."""

import json
import re
import zipfile

import pytest
from django.core import mail
from playwright.sync_api import expect

from careertips.core.models import User
from careertips.core.testing import PASSWORD, login, make_user
from careertips.pipeline.models import Opportunity
from careertips.pipeline.tests.helpers import make_opportunity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_signs_up_confirms_and_lands_on_today(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email").fill("jordan@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    page.get_by_role("heading", name="Check your email").wait_for()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url(f"{live_server.url}/today/")
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_it_shows_a_wrong_password_next_to_the_form(browser_page, live_server):
    make_user("alice@example.com")
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    alert = page.get_by_role("alert")
    assert "not correct" in alert.inner_text()
    assert page.url == f"{live_server.url}/accounts/login/"


def test_it_signs_in_through_the_session_cookie_helper(browser_page, live_server):
    alice = make_user("alice@example.com", display_name="Alice Moreno")
    login(browser_page, live_server, alice)

    browser_page.goto(f"{live_server.url}/settings/")

    assert browser_page.get_by_label("Display name").input_value() == "Alice Moreno"


def test_it_downloads_a_members_data_then_deletes_the_account(browser_page, live_server):
    alice = make_user("alice@example.com", display_name="Alice Moreno")
    opportunity = make_opportunity(owner=alice, title="Plant Manager")
    page = browser_page
    login(page, live_server, alice)
    page.goto(f"{live_server.url}/settings/")
    page.get_by_role("link", name="Your data").click()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data (ZIP)").click()
    archive = zipfile.ZipFile(download.value.path())
    rows = json.loads(archive.read("pipeline/opportunities.json"))
    assert [(row["id"], row["title"]) for row in rows] == [(opportunity.pk, "Plant Manager")]

    page.get_by_label("Your password").fill("not it")
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()
    assert User.objects.filter(pk=alice.pk).exists()

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()

    expect(page.get_by_text("Your account and its")).to_be_visible()
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not Opportunity.objects.filter(pk=opportunity.pk).exists()
    page.goto(f"{live_server.url}/today/")
    assert "/accounts/login/" in page.url
