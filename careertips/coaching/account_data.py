"""What of a member's data coaching holds, for their archive (see core.account_data)."""

from django.db.models import Q

from careertips.coaching.models import CoachNote, Sharing
from careertips.core.account_data import Rows

EXPORTS = [
    # Both ways: the coaches a member shares with, and a coach's clients.
    Rows(
        "coaching/sharing.json",
        lambda user: Sharing.objects.filter(Q(member=user) | Q(coach=user)),
    ),
    Rows("coaching/notes.json", lambda user: CoachNote.objects.filter(member=user)),
]
