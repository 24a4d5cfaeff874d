"""The admin site holds nothing of a member's search: administrators manage accounts,
editors the public side, and no one reads or creates a member's rows there."""

import pytest
from django.contrib import admin
from django.test import Client

from careertips.coaching.models import Sharing
from careertips.core.models import User
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.tests.helpers import make_contact
from careertips.pipeline.tests.helpers import make_opportunity

pytestmark = pytest.mark.django_db

MEMBER_PRIVATE_APPS = {"pipeline", "debriefs", "network", "agenda", "coaching", "insights"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_registers_no_member_private_model():
    registered = {model._meta.label for model in admin.site._registry}

    assert not {label for label in registered if label.split(".")[0] in MEMBER_PRIVATE_APPS}
    assert "core.CapturedEmail" not in registered  # the Mailbox page redacts; the admin would not
    for model in admin.site._registry:
        names = {field.name for field in model._meta.fields}
        # Competency shows only the shared default list (no owner), never a member's own.
        assert not ({"owner", "member"} & names) or model._meta.label == "stories.Competency"


def test_it_lets_an_editor_manage_the_public_side_only(editor):
    client = _client(editor)

    index = client.get("/admin/").content.decode()
    assert client.get("/admin/newsletter/issue/").status_code == 200
    assert client.get("/admin/pages/page/").status_code == 200
    assert "/admin/core/user/" not in index
    assert client.get("/admin/core/user/").status_code == 403


def test_it_gives_administrators_accounts_without_searches(administrator, alice):
    opportunity = make_opportunity(owner=alice, title="Secret Plant Manager")
    make_debrief(owner=alice, opportunity=opportunity, feedback="They loved the WMS story")
    make_contact(owner=alice, name="Dana Private")
    client = _client(administrator)

    change = client.get(f"/admin/core/user/{alice.pk}/change/").content.decode()
    index = client.get("/admin/").content.decode()

    for secret in ("Secret Plant Manager", "WMS story", "Dana Private"):
        assert secret not in change and secret not in index
    assert "/admin/newsletter/" not in index
    for path in ("/admin/pipeline/opportunity/", "/admin/debriefs/debrief/",
                 "/admin/network/contact/", "/admin/coaching/sharing/add/",
                 "/admin/core/capturedemail/", "/admin/auth/group/"):  # fmt: skip
        assert client.get(path).status_code == 404, path


def test_it_lets_no_one_give_roles_or_create_accounts_in_the_admin(administrator, alice, coach):
    client = _client(administrator)
    group_id = coach.groups.get().pk

    assert client.get("/admin/core/user/add/").status_code == 403
    client.post(
        f"/admin/core/user/{alice.pk}/change/",
        {"display_name": "Alice M", "is_active": "on", "groups": [group_id], "is_staff": "on",
         "is_superuser": "on"},
    )  # fmt: skip

    alice = User.objects.get(pk=alice.pk)
    assert alice.display_name == "Alice M"
    assert not alice.is_staff and not alice.is_superuser and not alice.groups.exists()
    assert not Sharing.objects.exists()


def test_it_shows_a_coach_an_admin_site_with_nothing_in_it(coach):
    client = _client(coach)

    assert client.get("/admin/pipeline/opportunity/").status_code == 404
    assert client.get("/admin/core/user/").status_code == 403
    assert client.get("/admin/newsletter/issue/").status_code == 403
