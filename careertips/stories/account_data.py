"""What of a member's data the story bank holds, for their archive (see core.account_data)."""

from careertips.core.account_data import Rows
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

EXPORTS = [
    # The shared list too, so every competency a story names can be looked up.
    Rows("stories/competencies.json", lambda user: Competency.objects.available_to(user)),
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
