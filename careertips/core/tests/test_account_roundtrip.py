"""A rich account, exported, deleted and restored into a fresh account, exports again the
same archive: every record, relation, date and stage change came back. Ids are compared
by mapping each archive's ids to their place in their file, never by dropping them."""

import io
import json
import zipfile
from typing import Any

import pytest

from careertips.agenda.models import Snooze
from careertips.coaching.models import ActionItem, CoachingSession, Comment
from careertips.core import account_data
from careertips.core.account_data import Rows, declared_exports
from careertips.core.demo import COACH_EMAIL, MEMBER_EMAIL, seed_demo
from careertips.core.models import User
from careertips.core.restore.rows import restore_plan
from careertips.core.restore.services import restore_account
from careertips.core.testing import make_user
from careertips.core.tests.test_account_data import _fill_every_kind
from careertips.debriefs.models import ImprovementAction
from careertips.pipeline.models import Interview, StageChange
from careertips.resumes.models import VersionBullet
from careertips.stories.models import Requirement, Story

pytestmark = pytest.mark.django_db

# Written when the archive is made: the README's date and the manifest (its times, and
# the hashes of files whose ids differ).
NOT_COMPARED = {"README.txt", account_data.MANIFEST}


def _export(user: User) -> bytes:
    return b"".join(account_data.stream_archive(user))


def _files(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def _rich_member() -> User:
    seed_demo()
    member = User.objects.get(email=MEMBER_EMAIL)
    _fill_every_kind(member)
    coach = User.objects.get(email=COACH_EMAIL)
    session = CoachingSession.objects.filter(member=member).first() or _session(member, coach)
    ActionItem.objects.create(
        session=session, member=member, title="Send the revised résumé", due_on=member.local_today()
    )
    story = Story.objects.filter(owner=member).first()
    Comment.objects.create(
        member=member, coach=coach, coach_name="Robert", kind=Comment.Kind.STORY,
        object_id=story.pk, title=f"Story: {story.title}", body="Lead with the number.",
    )  # fmt: skip
    # Snoozes of real items: of an improvement action, an interview and a coach's comment.
    action = ImprovementAction.objects.filter(owner=member).first()
    Snooze.objects.filter(owner=member).update(object_id=action.pk)
    today = member.local_today()
    interview = Interview.objects.filter(opportunity__owner=member).first()
    Snooze.objects.create(owner=member, kind="interview", object_id=interview.pk, until=today)
    comment = Comment.objects.filter(member=member).first()
    Snooze.objects.create(owner=member, kind="coach-comment", object_id=comment.pk, until=today)
    # A tailored résumé's bullet lists the requirements it covers.
    requirement = Requirement.objects.filter(opportunity__owner=member).first()
    bullet = VersionBullet.objects.filter(version__owner=member).first()
    bullet.covers = [requirement.pk]
    bullet.save(update_fields=["covers"])
    return member


def _session(member: User, coach: User) -> CoachingSession:
    from django.utils import timezone

    return CoachingSession.objects.create(
        member=member, coach=coach, coach_name="Robert", starts_at=timezone.now(),
        duration_minutes=45, place="Phone",
    )  # fmt: skip


def _normalised(files: dict[str, bytes], *, member_id: int) -> dict[str, Any]:
    """The archive with every id replaced by its row's place in its file, and references to
    other accounts as a restore leaves them: cleared, or the row gone when it is not the
    member's (a coach's session with someone else)."""
    rows_of = {e.name: e for e in declared_exports() if isinstance(e, Rows)}
    restored = {e.name for e in restore_plan()}
    file_of = {e.model._meta.label: name for name, e in rows_of.items() if name in restored}
    parsed = {name: json.loads(files[name]) for name in rows_of}
    place = {name: {row["id"]: index for index, row in enumerate(parsed[name])} for name in rows_of}

    def ref(target: str, value: int | None) -> Any:
        if value is None:
            return None
        if target == "core.User":
            return "member" if value == member_id else None
        return f"{target}#{place[file_of[target]][value]}" if target in file_of else value

    out: dict[str, Any] = {}
    for name, export in rows_of.items():
        if name not in restored:
            continue
        out[name] = [_row(export, row, ref, member_id) for row in parsed[name]]
        out[name] = [row for row in out[name] if row is not None]
    account = json.loads(files["account.json"])
    out["account.json"] = {k: v for k, v in account.items() if k not in {"id", "last_login"}}
    for name, data in files.items():
        if name not in rows_of and name not in out and name not in NOT_COMPARED:
            out[name] = data.decode()
    return out


def _row(export: Rows, row: dict[str, Any], ref: Any, member_id: int) -> dict[str, Any] | None:
    opts = export.model._meta
    row = dict(row, id=None)
    for field in opts.concrete_fields:
        if field.is_relation and field.attname in row:
            target = field.related_model._meta.label
            value = row[field.attname]
            if target == "core.User" and value not in (None, member_id) and not field.null:
                return None
            row[field.attname] = ref(target, value)
    for field in opts.many_to_many:
        key = f"{field.name}_ids"
        if key in row:
            row[key] = sorted(ref(field.related_model._meta.label, v) for v in row[key])
    restore = export.restore
    if restore.object_field:
        target = restore.object_models[row["kind"]]
        row[restore.object_field] = ref(target, row[restore.object_field])
    for key, target in restore.id_lists.items():
        row[key] = [ref(target, value) for value in row[key]]
    return row


def test_it_brings_back_an_exported_account_the_same():
    member = _rich_member()
    stage_dates = sorted(
        StageChange.objects.filter(opportunity__owner=member).values_list("changed_at", flat=True)
    )
    archive = _export(member)
    before = _files(archive)
    expected = _normalised(before, member_id=member.pk)

    account_data.delete_account(user=member)
    fresh = make_user(MEMBER_EMAIL)
    counts = restore_account(user=fresh, source=archive)

    got = _normalised(_files(_export(fresh)), member_id=fresh.pk)
    for name in expected:
        assert got[name] == expected[name], name
    assert set(got) == set(expected)
    restored = {e.name for e in restore_plan()}
    for name in restored:
        assert json.loads(before[name]), f"the rich account has no rows in {name}"
    assert sum(counts.values()) > 300
    assert stage_dates == sorted(
        StageChange.objects.filter(opportunity__owner=fresh).values_list("changed_at", flat=True)
    )
