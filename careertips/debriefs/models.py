from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone

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


class DebriefQuerySet(OwnedQuerySet):
    def active(self) -> DebriefQuerySet:
        return self.filter(status=Debrief.Status.OPEN)


class Debrief(OwnedModel):
    """After a "no": the call to the hiring manager and everything it turns into."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        DISMISSED = "dismissed", "Dismissed"

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
    thank_you_channel = models.CharField(
        max_length=10,
        blank=True,
        choices=[("email", "Emailed from Career Tips"), ("copied", "Sent myself")],
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = DebriefQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "status", "call_by"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(dismissed_reason=""),
                name="debrief_dismissal_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"Debrief: {self.opportunity}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def reached(self) -> bool:
        return any(a.outcome == CallAttempt.Outcome.REACHED for a in self.attempts.all())

    @property
    def unanswered_attempts(self) -> int:
        return sum(1 for a in self.attempts.all() if a.outcome in CallAttempt.UNANSWERED)

    @property
    def should_stop_calling(self) -> bool:
        return not self.reached and self.unanswered_attempts >= MAX_UNANSWERED_ATTEMPTS

    @property
    def call_done(self) -> bool:
        """The call step is over: they answered, declined, or we stopped trying."""
        return any(a.outcome in CallAttempt.CONCLUSIVE for a in self.attempts.all()) or (
            self.should_stop_calling
        )

    def is_call_overdue(self, today: dt.date) -> bool:
        return self.is_open and not self.call_done and self.call_by < today


class CallAttempt(models.Model):
    class Channel(models.TextChoices):
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video call"
        EMAIL = "email", "Email"
        MESSAGE = "message", "Message (e.g. LinkedIn)"
        IN_PERSON = "in_person", "In person"

    class Outcome(models.TextChoices):
        REACHED = "reached", "Reached them"
        LEFT_MESSAGE = "left_message", "Left a message"
        DECLINED = "declined", "Declined to comment"
        NO_ANSWER = "no_answer", "No answer"

    UNANSWERED = (Outcome.LEFT_MESSAGE, Outcome.NO_ANSWER)
    CONCLUSIVE = (Outcome.REACHED, Outcome.DECLINED)

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.PHONE)
    outcome = models.CharField(max_length=15, choices=Outcome.choices)
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["attempted_at", "id"]

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
            )
        ]

    def __str__(self) -> str:
        return self.get_theme_display() + (f": {self.detail}" if self.detail else "")


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

    def __str__(self) -> str:
        return self.title
