"""What of a member's data Today holds, for their archive (see core.account_data)."""

from careertips.agenda.models import AgendaSettings, DigestLog, Snooze, WeeklyGoal
from careertips.core.account_data import Rows

EXPORTS = [
    Rows("today/snoozes.json", lambda user: Snooze.objects.filter(owner=user)),
    Rows("today/weekly-goals.json", lambda user: WeeklyGoal.objects.filter(owner=user)),
    # The calendar feed's secret stays out: only its hash is kept, and it opens the feed.
    Rows(
        "today/settings.json",
        lambda user: AgendaSettings.objects.filter(owner=user),
        exclude=("calendar_token_hash",),
    ),
    Rows("today/digests-sent.json", lambda user: DigestLog.objects.filter(owner=user)),
]
