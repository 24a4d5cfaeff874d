"""Demo coaching: the demo member shares their search with the practice's coach."""

from careertips.coaching.models import CoachNote, Sharing
from careertips.core.models import User

NOTES = [
    ("staff", "Good work getting to the offer at Fulton Street. Before you answer, write down "
     "your walk-away number and the three-site consolidation story: that is your case for "
     "**$128,000**."),
    ("member", "Thanks. I have a call with Victor on Friday; I will ask for a day to consider."),
]  # fmt: skip


def seed(*, staff: User, member: User) -> None:
    _, created = Sharing.objects.get_or_create(member=member, coach=staff)
    if not created:
        return
    for who, body in NOTES:
        CoachNote.objects.create(
            member=member, author=staff if who == "staff" else member, body=body
        )
