"""What of a member's data Today holds, for their archive (see core.account_data)."""

from careertips.agenda.models import AgendaSettings, DigestLog, ItemKind, Snooze, WeeklyGoal
from careertips.core.account_data import Restore, Rows

# Restoring: a snooze names an item of any app, so Today comes back last.
RESTORE_AFTER = ("network", "pipeline", "offers", "debriefs", "stories", "coaching")

# The model of the row each kind of Today item is about.
ITEM_MODELS: dict[str, str] = {
    ItemKind.CALL: "debriefs.Debrief",
    ItemKind.DEBRIEF_THANKS: "debriefs.Debrief",
    ItemKind.ACTION: "debriefs.ImprovementAction",
    ItemKind.FOLLOW_UP: "pipeline.Opportunity",
    ItemKind.INTERVIEW: "pipeline.Interview",
    ItemKind.INTERVIEW_THANKS: "pipeline.Interview",
    ItemKind.TOUCH: "network.Contact",
    ItemKind.EVENT: "network.Event",
    ItemKind.MILESTONE: "stories.Milestone",
    ItemKind.OFFER: "offers.Offer",
    ItemKind.SESSION: "coaching.CoachingSession",
    ItemKind.COACH_ACTION: "coaching.ActionItem",
    ItemKind.COACH_COMMENT: "coaching.Comment",
}

EXPORTS = [
    Rows(
        "today/snoozes.json",
        lambda user: Snooze.objects.filter(owner=user),
        restore=Restore(object_field="object_id", object_models=ITEM_MODELS),
    ),
    Rows("today/weekly-goals.json", lambda user: WeeklyGoal.objects.filter(owner=user)),
    # The calendar feed's secret stays out: only its hash is kept, and it opens the feed.
    Rows(
        "today/settings.json",
        lambda user: AgendaSettings.objects.filter(owner=user),
        exclude=("calendar_token_hash",),
    ),
    Rows("today/digests-sent.json", lambda user: DigestLog.objects.filter(owner=user)),
]
