"""Accounts through django-allauth: sign up with a confirmed address, sign in and out,
password reset and change, email change, and the member's settings page."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from careertips.core.models import User
from careertips.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a quieter violet lantern"


def _html(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def _link(message, pattern: str) -> str:
    match = re.search(rf"https?://[^/\s]+({pattern})", message.body)
    assert match, message.body
    return match.group(1)


def _signup(client, email: str = "jordan@example.com"):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def _logged_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_it_sends_a_verification_mail_on_signup(client):
    response = _signup(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jordan@example.com"]
    assert message.subject == "[Career Tips] Confirm your email address to start using Career Tips"
    assert "Please confirm that jordan@example.com is your address for Career Tips" in message.body
    path = _link(message, r"/accounts/confirm-email/[^/\s]+/")
    assert f'href="http://testserver{path}"' in _html(message)
    address = EmailAddress.objects.get(email="jordan@example.com")
    assert not address.verified
    assert _logged_in_user_id(client) is None


def test_it_refuses_signup_errors_at_the_field(client, alice):
    response = client.post(
        "/accounts/signup/", {"email": "not-an-address", "password1": "x", "password2": "y"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "email" in form.errors
    assert 'aria-invalid="true"' in response.text
    assert not User.objects.filter(email="not-an-address").exists()


def test_it_does_not_let_an_unverified_member_sign_in(client):
    _signup(client)
    client.logout()
    mail.outbox.clear()

    response = client.post(
        "/accounts/login/", {"login": "jordan@example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert _logged_in_user_id(client) is None


def test_it_confirms_the_address_only_by_post_and_signs_in(client):
    _signup(client)
    path = _link(mail.outbox[0], r"/accounts/confirm-email/[^/\s]+/")

    page = client.get(path)
    assert page.status_code == 200
    assert "jordan@example.com" in page.text
    assert not EmailAddress.objects.get(email="jordan@example.com").verified

    response = client.post(path)

    assert response.status_code == 302
    assert response["Location"] == "/today/"
    assert EmailAddress.objects.get(email="jordan@example.com").verified
    user = User.objects.get(email="jordan@example.com")
    assert _logged_in_user_id(client) == str(user.pk)


def test_it_signs_a_verified_member_in(client, alice):
    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/today/"
    assert _logged_in_user_id(client) == str(alice.pk)


def test_it_shows_a_wrong_password_as_a_form_error(client, alice):
    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": "nope"})

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.text
    assert 'class="form-errors"' in response.text
    assert _logged_in_user_id(client) is None


def test_it_rate_limits_failed_sign_ins(client, alice):
    for _ in range(5):
        client.post("/accounts/login/", {"login": "alice@example.com", "password": "nope"})

    # Even the right password is refused until the window passes.
    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.text
    assert _logged_in_user_id(client) is None


def test_it_answers_429_to_a_flood_of_sign_ins_from_one_address(client):
    statuses = [
        client.post(
            "/accounts/login/", {"login": f"guess{n}@example.com", "password": "nope"}
        ).status_code
        for n in range(31)
    ]

    assert statuses[0] == 200
    assert statuses[-1] == 429
    response = client.post("/accounts/login/", {"login": "a@example.com", "password": "nope"})
    assert "<h1>Too many attempts</h1>" in response.text


def test_it_resets_a_forgotten_password_by_mail(client, alice):
    response = client.post("/accounts/password/reset/", {"email": "alice@example.com"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[Career Tips] Reset your password"
    assert "Choose a new password" in _html(message)
    key_path = _link(message, r"/accounts/password/reset/key/[^/\s]+/")
    form_path = client.get(key_path)["Location"]  # the key moves into the session

    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_it_does_not_reveal_whether_an_address_has_an_account(client, alice):
    known = client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_it_changes_the_password_after_checking_the_old_one(alice_client, alice):
    wrong = alice_client.post(
        "/accounts/password/change/",
        {"oldpassword": "not it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert "oldpassword" in wrong.context["form"].errors

    response = alice_client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert _logged_in_user_id(alice_client) == str(alice.pk)
    assert [m.subject for m in mail.outbox] == ["[Career Tips] Your password was changed"]
    assert mail.outbox[0].to == ["alice@example.com"]


def test_it_changes_the_email_only_once_the_new_address_is_confirmed(alice_client, alice):
    alice_client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = alice_client.post(
        "/accounts/email/", {"action_add": "", "email": "alice.new@example.com"}
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice.new@example.com"]
    path = _link(mail.outbox[0], r"/accounts/confirm-email/[^/\s]+/")

    alice_client.post(path)

    alice.refresh_from_db()
    assert alice.email == "alice.new@example.com"
    assert EmailAddress.objects.get(user=alice, primary=True).email == "alice.new@example.com"
    notice = mail.outbox[-1]
    assert notice.to == ["alice@example.com"]
    assert notice.subject == "[Career Tips] Your sign-in address was changed"
    assert "from alice@example.com to alice.new@example.com" in notice.body
    assert "from alice@example.com to alice.new@example.com" in _html(notice)


def test_it_signs_out_only_on_post(alice_client, alice):
    page = alice_client.get("/accounts/logout/")

    assert page.status_code == 200
    assert _logged_in_user_id(alice_client) == str(alice.pk)

    response = alice_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert _logged_in_user_id(alice_client) is None


def test_it_renders_the_sign_in_page_in_the_product_layout(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert "<title>Sign in · Career Tips</title>" in response.text
    assert 'class="card auth"' in response.text
    assert '<label for="id_login">Email</label>' in response.text
    assert 'class="button"' in response.text


# --- the settings page -----------------------------------------------------------------------


def _settings(**overrides):
    data = {"display_name": "Alice M.", "time_zone": "Europe/Madrid", "follow_up_days": "10"}
    data.update(overrides)
    return data


def test_it_shows_the_settings_of_the_member(alice_client):
    response = alice_client.get("/settings/")

    assert response.status_code == 200
    assert 'value="Alice Moreno"' in response.text
    assert 'aria-current="page">Settings</a>' in response.text


def test_it_saves_settings(alice_client, alice):
    response = alice_client.post("/settings/", _settings())

    assert response.status_code == 302
    assert response["Location"] == "/settings/"
    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone, alice.follow_up_days) == (
        "Alice M.",
        "Europe/Madrid",
        10,
    )


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("time_zone", "Mars/Olympus_Mons", "Select a valid choice."),
        ("follow_up_days", "0", "greater than or equal to 1"),
        ("follow_up_days", "1000", "less than or equal to 90"),
        ("follow_up_days", "soon", "Enter a whole number."),
        ("display_name", "x" * 121, "at most 120 characters"),
    ],
)
def test_it_refuses_bad_settings_at_the_field(alice_client, alice, field, value, error):
    response = alice_client.post("/settings/", _settings(**{field: value}))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert error in errors[field][0]
    assert 'class="field field-error"' in response.text
    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone, alice.follow_up_days) == (
        "Alice Moreno",
        "UTC",
        7,
    )


def test_it_sends_anonymous_visitors_from_settings_to_sign_in(client):
    response = client.get("/settings/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/settings/"
