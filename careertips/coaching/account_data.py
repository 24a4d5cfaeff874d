"""What of a member's data coaching holds, for their archive and their Your data page (see
core.account_data), and what becomes of a coach's clients when the coach role goes."""

from collections.abc import Iterable

from django.db.models import Q

from careertips.coaching import services
from careertips.coaching.models import (
    AccessLogEntry,
    ActionItem,
    CoachingSession,
    CoachNote,
    Comment,
    PracticeProfile,
    Sharing,
)
from careertips.core.account_data import Restore, Rows, Section
from careertips.core.models import User
from careertips.core.roles import Role

# Restoring: comments name debriefs, stories, interviews (prep sheets) and offers. A row
# naming another account (its coach) comes back without it, its coach's name kept; a row of
# another member's (a coach's session with a client) does not come back.
RESTORE_AFTER = ("pipeline", "offers", "debriefs", "stories")

COMMENT_MODELS: dict[str, str] = {
    Comment.Kind.DEBRIEF: "debriefs.Debrief",
    Comment.Kind.STORY: "stories.Story",
    Comment.Kind.PREP: "pipeline.Interview",
    Comment.Kind.OFFER: "offers.Offer",
}

EXPORTS = [
    # Both ways: the coaches a member shares with, and a coach's clients.
    Rows(
        "coaching/sharing.json",
        lambda user: Sharing.objects.filter(Q(member=user) | Q(coach=user)),
        restore=Restore(skip="sharing is consent given to a coach; share again if you wish"),
    ),
    Rows("coaching/notes.json", lambda user: CoachNote.objects.filter(member=user)),
    Rows("coaching/access_log.json", lambda user: AccessLogEntry.objects.filter(member=user)),
    Rows(
        "coaching/comments.json",
        lambda user: Comment.objects.filter(member=user),
        restore=Restore(object_field="object_id", object_models=COMMENT_MODELS),
    ),
    Rows(
        "coaching/sessions.json",
        lambda user: CoachingSession.objects.filter(Q(member=user) | Q(coach=user)),
    ),
    Rows("coaching/action_items.json", lambda user: ActionItem.objects.filter(member=user)),
    Rows(
        "coaching/practice_profile.json", lambda user: PracticeProfile.objects.filter(member=user)
    ),
]


def your_data_section(user: User) -> Section:
    """Who of the practice read the member's data, on which page, when."""
    return Section(
        template="coaching/_access_log.html",
        context={
            "entries": services.access_log_of(user),
            "sharings": services.sharings_of(user),
        },
    )


def roles_removed(*, user: User, roles: Iterable[str]) -> None:
    """A coach no more: every member who shared with them stops, at once."""
    if Role.COACH in roles:
        services.end_sharings_of_coach(coach=user)
