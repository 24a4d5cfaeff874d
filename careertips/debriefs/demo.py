"""Demo debriefs: the member's rejections taken through the debrief, in every state."""

from __future__ import annotations

import datetime as dt

from careertips.core.demo import DemoClock
from careertips.core.models import User
from careertips.debriefs import services as debriefs
from careertips.debriefs.models import CallAttempt, Debrief, Theme
from careertips.network.models import Organization

SEED_AFTER = ("network", "pipeline")


def seed(*, member: User) -> None:
    DemoDebriefs(member=member).build()


class DemoDebriefs:
    """Each turned-down opportunity of the demo pipeline, found by its employer."""

    def __init__(self, *, member: User) -> None:
        self.member = member
        self.clock = DemoClock(member)
        self.today = self.clock.today
        self.at = self.clock.at

    def debrief(self, employer: str) -> Debrief:
        return Debrief.objects.get(owner=self.member, opportunity__organization__name=employer)

    def build(self) -> None:
        self.closed_debrief()
        self.debrief_with_feedback()
        self.debrief_thanked()
        debriefs.log_attempt(
            debrief=self.debrief("Harbor & Pine Home Goods"),
            channel=CallAttempt.Channel.PHONE,
            outcome=CallAttempt.Outcome.LEFT_MESSAGE,
            note="Voicemail: thanked him and asked for ten minutes of feedback.",
            when=self.at(-2, 9, 30),
        )
        debriefs.dismiss_debrief(
            debrief=self.debrief("Lumen Data Centers"),
            reason="Automated rejection from the applicant system; nobody named to call.",
        )

    def closed_debrief(self) -> None:
        debrief = self.debrief("Northwind Logistics")
        self.reached(debrief, -28, "Strong on process improvement. The other finalist had run "
                     "a WMS migration end to end, and my peak-season story lacked numbers.",
                     [(Theme.STRONGER_CANDIDATE, "WMS migration"),
                      (Theme.STORY_NOT_STRONG, "2023 peak season")])  # fmt: skip
        for action in debrief.actions.all():
            debriefs.complete_action(action=action)
        self.thank(debrief, -27)
        debriefs.close_debrief(
            debrief=debrief,
            next_touch_on=self.today + dt.timedelta(days=12),
            meet_at=Organization.objects.get(
                owner=self.member, name="Midwest Supply Chain Association"
            ),
            note="Say hello at the chapter meeting; she is presenting on warehouse automation.",
            today=self.today,
        )

    def debrief_with_feedback(self) -> None:
        debrief = self.debrief("Lakeshore Health Partners")
        debriefs.log_attempt(
            debrief=debrief, channel=CallAttempt.Channel.PHONE,
            outcome=CallAttempt.Outcome.NO_ANSWER, when=self.at(-7, 11),
        )  # fmt: skip
        self.reached(debrief, -6, "They liked my operations depth but worried about healthcare "
                     "compliance. The vendor-consolidation answer ran long and never reached "
                     "the savings.",
                     [(Theme.EXPERIENCE_GAP, "healthcare compliance"),
                      (Theme.STORY_NOT_STRONG, "vendor consolidation savings"),
                      (Theme.INTERVIEW_PRESENCE, "keeping answers under two minutes")])  # fmt: skip

    def debrief_thanked(self) -> None:
        debrief = self.debrief("Cobalt Ridge Foods")
        self.reached(debrief, -5, "They chose an internal candidate who has run the plant's "
                     "scheduling for two years. Elena offered to flag me for the next opening.",
                     [(Theme.STRONGER_CANDIDATE, "internal candidate")])  # fmt: skip
        self.thank(debrief, -4)

    def reached(
        self, debrief: Debrief, days: int, feedback: str, themes: list[tuple[str, str]]
    ) -> None:
        when = self.at(days, 14)
        debriefs.log_attempt(
            debrief=debrief, channel=CallAttempt.Channel.PHONE,
            outcome=CallAttempt.Outcome.REACHED, when=when,
        )  # fmt: skip
        debriefs.record_feedback(debrief=debrief, feedback=feedback, themes=themes, when=when)

    def thank(self, debrief: Debrief, days: int) -> None:
        debrief.refresh_from_db()
        subject, body = debrief.thank_you_subject, debrief.thank_you_body
        if not body.strip():
            subject, body = debriefs.draft_thank_you(debrief=debrief)
        debriefs.send_thank_you(
            debrief=debrief, subject=subject, body=body, channel="copied", when=self.at(days, 17)
        )
