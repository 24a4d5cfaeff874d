"""What of a member's data the pipeline holds, for their archive (see core.account_data)."""

from careertips.core.account_data import Rows
from careertips.pipeline.models import Interview, Opportunity, PostingCapture, StageChange

EXPORTS = [
    Rows("pipeline/opportunities.json", lambda user: Opportunity.objects.filter(owner=user)),
    Rows(
        "pipeline/stage-changes.json",
        lambda user: StageChange.objects.filter(opportunity__owner=user),
    ),
    Rows(
        "pipeline/interviews.json", lambda user: Interview.objects.filter(opportunity__owner=user)
    ),
    # Posting addresses read in the last day, on their way to becoming opportunities.
    Rows(
        "pipeline/posting-captures.json",
        lambda user: PostingCapture.objects.filter(owner=user),
    ),
]
