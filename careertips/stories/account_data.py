"""What of a member's data the story bank holds, for their archive (see core.account_data)."""

from typing import Any

from careertips.core.account_data import Restore, Rows
from careertips.core.models import User
from careertips.stories.models import (
    Competency,
    Coverage,
    Gap,
    Goal,
    Milestone,
    PromotionCase,
    Question,
    Requirement,
    Story,
    StoryRevision,
    StoryUse,
)

# Restoring: requirements and questions are of opportunities, a gap may come of a debrief's
# feedback theme.
RESTORE_AFTER = ("pipeline", "debriefs")


def _shared_competency(user: User, row: dict[str, Any]) -> int | None:
    """A competency of the shared list is that list's row of the same name here, if any
    (else the member gets their own, so their stories keep it)."""
    if row.get("owner_id") is not None:
        return None
    shared = Competency.objects.filter(owner=None, name__iexact=row.get("name", ""))
    return shared.values_list("pk", flat=True).first()


EXPORTS = [
    # The shared list too, so every competency a story names can be looked up.
    Rows(
        "stories/competencies.json",
        lambda user: Competency.objects.available_to(user),
        restore=Restore(
            existing=_shared_competency, owned=lambda user: Competency.objects.filter(owner=user)
        ),
    ),
    Rows("stories/stories.json", lambda user: Story.objects.filter(owner=user)),
    Rows("stories/revisions.json", lambda user: StoryRevision.objects.filter(story__owner=user)),
    Rows("stories/uses.json", lambda user: StoryUse.objects.filter(story__owner=user)),
    Rows(
        "stories/requirements.json",
        lambda user: Requirement.objects.filter(opportunity__owner=user),
    ),
    Rows(
        "stories/coverage.json",
        lambda user: Coverage.objects.filter(requirement__opportunity__owner=user),
    ),
    Rows("stories/gaps.json", lambda user: Gap.objects.filter(owner=user)),
    Rows(
        "stories/interview-questions.json",
        lambda user: Question.objects.filter(opportunity__owner=user),
    ),
    Rows("stories/promotion-cases.json", lambda user: PromotionCase.objects.filter(owner=user)),
    Rows("stories/goals.json", lambda user: Goal.objects.filter(owner=user)),
    Rows("stories/milestones.json", lambda user: Milestone.objects.filter(goal__owner=user)),
]
