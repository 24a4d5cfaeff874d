"""Signing in: one set of limits for every sign-in path, the client's address behind a proxy,
two-factor sign-in (required for practice accounts), short practice sessions, the password
asked again before an email change, and password resets that reveal nothing."""

import datetime as dt
import io
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory, override_settings

from careertips.core import abuse, twofactor
from careertips.core.adapter import MFAAdapter
from careertips.core.http import client_ip
from careertips.core.roles import Role
from careertips.core.testing import PASSWORD, make_user, totp_code

pytestmark = pytest.mark.django_db

WRONG = "not the password"


def _signed_in(client) -> str | None:
    return client.session.get("_auth_user_id")


def _sign_in(client, email: str, password: str = PASSWORD, *, remember: bool = False, **extra):
    data = {"login": email, "password": password} | ({"remember": "on"} if remember else {})
    return client.post("/accounts/login/", data, **extra)


@pytest.fixture
def staff_without_factor(db):
    user = make_user("new.coach@example.com", roles=[Role.COACH])
    Authenticator.objects.filter(user=user).delete()
    return user


# --- one set of limits for the site's form and the admin's -----------------------------------


def test_it_sends_the_admin_sign_in_to_the_sites_form(client, coach):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_it_never_checks_a_password_posted_to_the_admin_sign_in(client, coach):
    for _ in range(25):
        client.post("/admin/login/", {"username": coach.email, "password": WRONG})
    response = client.post("/admin/login/", {"username": coach.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert _signed_in(client) is None


def test_it_locks_an_account_out_of_every_sign_in_path_after_failed_passwords(client, coach):
    for _ in range(6):
        _sign_in(client, coach.email, WRONG)

    site = _sign_in(client, coach.email)
    admin = client.post("/admin/login/", {"username": coach.email, "password": PASSWORD})

    assert "Too many failed login attempts" in site.text
    assert admin.status_code == 302 and admin["Location"].startswith("/accounts/login/")
    assert _signed_in(client) is None
    assert "/accounts/2fa/authenticate/" not in site.get("Location", "")


# --- the client's address behind a proxy ------------------------------------------------------


def _request(remote: str = "10.0.0.2", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_it_takes_the_address_the_trusted_proxy_appended():
    assert client_ip(_request(forwarded="203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request(forwarded="198.51.100.7, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request(forwarded="not-an-address, 203.0.113.9 ")) == "203.0.113.9"
    assert client_ip(_request()) == "10.0.0.2"
    assert client_ip(_request(forwarded="garbage")) is None


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=2)
def test_it_counts_back_as_many_hops_as_there_are_trusted_proxies():
    assert client_ip(_request(forwarded="1.1.1.1, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"
    assert client_ip(_request(forwarded="203.0.113.9")) == "10.0.0.2"


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=0)
def test_it_ignores_forwarded_addresses_without_a_proxy():
    assert client_ip(_request(forwarded="203.0.113.9")) == "10.0.0.2"


def test_it_gives_the_public_forms_the_same_address_as_sign_in():
    assert abuse.client_ip is client_ip


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_it_locks_out_only_the_client_that_failed_behind_the_proxy(client, alice, bob):
    attacker = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for n in range(12):
        _sign_in(client, f"nobody{n}@example.com", WRONG, **attacker)
    assert "Too many failed login attempts" in _sign_in(client, bob.email, **attacker).text

    other = Client()
    response = _sign_in(
        other, alice.email, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4"
    )

    assert response.status_code == 302
    assert _signed_in(other) == str(alice.pk)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_it_does_not_let_a_forged_forwarded_address_escape_the_limit(client, bob):
    for n in range(12):
        # The client writes any address it likes; the proxy appends the real one.
        forged = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": f"192.0.2.{n}, 203.0.113.66"}
        _sign_in(client, f"nobody{n}@example.com", WRONG, **forged)

    forged = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.4, 203.0.113.66"}
    response = _sign_in(client, bob.email, **forged)

    assert "Too many failed login attempts" in response.text
    assert _signed_in(client) is None


# --- two-factor sign-in -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/coaching/clients/", "/mailbox/", "/practice/accounts/", "/admin/", "/staff/", "/today/"],
)
def test_it_sends_a_staff_session_without_a_second_factor_to_set_one_up(
    client, staff_without_factor, path
):
    client.force_login(staff_without_factor)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_it_lets_a_staff_member_without_a_second_factor_reach_the_set_up(
    client, staff_without_factor
):
    client.force_login(staff_without_factor)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})

    page = client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})

    assert page.status_code == 200
    assert "Authenticator secret" in page.text
    assert response.status_code == 302
    assert client.get("/coaching/clients/").status_code == 200
    assert Authenticator.objects.filter(user=staff_without_factor, type="totp").exists()


def test_it_leaves_members_without_a_second_factor_alone(alice_client):
    assert alice_client.get("/today/").status_code == 200


def test_it_asks_a_staff_member_for_the_authenticator_code_at_sign_in(client, coach):
    response = _sign_in(client, coach.email)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert _signed_in(client) is None
    assert client.get("/coaching/clients/").status_code == 302

    wrong = client.post("/accounts/2fa/authenticate/", {"code": totp_code(offset=-40)})
    assert "Incorrect code" in wrong.text
    assert _signed_in(client) is None

    right = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})

    assert right.status_code == 302
    assert _signed_in(client) == str(coach.pk)
    assert client.get("/coaching/clients/").status_code == 200


