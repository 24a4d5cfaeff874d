"""The Accounts page: administrators give and take roles, confirm addresses and send fresh
links; nobody else reaches it, and nothing on it shows a member's search."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from careertips.coaching.models import Sharing
from careertips.core.models import User
from careertips.core.roles import Role
from careertips.core.testing import make_user
from careertips.pipeline.tests.helpers import make_opportunity

pytestmark = pytest.mark.django_db


def test_it_lists_accounts_with_their_roles_and_addresses(administrator_client, alice, coach):
    EmailAddress.objects.filter(user=alice).update(verified=False)

    response = administrator_client.get("/practice/accounts/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "alice@example.com" in page and "coach@example.com" in page
    assert '<span class="badge">coach</span>' in page
    assert "<strong>not confirmed</strong>" in page


def test_it_finds_accounts_by_address_or_name(administrator_client, alice, bob):
    page = administrator_client.get("/practice/accounts/?q=moreno").content.decode()

    assert "alice@example.com" in page and "bob@example.com" not in page


def test_it_lists_accounts_in_the_same_queries_however_many(
    administrator_client, django_assert_num_queries
):
    administrator_client.get("/practice/accounts/")  # warm the session
    with django_assert_num_queries(7) as few:
        administrator_client.get("/practice/accounts/")
    for n in range(15):
        make_user(f"someone{n}@example.com", roles=[Role.COACH] if n % 2 else [])
    with django_assert_num_queries(len(few)):
        administrator_client.get("/practice/accounts/")


def test_it_shows_no_member_data_on_an_account(administrator_client, alice):
    make_opportunity(owner=alice, title="Secret Plant Manager")

    page = administrator_client.get(f"/practice/accounts/{alice.pk}/").content.decode()

    assert "alice@example.com" in page
    assert "Secret Plant Manager" not in page


def test_it_gives_several_roles_to_one_person(administrator_client, alice):
    response = administrator_client.post(
        f"/practice/accounts/{alice.pk}/", {"roles": ["coach", "editor"]}
    )

    assert response.status_code == 302
    alice = User.objects.get(pk=alice.pk)
    assert alice.role_names == {"coach", "editor"} and alice.is_staff


def test_it_ends_every_sharing_when_a_coach_is_demoted(administrator_client, coach, alice, bob):
    Sharing.objects.create(member=alice, coach=coach)
    Sharing.objects.create(member=bob, coach=coach)
    coach_client = Client()
    coach_client.force_login(coach)
    assert coach_client.get(f"/coaching/clients/{alice.pk}/").status_code == 200

    administrator_client.post(f"/practice/accounts/{coach.pk}/", {"roles": ["editor"]})

    assert not Sharing.objects.filter(coach=coach).exists()
    assert coach_client.get(f"/coaching/clients/{alice.pk}/").status_code == 404
    assert coach_client.get("/coaching/clients/").status_code == 404


def test_it_keeps_sharings_when_a_coach_gains_another_role(administrator_client, coach, alice):
    Sharing.objects.create(member=alice, coach=coach)

    administrator_client.post(f"/practice/accounts/{coach.pk}/", {"roles": ["coach", "editor"]})

    assert Sharing.objects.filter(coach=coach).exists()


def test_it_refuses_to_remove_the_last_administrator_at_the_field(
    administrator_client, administrator
):
    response = administrator_client.post(f"/practice/accounts/{administrator.pk}/", {})

    assert response.status_code == 400
    assert "only administrator" in response.content.decode()
    assert User.objects.get(pk=administrator.pk).is_administrator


def test_it_refuses_a_role_that_does_not_exist(administrator_client, alice):
    response = administrator_client.post(
        f"/practice/accounts/{alice.pk}/", {"roles": ["superuser"]}
    )

    assert response.status_code == 400
    assert "not one of the available choices" in response.content.decode()
    assert not User.objects.get(pk=alice.pk).is_staff


def test_it_marks_an_address_confirmed(administrator_client, alice):
    EmailAddress.objects.filter(user=alice).update(verified=False)

    response = administrator_client.post(f"/practice/accounts/{alice.pk}/confirm/", follow=True)

    assert EmailAddress.objects.get(user=alice).verified
    assert "alice@example.com is confirmed" in response.content.decode()


def test_it_sends_a_fresh_confirmation_link(administrator_client, alice):
    EmailAddress.objects.filter(user=alice).update(verified=False)

    response = administrator_client.post(
        f"/practice/accounts/{alice.pk}/link/", {"link": "confirmation"}, follow=True
    )

    [message] = mail.outbox
    assert message.to == ["alice@example.com"]
    assert "/accounts/confirm-email/" in message.body
    assert "A fresh link is on its way" in response.content.decode()


def test_it_says_so_when_the_address_is_already_confirmed(administrator_client, alice):
    response = administrator_client.post(
        f"/practice/accounts/{alice.pk}/link/", {"link": "confirmation"}, follow=True
    )

    assert not mail.outbox
    assert "already confirmed" in response.content.decode()


def test_it_sends_a_fresh_password_reset_link(administrator_client, alice):
    administrator_client.post(f"/practice/accounts/{alice.pk}/link/", {"link": "reset"})

    [message] = mail.outbox
    assert message.to == ["alice@example.com"]
    assert "/accounts/password/reset/key/" in message.body


def test_it_refuses_an_unknown_kind_of_link(administrator_client, alice):
    response = administrator_client.post(
        f"/practice/accounts/{alice.pk}/link/", {"link": "magic"}, follow=True
    )

    assert not mail.outbox
    assert "Choose a confirmation or a password-reset link." in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "coach", "editor"])
def test_it_hides_the_accounts_page_from_everyone_but_administrators(request, who, bob):
    client = Client()
    client.force_login(request.getfixturevalue(who))

    assert client.get("/practice/accounts/").status_code == 404
    assert (
        client.post(f"/practice/accounts/{bob.pk}/", {"roles": ["administrator"]}).status_code
        == 404
    )
    assert not User.objects.get(pk=bob.pk).is_staff


def test_it_shows_the_accounts_link_to_administrators_only(administrator_client, coach):
    assert 'href="/practice/accounts/"' in administrator_client.get("/today/").content.decode()
    client = Client()
    client.force_login(coach)
    assert 'href="/practice/accounts/"' not in client.get("/today/").content.decode()
