"""What of a member's data the debriefs hold, for their archive (see core.account_data)."""

from careertips.core.account_data import Rows
from careertips.debriefs.models import CallAttempt, Debrief, FeedbackTheme, ImprovementAction

# Restoring: a debrief is of an opportunity, and calls a contact.
RESTORE_AFTER = ("network", "pipeline")

EXPORTS = [
    Rows("debriefs/debriefs.json", lambda user: Debrief.objects.filter(owner=user)),
    Rows(
        "debriefs/call-attempts.json", lambda user: CallAttempt.objects.filter(debrief__owner=user)
    ),
    Rows(
        "debriefs/feedback-themes.json",
        lambda user: FeedbackTheme.objects.filter(debrief__owner=user),
    ),
    Rows(
        "debriefs/improvement-actions.json",
        lambda user: ImprovementAction.objects.filter(owner=user),
    ),
]