def test_it_accepts_each_recovery_code_once(client, coach):
    codes = RecoveryCodes.activate(coach).generate_codes()

    _sign_in(client, coach.email)
    first = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert first.status_code == 302
    assert _signed_in(client) == str(coach.pk)
    client.post("/accounts/logout/")

    _sign_in(client, coach.email)
    again = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert "Incorrect code" in again.text
    assert _signed_in(client) is None

    client.post("/accounts/2fa/authenticate/", {"code": codes[1]})
    assert _signed_in(client) == str(coach.pk)


def test_it_lets_a_member_turn_on_an_authenticator_app_from_settings(alice_client, alice):
    assert 'href="/accounts/2fa/"' in alice_client.get("/settings/").text
    assert alice_client.get("/accounts/2fa/").status_code == 200

    alice_client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    alice_client.get("/accounts/2fa/totp/activate/")
    secret = alice_client.session["mfa.totp.secret"]
    response = alice_client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})

    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    assert twofactor.has_second_factor(alice)
    assert alice_client.get("/accounts/2fa/recovery-codes/").status_code == 200


def test_it_offers_security_keys(alice_client):
    alice_client.post("/accounts/reauthenticate/", {"password": PASSWORD})

    response = alice_client.get("/accounts/2fa/webauthn/add/")

    assert response.status_code == 200
    assert "mfa_webauthn_add" in response.text


def test_it_keeps_a_staff_members_last_second_factor(coach, alice):
    from allauth.mfa.totp.internal.auth import TOTP

    adapter = MFAAdapter()
    member_totp = TOTP.activate(alice, "JBSWY3DPEHPK3PXP").instance

    assert not adapter.can_delete_authenticator(Authenticator.objects.get(user=coach))
    assert adapter.can_delete_authenticator(member_totp)


def test_it_sends_a_staff_member_who_removed_their_last_key_to_set_up_another(client, coach):
    Authenticator.objects.filter(user=coach).delete()
    key = Authenticator.objects.create(user=coach, type=Authenticator.Type.WEBAUTHN, data={})
    client.force_login(coach)
    assert client.get("/coaching/clients/").status_code == 200

    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    client.post(f"/accounts/2fa/webauthn/keys/{key.pk}/remove/")

    assert not Authenticator.objects.filter(user=coach).exists()
    response = client.get("/coaching/clients/")
    assert response["Location"] == "/accounts/2fa/totp/activate/"


# --- practice sessions are short ---------------------------------------------------------------


def test_it_ends_staff_sessions_at_browser_close_and_after_twelve_hours(client, coach):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        _sign_in(client, coach.email, remember=True)
        client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
        assert client.get("/coaching/clients/").status_code == 200
        assert client.session.get_expire_at_browser_close()

    with time_machine.travel(dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC), tick=False):
        assert client.get("/coaching/clients/").status_code == 200
    with time_machine.travel(dt.datetime(2026, 3, 2, 21, 1, tzinfo=dt.UTC), tick=False):
        response = client.get("/coaching/clients/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fcoaching%2Fclients%2F"
    assert _signed_in(client) is None


def test_it_keeps_members_signed_in_when_they_ask_to_be_remembered(client, alice):
    _sign_in(client, alice.email, remember=True)

    assert client.get("/today/").status_code == 200
    assert not client.session.get_expire_at_browser_close()


# --- the password again before an email change; resets that reveal nothing ------------------


def test_it_refuses_an_email_change_without_the_password(alice_client, alice):
    response = alice_client.post(
        "/accounts/email/", {"action_add": "", "email": "alice.new@example.com"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not EmailAddress.objects.filter(email="alice.new@example.com").exists()
    assert mail.outbox == []


def test_it_refuses_a_wrong_password_at_reauthentication(alice_client):
    response = alice_client.post("/accounts/reauthenticate/", {"password": WRONG})

    assert response.status_code == 200
    assert response.context["form"].errors


def test_it_sends_nothing_when_a_reset_is_asked_for_an_unknown_address(client, alice):
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert mail.outbox == []

    known = client.post("/accounts/password/reset/", {"email": "alice@example.com"})

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.com"]
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    pages = [client.get(r["Location"]).text for r in (known, unknown)]
    # Identical but for the CSRF token, which is masked afresh on every page.
    assert len({re.sub(r'"[A-Za-z0-9]{64}"', "", page) for page in pages}) == 1


# --- resetting a lost second factor -----------------------------------------------------------


def test_it_resets_a_second_factor_and_ends_the_accounts_sessions(client, coach, alice):
    RecoveryCodes.activate(coach)
    client.force_login(coach)
    other = Client()
    other.force_login(alice)

    out = io.StringIO()
    call_command("reset_mfa", "COACH@example.com", stdout=out)

    assert not Authenticator.objects.filter(user=coach).exists()
    assert "coach@example.com" in out.getvalue()
    assert client.get("/coaching/clients/").status_code == 302
    assert _signed_in(client) is None
    assert _signed_in(other) == str(alice.pk)


def test_it_refuses_to_reset_an_unknown_account():
    with pytest.raises(CommandError, match="No account"):
        call_command("reset_mfa", "nobody@example.com")
