"""Sign-up keeps the time zone the browser reports, and falls back to the site's own."""

import pytest
from django.conf import settings

from careertips.core.forms import detected_time_zone
from careertips.core.models import User
from careertips.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _signup(client, **extra):
    data = {"email": "jordan@example.com", "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", {**data, **extra})


def test_it_keeps_the_time_zone_the_browser_reports(client):
    response = _signup(client, time_zone="America/Chicago")

    assert response.status_code == 302
    assert User.objects.get(email="jordan@example.com").time_zone == "America/Chicago"


@pytest.mark.parametrize(
    "extra",
    [
        {"time_zone": "Mars/Olympus_Mons"},
        {"time_zone": "<script>"},
        {"time_zone": "x" * 500},
        {"time_zone": ""},
        {},
    ],
    ids=["unknown", "markup", "too-long", "empty", "missing"],
)
def test_it_falls_back_to_the_site_time_zone_without_an_error(client, extra):
    response = _signup(client, **extra)

    assert response.status_code == 302, response.context["form"].errors
    assert User.objects.get(email="jordan@example.com").time_zone == settings.TIME_ZONE


def test_it_leaves_a_hidden_field_for_the_script_to_fill(client):
    page = client.get("/accounts/signup/").content.decode()

    assert '<input type="hidden" name="time_zone" data-detect-time-zone' in page
    assert "<script>" not in page.split("<body", 1)[1]  # no inline script: app.js fills it


def test_it_keeps_the_detected_zone_when_the_form_comes_back_with_an_error(client):
    response = _signup(client, password2="different", time_zone="Europe/Madrid")

    assert response.status_code == 200
    assert 'name="time_zone" value="Europe/Madrid"' in response.content.decode()


def test_it_checks_names_against_the_time_zone_database():
    assert detected_time_zone("Asia/Kolkata") == "Asia/Kolkata"
    assert detected_time_zone(" Europe/Madrid ") == "Europe/Madrid"
    assert detected_time_zone("europe/madrid") == settings.TIME_ZONE
    assert detected_time_zone(None) == settings.TIME_ZONE
