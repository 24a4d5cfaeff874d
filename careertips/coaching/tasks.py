from django.tasks import task

from careertips.coaching import emails
from careertips.coaching.models import CoachNote, Sharing


@task(queue_name="mail")
def send_note_notice(*, note_id: int) -> int:
    note = CoachNote.objects.select_related("member", "author").filter(pk=note_id).first()
    # The note, or its thread, may be gone by the time the worker runs.
    return emails.send_note_notice(note=note) if note is not None else 0


@task(queue_name="mail")
def send_sharing_notice(*, sharing_id: int) -> int:
    sharing = Sharing.objects.select_related("member", "coach").filter(pk=sharing_id).first()
    # The member may have stopped sharing before the worker ran: then there is nothing to tell.
    if sharing is None or not sharing.coach.is_active:
        return 0
    emails.send_sharing_notice(sharing=sharing)
    return 1
