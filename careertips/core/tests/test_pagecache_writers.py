"""Whoever else writes what a member's pages show makes their cached pages stale: a task,
a coach, staff. Each writer bumps the member's data version."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from careertips.agenda.services.digest import claim_digest, send_digest, update_digest_settings
from careertips.coaching.models import Comment, Sharing
from careertips.coaching.services import add_note, end_sharings_of_coach
from careertips.coaching.services.comments import add_comment
from careertips.coaching.services.sessions import (
    add_action_item,
    schedule_session,
    write_summary,
)
from careertips.core import outbound
from careertips.core.models import User
from careertips.network.models import ImportBatch
from careertips.network.tasks import apply_import_batch
from careertips.network.tests.helpers import linkedin_csv
from careertips.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


def _version(user: User) -> int:
    return User.objects.values_list("data_version", flat=True).get(pk=user.pk)


@pytest.fixture
def sharing(alice, coach):
    return Sharing.objects.create(member=alice, coach=coach)


def test_it_goes_stale_when_the_task_worker_writes_an_import(alice_client, alice):
    data = linkedin_csv("Dana,Whitfield,,dana@acme.test,Acme,Director,14 Mar 2024")
    alice_client.post("/network/import/", {"file": SimpleUploadedFile("c.csv", data)})
    batch = ImportBatch.objects.get()
    alice_client.post(f"/network/import/{batch.pk}/confirm/")
    before = _version(alice)

    apply_import_batch.call(batch_id=batch.pk)

    assert _version(alice) == before + 1


def test_it_goes_stale_when_a_members_mail_is_sent(alice):
    row = outbound.queue_mail(
        message=mail.EmailMessage("Thank you", "Hello", to=["dana@acme.test"]),
        kind="test",
        object_id=1,
        owner=alice,
    )
    before = _version(alice)

    assert outbound.deliver(mail_id=row.pk) == "sent"

    assert _version(alice) == before + 1


def test_it_goes_stale_when_the_daily_digest_goes_out(alice):
    update_digest_settings(owner=alice, enabled=True, hour=8)
    digest = claim_digest(owner=alice, local_date=alice.local_today())
    before = _version(alice)

    send_digest(digest=digest)  # type: ignore[arg-type]

    assert _version(alice) == before + 1


def test_it_goes_stale_when_a_coach_writes_a_note(alice, coach, sharing):
    before = _version(alice)
    add_note(member=alice, author=coach, body="Good call on Friday.")
    assert _version(alice) == before + 1


def test_it_goes_stale_when_a_coach_comments(alice, coach, sharing):
    story = make_story(owner=alice)
    before = _version(alice)
    add_comment(
        coach=coach, member=alice, kind=Comment.Kind.STORY, item=story, body="Add a number."
    )
    assert _version(alice) == before + 1


def test_it_goes_stale_with_each_step_of_a_coaching_session(alice, coach, sharing):
    before = _version(alice)
    session = schedule_session(
        coach=coach,
        member=alice,
        starts_at=timezone.now() + dt.timedelta(minutes=1),
        duration_minutes=30,
        place="Office",
    )
    assert _version(alice) == before + 1
    add_action_item(session=session, title="Call Dana", due_on=timezone.localdate())
    assert _version(alice) == before + 2
    session.starts_at = timezone.now() - dt.timedelta(minutes=5)
    write_summary(session=session, summary="Went well.")
    assert _version(alice) == before + 3


def test_it_goes_stale_when_staff_end_a_coachs_sharings(alice, bob, coach, sharing):
    Sharing.objects.create(member=bob, coach=coach)
    before = (_version(alice), _version(bob))

    end_sharings_of_coach(coach=coach)

    assert (_version(alice), _version(bob)) == (before[0] + 1, before[1] + 1)
