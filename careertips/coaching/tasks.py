from django.tasks import task

from careertips.coaching import emails
from careertips.coaching.models import CoachNote


@task(queue_name="mail")
def send_note_notice(*, note_id: int) -> int:
    note = CoachNote.objects.select_related("member", "author").filter(pk=note_id).first()
    # The note, or its thread, may be gone by the time the worker runs.
    return emails.send_note_notice(note=note) if note is not None else 0
