from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from careertips.core.constraints import CheckConstraint
from careertips.core.links import pk_url
from careertips.core.models import OwnedModel, OwnedQuerySet

# After this many calls that reached no one, suggest a short thank-you email instead.
MAX_UNANSWERED_ATTEMPTS = 3


class Theme(models.TextChoices):
    STORY_NOT_STRONG = "story_not_strong", "Accomplishment story not strong enough"
    EXPERIENCE_GAP = "experience_gap", "Perceived experience gap"
    SKILLS_GAP = "skills_gap", "Skills gap"
    INTERVIEW_PRESENCE = "interview_presence", "Interview presence"
    FIT = "fit", "Fit"
    PAY_EXPECTATIONS = "pay_expectations", "Pay expectations"
    STRONGER_CANDIDATE = "stronger_candidate", "Stronger or internal candidate"
    NO_FEEDBACK = "no_feedback", "No feedback given"
    ROLE_CHANGED = "role_changed", "Role changed or cancelled"


class ThankYouChannel(models.TextChoices):
    EMAIL = "email", "Emailed from Career Tips"
    COPIED = "copied", "Sent myself"


@dataclass(frozen=True)
class Step:
    """One step of the debrief as the step indicator shows it."""

    key: str
    label: str
    state: str  # "done", "skipped", "current" or "todo"


STEP_LABELS = [
    ("plan", "Plan the call"),
    ("call", "Call"),
    ("feedback", "Feedback"),
    ("thank_you", "Thank-you"),
    ("close", "Close"),
]


class DebriefQuerySet(OwnedQuerySet):
    def active(self) -> DebriefQuerySet:
        return self.filter(status=Debrief.Status.OPEN)

    def finished(self) -> DebriefQuerySet:
        return self.exclude(status=Debrief.Status.OPEN)


class DebriefStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    DISMISSED = "dismissed", "Dismissed"


