"""A member shares their search with a coach, who may read it (and nothing else) until the
member stops; both write in one thread of notes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careertips.coaching import services
from careertips.coaching.models import CoachNote, Sharing
from careertips.core.roles import Role
from careertips.core.testing import make_user
from careertips.debriefs.tests.helpers import make_debrief
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_interview, make_opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_coach():
    return make_user("second.coach@example.com", roles=[Role.COACH], display_name="Sam Second")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_lets_a_coach_read_the_search_a_member_shares(alice, coach, alice_client):
    make_opportunity(owner=alice, title="Plant Manager", stage=Stage.INTERVIEWING)
    make_opportunity(owner=alice, title="Old Role", stage=Stage.TURNED_DOWN)
    opp = make_opportunity(owner=alice, title="Ops Lead", stage=Stage.SCREENING)
    make_interview(opportunity=opp, scheduled_at=timezone.now() + dt.timedelta(days=2))
    page = alice_client.get("/coaching/").content.decode()
    assert coach.display_name in page or coach.email in page

    response = alice_client.post("/coaching/share/", {"coach": coach.pk})

    assert response.status_code == 302
    assert Sharing.objects.filter(member=alice, coach=coach).exists()
    clients = _client_for(coach).get("/coaching/clients/").content.decode()
    assert f"/coaching/clients/{alice.pk}/" in clients
    overview = _client_for(coach).get(f"/coaching/clients/{alice.pk}/")
    text = overview.content.decode()
    assert overview.status_code == 200
    assert "Plant Manager" in text and "Ops Lead" in text and "Old Role" not in text
    assert "1</strong> turned down" in text
    assert "Interviews coming up" in text and "for Ops Lead" in text


def test_it_ends_the_coachs_access_at_once_when_the_member_stops(alice, coach, alice_client):
    Sharing.objects.create(member=alice, coach=coach)
    coach_client = _client_for(coach)
    assert coach_client.get(f"/coaching/clients/{alice.pk}/").status_code == 200

    alice_client.post("/coaching/stop/", {"coach": coach.pk})

    assert coach_client.get(f"/coaching/clients/{alice.pk}/").status_code == 404
    assert (
        coach_client.post(
            f"/coaching/clients/{alice.pk}/notes/", {"body": "Still here?"}
        ).status_code
        == 404
    )
    assert (
        f"/coaching/clients/{alice.pk}/"
        not in coach_client.get("/coaching/clients/").content.decode()
    )


def test_it_shows_a_search_only_to_the_coach_shared_with_and_only_on_coaching_pages(
    alice, coach, other_coach, bob
):
    Sharing.objects.create(member=alice, coach=coach)
    opp = make_opportunity(owner=alice, title="Plant Manager")

    assert _client_for(other_coach).get(f"/coaching/clients/{alice.pk}/").status_code == 404
    assert _client_for(bob).get(f"/coaching/clients/{alice.pk}/").status_code == 404
    # Sharing opens the coaching pages only: the member's own pages stay theirs.
    assert _client_for(coach).get(f"/opportunities/{opp.pk}/").status_code == 404


def test_it_lets_a_member_share_only_with_the_practices_coaches(alice, bob, alice_client):
    response = alice_client.post("/coaching/share/", {"coach": bob.pk})
    assert response.status_code == 400
    assert response.context["share_form"].errors["coach"] == [
        "Choose one of the practice's coaches."
    ]
    assert "Choose one of the practice&#x27;s coaches." in response.content.decode()
    with pytest.raises(ValidationError):
        services.share_with(member=bob, coach=bob)
    assert not Sharing.objects.exists()


def test_it_keeps_one_row_when_sharing_twice(alice, coach):
    first = services.share_with(member=alice, coach=coach)
    again = services.share_with(member=alice, coach=coach)
    assert first.pk == again.pk and Sharing.objects.count() == 1


def test_it_keeps_member_and_coach_notes_in_one_sanitised_thread(alice, coach, alice_client):
    Sharing.objects.create(member=alice, coach=coach)
    coach_client = _client_for(coach)

    coach_client.post(
        f"/coaching/clients/{alice.pk}/notes/",
        {"body": "Call **Victor** first. <script>alert(1)</script>"},
    )
    alice_client.post("/coaching/notes/", {"body": "Done, he said Friday."})

    notes = list(CoachNote.objects.filter(member=alice))
    assert [n.author for n in notes] == [coach, alice]
    mine = alice_client.get("/coaching/").content.decode()
    theirs = coach_client.get(f"/coaching/clients/{alice.pk}/").content.decode()
    for page in (mine, theirs):
        assert "<strong>Victor</strong>" in page and "Done, he said Friday." in page
        assert "<script>alert(1)</script>" not in page


def test_it_refuses_an_empty_or_huge_note_at_the_field(alice, alice_client):
    empty = alice_client.post("/coaching/notes/", {"body": "   "})
    huge = alice_client.post("/coaching/notes/", {"body": "x" * 5_001})

    assert empty.status_code == huge.status_code == 400
    assert empty.context["note_form"].errors["body"]
    assert "at most 5000 characters" in huge.context["note_form"].errors["body"][0]
    assert not CoachNote.objects.exists()


def test_it_refuses_a_note_from_a_coach_not_shared_with(alice, coach):
    with pytest.raises(ValidationError):
        services.add_note(member=alice, author=coach, body="Hello")


def test_it_lists_clients_in_one_query_however_many(coach, alice, bob):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = services.clients_of(coach)
        return len(captured.captured_queries), len(rows)

    Sharing.objects.create(member=alice, coach=coach)
    make_debrief(owner=alice)
    one = queries()
    for n in range(5):
        member = make_user(f"client{n}@example.com")
        Sharing.objects.create(member=member, coach=coach)
        make_opportunity(owner=member)
    six = queries()

    assert one == (1, 1) and six == (1, 6)
    row = next(r for r in services.clients_of(coach) if r.member == alice)
    assert row.open_debriefs == 1


def test_it_keeps_a_departed_coachs_notes_in_the_members_thread(alice, coach):
    Sharing.objects.create(member=alice, coach=coach)
    services.add_note(member=alice, author=coach, body="Keep going.")

    coach.delete()

    note = CoachNote.objects.get(member=alice)
    assert note.author is None and note.body == "Keep going."
    assert not Sharing.objects.exists()


def test_it_tells_the_other_side_of_each_note_by_email_without_its_text(
    alice, coach, other_coach, mailoutbox, django_capture_on_commit_callbacks
):
    Sharing.objects.create(member=alice, coach=coach)
    Sharing.objects.create(member=alice, coach=other_coach)

    with django_capture_on_commit_callbacks(execute=True):
        services.add_note(member=alice, author=coach, body="Private advice about Acme.")
    to_member = mailoutbox[-1]
    assert [m.to for m in mailoutbox] == [[alice.email]]
    assert to_member.subject == "Robin Coach wrote you a note on Career Tips"
    assert "/coaching/" in to_member.body and "Acme" not in to_member.body

    with django_capture_on_commit_callbacks(execute=True):
        services.add_note(member=alice, author=alice, body="Thanks!")
    to_coaches = sorted(m.to[0] for m in mailoutbox[1:])
    assert to_coaches == sorted([coach.email, other_coach.email])
    assert f"/coaching/clients/{alice.pk}/" in mailoutbox[-1].body
