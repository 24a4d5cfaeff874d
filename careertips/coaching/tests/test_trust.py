"""The trust rule: a member's data is read only by a coach they share with, every read is
logged for the member to see, and access ends the moment sharing stops."""

import pytest
from django.core import mail
from django.test import Client

from careertips.coaching.models import AccessLogEntry, Sharing
from careertips.core.roles import Role
from careertips.core.testing import make_user
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.tests.helpers import make_contact
from careertips.pipeline.tests.helpers import make_opportunity
from careertips.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _member_pages(member) -> list[str]:
    opportunity = make_opportunity(owner=member, title="Plant Manager")
    debrief = make_debrief(owner=member)
    contact = make_contact(owner=member, name="Dana Private")
    story = make_story(owner=member)
    return [
        f"/opportunities/{opportunity.pk}/", f"/debriefs/{debrief.pk}/",
        f"/network/contacts/{contact.pk}/", f"/stories/{story.pk}/",
        f"/coaching/clients/{member.pk}/",
    ]  # fmt: skip


def test_it_gives_editors_and_administrators_404_on_a_members_pages(
    alice, alice_client, editor, administrator
):
    paths = _member_pages(alice)
    for path in paths[:-1]:
        assert alice_client.get(path).status_code == 200, path
    for user in (editor, administrator, make_user("all@example.com", roles=Role.values)):
        client = _client_for(user)
        for path in paths:
            assert client.get(path).status_code == 404, (user.email, path)


def test_it_gives_even_a_coach_shared_with_404_on_the_members_own_pages(alice, coach):
    paths = _member_pages(alice)
    Sharing.objects.create(member=alice, coach=coach)
    client = _client_for(coach)

    for path in paths[:-1]:
        assert client.get(path).status_code == 404, path
    assert client.get(paths[-1]).status_code == 200


def test_it_ends_access_and_logging_the_moment_sharing_stops(alice, coach, alice_client):
    Sharing.objects.create(member=alice, coach=coach)
    coach_client = _client_for(coach)
    assert coach_client.get(f"/coaching/clients/{alice.pk}/").status_code == 200

    alice_client.post("/coaching/stop/", {"coach": coach.pk})

    assert coach_client.get(f"/coaching/clients/{alice.pk}/").status_code == 404
    assert AccessLogEntry.objects.filter(member=alice).count() == 1


def test_it_logs_every_read_of_a_members_data_by_a_coach(alice, bob, coach):
    Sharing.objects.create(member=alice, coach=coach)
    Sharing.objects.create(member=bob, coach=coach)
    client = _client_for(coach)

    client.get("/coaching/clients/")
    client.get(f"/coaching/clients/{alice.pk}/")
    client.post(f"/coaching/clients/{alice.pk}/notes/", {"body": ""})  # the page, shown again

    entries = list(AccessLogEntry.objects.filter(member=alice).order_by("id"))
    assert [(e.coach, e.coach_name, e.path) for e in entries] == [
        (coach, "Robin Coach", "/coaching/clients/"),
        (coach, "Robin Coach", f"/coaching/clients/{alice.pk}/"),
        (coach, "Robin Coach", f"/coaching/clients/{alice.pk}/notes/"),
    ]
    assert entries[1].page.startswith("Client page: Pipeline and interviews")
    assert AccessLogEntry.objects.filter(member=bob).count() == 1


def test_it_logs_nothing_when_a_coach_is_refused(alice, coach):
    _client_for(coach).get(f"/coaching/clients/{alice.pk}/")

    assert not AccessLogEntry.objects.exists()


def test_it_shows_the_member_their_access_log_under_your_data(alice, bob, coach, alice_client):
    Sharing.objects.create(member=alice, coach=coach)
    Sharing.objects.create(member=bob, coach=coach)
    _client_for(coach).get(f"/coaching/clients/{alice.pk}/")
    _client_for(coach).get(f"/coaching/clients/{bob.pk}/")

    page = alice_client.get("/settings/data/").content.decode()

    assert "Who has read your search" in page
    assert "Robin Coach" in page and f"/coaching/clients/{alice.pk}/" in page
    assert f"/coaching/clients/{bob.pk}/" not in page


def test_it_tells_a_member_no_coach_has_read_their_search(alice_client):
    page = alice_client.get("/settings/data/").content.decode()

    assert "No coach has read your search." in page


def test_it_lists_only_coaches_on_the_share_form_by_name(
    alice_client, coach, editor, administrator
):
    make_user("nameless.coach@example.com", roles=[Role.COACH])

    page = alice_client.get("/coaching/").content.decode()

    assert "Robin Coach" in page and "nameless.coach" in page
    assert "nameless.coach@example.com" not in page
    assert "Eddie Editor" not in page and "Ada Administrator" not in page


def test_it_refuses_to_share_with_an_editor_or_administrator(alice_client, editor, administrator):
    for user in (editor, administrator):
        response = alice_client.post("/coaching/share/", {"coach": user.pk})
        assert response.status_code == 400
        assert "Choose one of the practice&#x27;s coaches." in response.content.decode()
    assert not Sharing.objects.exists()


def test_it_tells_the_coach_by_email_when_someone_starts_sharing(
    alice, alice_client, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post("/coaching/share/", {"coach": coach.pk})
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post("/coaching/share/", {"coach": coach.pk})  # already shared: no news

    [message] = mail.outbox
    assert message.to == ["coach@example.com"]
    assert message.subject == "Alice Moreno shared their search with you on Career Tips"
    assert f"/coaching/clients/{alice.pk}/" in message.body
    html = message.alternatives[0][0]
    assert f"/coaching/clients/{alice.pk}/" in html and "Alice Moreno" in html
