"""Roles on Django groups: who holds what, the staff flag kept in step, role-only pages,
and `careertips create_account`."""

import io
import sys
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from careertips.core.decorators import role_required
from careertips.core.models import User
from careertips.core.roles import Role, parse_roles
from careertips.core.services import set_roles
from careertips.core.testing import make_user

pytestmark = pytest.mark.django_db


def test_it_creates_a_group_per_role_with_the_permissions_it_needs():
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions")}
    assert set(Role.values) <= set(groups)

    def codenames(role: str) -> set[str]:
        return {p.codename for p in groups[role].permissions.all()}

    assert codenames("coach") == set()
    assert {"change_issue", "view_subscriber", "change_page"} <= codenames("editor")
    assert codenames("administrator") == {"change_user", "view_user"}
    member_private = ("opportunity", "debrief", "contact", "story", "sharing", "coachnote")
    for role in Role.values:
        assert not [c for c in codenames(role) if c.split("_", 1)[1] in member_private]


def test_it_keeps_is_staff_true_exactly_while_a_role_is_held(alice, administrator):
    assert not alice.is_staff and not alice.is_coach

    set_roles(user=alice, roles=[Role.COACH, Role.EDITOR], by=administrator)
    alice = User.objects.get(pk=alice.pk)
    assert alice.is_staff and alice.is_coach and alice.is_editor and not alice.is_administrator
    assert not alice.is_superuser

    removed = set_roles(user=alice, roles=[], by=administrator)
    alice = User.objects.get(pk=alice.pk)
    assert removed == {Role.COACH, Role.EDITOR}
    assert not alice.is_staff and alice.role_names == frozenset()


def test_it_forgets_cached_roles_when_they_change(alice, administrator):
    assert not alice.is_editor  # cached as no roles
    set_roles(user=alice, roles=[Role.EDITOR], by=administrator)
    assert alice.is_editor


def test_it_gives_an_inactive_account_no_role(editor):
    editor.is_active = False
    assert not editor.is_editor


def test_it_never_takes_away_the_last_administrator(administrator):
    with pytest.raises(ValidationError, match="only administrator"):
        set_roles(user=administrator, roles=[Role.COACH], by=administrator)
    assert User.objects.get(pk=administrator.pk).is_administrator

    make_user("second.admin@example.com", roles=[Role.ADMINISTRATOR])
    set_roles(user=administrator, roles=[], by=administrator)
    assert not User.objects.get(pk=administrator.pk).is_staff


def test_it_reads_a_comma_separated_list_of_roles():
    assert parse_roles(" coach, Editor,,coach ") == [Role.COACH, Role.EDITOR]
    assert parse_roles("") == []
    with pytest.raises(ValueError, match="No such role: 'superuser'"):
        parse_roles("coach,superuser")


def test_it_lets_only_holders_of_the_role_through(alice, coach, editor):
    @role_required(Role.EDITOR, Role.ADMINISTRATOR)
    def view(request):
        return HttpResponse("ok")

    def call(user):
        request = RequestFactory().get("/x/")
        request.user = user
        return view(request)

    assert call(editor).status_code == 200
    for user in (alice, coach):
        with pytest.raises(Http404):
            call(user)


def _create(*args: str, stdin: str = "") -> str:
    out = StringIO()
    old, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        call_command("create_account", *args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def test_it_creates_an_account_with_roles_and_a_confirmed_address_from_the_command():
    out = _create(
        "Robin@Example.com", "--roles", "coach,editor", "--name", "Robin Hale",
        "--password-from-stdin", stdin="a long enough passphrase\n",
    )  # fmt: skip

    user = User.objects.get(email="robin@example.com")
    assert "Created robin@example.com (coach, editor); address confirmed." in out
    assert user.role_names == {"coach", "editor"} and user.is_staff and not user.is_superuser
    assert user.display_name == "Robin Hale"
    assert user.check_password("a long enough passphrase")
    assert EmailAddress.objects.get(user=user).verified


def test_it_creates_an_account_without_a_password_and_says_how_to_set_one():
    out = _create("member@example.com")

    user = User.objects.get(email="member@example.com")
    assert not user.has_usable_password() and not user.is_staff
    assert "careertips changepassword member@example.com" in out


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["x@example.com", "--roles", "owner"], "", "No such role: 'owner'"),
        (["not-an-address"], "", "valid email"),
        (["alice@example.com"], "", "already exists"),
        (["y@example.com", "--password-from-stdin"], "\n", "No password on standard input"),
        (["y@example.com", "--password-from-stdin"], "123\n", "too short"),
    ],
)
def test_it_refuses_bad_input_to_the_command_with_a_clear_message(alice, args, stdin, message):
    with pytest.raises(CommandError, match=message):
        _create(*args, stdin=stdin)
    assert not User.objects.filter(email="y@example.com").exists()