class Debrief(OwnedModel):
    """After a "no": the call to the hiring manager and everything it turns into."""

    Status = DebriefStatus

    opportunity = models.OneToOneField(
        "pipeline.Opportunity", on_delete=models.CASCADE, related_name="debrief"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    contact = models.ForeignKey(
        "network.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="debriefs",
        help_text="Who to call: usually the hiring manager.",
    )
    call_by = models.DateField()
    dismissed_reason = models.CharField(max_length=500, blank=True)
    feedback = models.TextField(blank=True, max_length=20_000)
    feedback_recorded_at = models.DateTimeField(null=True, blank=True)
    thank_you_subject = models.CharField(max_length=200, blank=True)
    thank_you_body = models.TextField(blank=True, max_length=10_000)
    thank_you_sent_at = models.DateTimeField(null=True, blank=True)
    thank_you_channel = models.CharField(max_length=10, blank=True, choices=ThankYouChannel.choices)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = DebriefQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "status", "call_by"])]
        constraints = [
            CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(dismissed_reason=""),
                name="debrief_dismissal_has_reason",
            ),
            CheckConstraint(
                condition=Q(status__in=DebriefStatus.values),
                name="debrief_status_valid",
            ),
            CheckConstraint(
                condition=Q(thank_you_channel__in=["", *ThankYouChannel.values]),
                name="debrief_thank_you_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Debrief: {self.opportunity}"

    def get_absolute_url(self) -> str:
        return reverse("debriefs:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def _attempts(self) -> list[CallAttempt]:
        """The attempts as `attempts.all()` gives them, without a fresh queryset per question
        when they are prefetched (a list of hundreds of debriefs asks several a row)."""
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("attempts")
        return list(prefetched if prefetched is not None else self.attempts.all())

    def progress(self) -> Progress:
        """Where this debrief stands; attempts must be prefetched on lists."""
        return Progress(
            status=self.status,
            outcomes=tuple(a.outcome for a in self._attempts()),
            feedback_recorded=self.feedback_recorded_at is not None,
            thank_you_sent=self.thank_you_sent_at is not None,
        )

    @property
    def reached(self) -> bool:
        return self.progress().reached

    @property
    def unanswered_attempts(self) -> int:
        return self.progress().unanswered_attempts

    @property
    def should_stop_calling(self) -> bool:
        return self.progress().should_stop_calling

    @property
    def call_done(self) -> bool:
        """The call step is over: they answered, declined, or we stopped trying."""
        return self.progress().call_done

    def is_call_overdue(self, today: dt.date) -> bool:
        return self.progress().is_call_overdue(self.call_by, today)

    def is_call_due(self, today: dt.date) -> bool:
        return self.progress().is_call_due(self.call_by, today)

    @property
    def decided_on(self) -> dt.date:
        """The day the employer said no, as well as we know it."""
        return self.opportunity.closed_on or timezone.localdate(self.created_at)

    @property
    def contact_first_name(self) -> str:
        return self.contact.first_name if self.contact_id and self.contact else ""

    def steps(self) -> list[Step]:
        return self.progress().steps()

    @property
    def current_step(self) -> str:
        return self.progress().current_step

    @property
    def next_step(self) -> str:
        """What to do next, in a few words, for lists."""
        return self.progress().next_step(self.contact_first_name)


@dataclass(frozen=True)
class Progress:
    """Where a debrief stands, from its status, the outcomes of its attempts and what was
    recorded and sent: the rules of its steps, readable from plain rows as well as from a
    Debrief (a list of hundreds of debriefs needs no model instances)."""

    status: str
    outcomes: tuple[str, ...]
    feedback_recorded: bool
    thank_you_sent: bool

    @property
    def is_open(self) -> bool:
        return self.status == DebriefStatus.OPEN

    @cached_property
    def reached(self) -> bool:
        return CallOutcome.REACHED in self.outcomes

    @cached_property
    def unanswered_attempts(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome in CallAttempt.UNANSWERED)

    @property
    def should_stop_calling(self) -> bool:
        return not self.reached and self.unanswered_attempts >= MAX_UNANSWERED_ATTEMPTS

    @cached_property
    def call_done(self) -> bool:
        """The call step is over: they answered, declined, or we stopped trying."""
        return any(o in CallAttempt.CONCLUSIVE for o in self.outcomes) or self.should_stop_calling

    def is_call_overdue(self, call_by: dt.date, today: dt.date) -> bool:
        return self.is_open and not self.call_done and call_by < today

    def is_call_due(self, call_by: dt.date, today: dt.date) -> bool:
        return self.is_open and not self.call_done and call_by == today

    def _step_done(self, key: str) -> str:
        """'done', 'skipped' or '' for one step."""
        attempted = bool(self.outcomes)
        finished = self.status == DebriefStatus.CLOSED
        if key == "plan":
            return "done" if attempted or finished else ""
        if key == "call":
            return "done" if self.call_done else ("skipped" if finished else "")
        if key == "feedback":
            if self.feedback_recorded:
                return "done"
            # Nothing to write down when they declined or never picked up.
            return "skipped" if (self.call_done and not self.reached) or finished else ""
        if key == "thank_you":
            return "done" if self.thank_you_sent else ("skipped" if finished else "")
        return "done" if finished else ""

    def steps(self) -> list[Step]:
        steps: list[Step] = []
        current_found = not self.is_open
        for key, label in STEP_LABELS:
            state = self._step_done(key)
            if not state:
                state = "todo" if current_found else "current"
                current_found = True
            steps.append(Step(key=key, label=label, state=state))
        return steps

    @cached_property
    def current_step(self) -> str:
        """The key of the first step not done or skipped; none once the debrief is over."""
        if not self.is_open:
            return ""
        return next((key for key, _label in STEP_LABELS if not self._step_done(key)), "")

    def next_step(self, contact_first_name: str) -> str:
        """What to do next, in a few words, for lists."""
        if self.status == DebriefStatus.DISMISSED:
            return "Dismissed"
        if self.status == DebriefStatus.CLOSED:
            return "Closed"
        first = contact_first_name
        return {
            "plan": f"Plan the call to {first}" if first else "Name who to call",
            "call": f"Call {first or 'the hiring manager'}" + (" again" if self.outcomes else ""),
            "feedback": "Write down what you heard",
            "thank_you": "Send the thank-you note",
            "close": "Close and plan the next touch",
        }.get(self.current_step, "")


class CallChannel(models.TextChoices):
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    EMAIL = "email", "Email"
    MESSAGE = "message", "Message (e.g. LinkedIn)"
    IN_PERSON = "in_person", "In person"


class CallOutcome(models.TextChoices):
    REACHED = "reached", "Reached them"
    LEFT_MESSAGE = "left_message", "Left a message"
    DECLINED = "declined", "Declined to comment"
    NO_ANSWER = "no_answer", "No answer"


class CallAttempt(models.Model):
    Channel = CallChannel

    Outcome = CallOutcome

    UNANSWERED = (Outcome.LEFT_MESSAGE, Outcome.NO_ANSWER)
    CONCLUSIVE = (Outcome.REACHED, Outcome.DECLINED)

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.PHONE)
    outcome = models.CharField(max_length=15, choices=Outcome.choices)
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["attempted_at", "id"]
        constraints = [
            CheckConstraint(
                condition=Q(channel__in=CallChannel.values),
                name="callattempt_channel_valid",
            ),
            CheckConstraint(
                condition=Q(outcome__in=CallOutcome.values),
                name="callattempt_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.get_outcome_display()}"


class FeedbackTheme(models.Model):
    """One theme heard in the feedback, with the specific words (e.g. "budget ownership")."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(max_length=30, choices=Theme.choices)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["debrief", "theme"], name="feedback_theme_once_per_debrief"
            ),
            CheckConstraint(condition=Q(theme__in=Theme.values), name="feedbacktheme_theme_valid"),
        ]

    def __str__(self) -> str:
        return self.get_theme_display() + (f": {self.detail}" if self.detail else "")

    @property
    def story_work_label(self) -> str:
        """What the stories app can do with this theme: revise a story or work on a gap."""
        if self.theme == Theme.STORY_NOT_STRONG:
            return "Revise the story"
        if self.theme in (Theme.EXPERIENCE_GAP, Theme.SKILLS_GAP):
            return "Work on the gap"
        return ""


class ImprovementActionQuerySet(OwnedQuerySet):
    def pending(self) -> ImprovementActionQuerySet:
        return self.filter(done_at__isnull=True)


class ImprovementAction(OwnedModel):
    """Work that came out of a debrief; it stays in Today until it is done."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="actions")
    theme = models.ForeignKey(
        FeedbackTheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(max_length=300)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    objects = ImprovementActionQuerySet.as_manager()

    class Meta:
        ordering = ["done_at", "due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_at", "due_on"])]
        constraints = [CheckConstraint(condition=~Q(title=""), name="improvementaction_has_title")]

    def __str__(self) -> str:
        return self.title

    @property
    def done_url(self) -> str:
        """Where its Done and Undo buttons post (a debrief page lists every action)."""
        return pk_url("debriefs:action-done", self.pk)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
