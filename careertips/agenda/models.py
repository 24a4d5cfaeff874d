from __future__ import annotations

from django.db import models
from django.db.models import Q

from careertips.core.constraints import CheckConstraint
from careertips.core.models import OwnedModel, OwnedQuerySet


class ItemKind(models.TextChoices):
    """What a line in Today is about; with an object id it makes the item's key."""

    CALL = "call", "Debrief call"
    DEBRIEF_THANKS = "debrief-thanks", "Debrief thank-you"
    ACTION = "action", "Improvement action"
    FOLLOW_UP = "follow-up", "Application follow-up"
    INTERVIEW = "interview", "Interview"
    INTERVIEW_THANKS = "interview-thanks", "Interview thank-you"
    TOUCH = "touch", "Network touch"
    EVENT = "event", "Event"
    MILESTONE = "milestone", "Career goal milestone"
    OFFER = "offer", "Offer decision"
    SESSION = "session", "Coaching session"
    COACH_ACTION = "coach-action", "Action from your coach"
    COACH_COMMENT = "coach-comment", "Comment from your coach"


class SnoozeQuerySet(OwnedQuerySet):
    def active(self, *, today) -> SnoozeQuerySet:  # today: date
        return self.filter(until__gt=today)


class Snooze(OwnedModel):
    """Hides one item from Today until a date; the item comes back on that day."""

    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    object_id = models.PositiveBigIntegerField()
    until = models.DateField()
    title = models.CharField(max_length=300, blank=True, help_text="What was snoozed, to list it.")

    objects = SnoozeQuerySet.as_manager()

    class Meta:
        ordering = ["until", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "kind", "object_id"], name="snooze_once_per_item"
            ),
            CheckConstraint(condition=Q(kind__in=ItemKind.values), name="snooze_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.key} until {self.until}"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"


class Metric(models.TextChoices):
    APPLICATIONS = "applications", "Applications sent"
    TOUCHES = "touches", "Network touches"
    MEETINGS = "meetings", "Informational meetings"
    INTERVIEWS = "interviews", "Interviews"


MAX_WEEKLY_TARGET = 100


class WeeklyGoal(OwnedModel):
    """How many of something the member means to do each week."""

    metric = models.CharField(max_length=20, choices=Metric.choices)
    target = models.PositiveSmallIntegerField()

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "metric"], name="weekly_goal_once_per_metric"),
            CheckConstraint(
                condition=Q(target__gte=1, target__lte=MAX_WEEKLY_TARGET),
                name="weekly_goal_target_range",
            ),
            CheckConstraint(condition=Q(metric__in=Metric.values), name="weekly_goal_metric_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()}: {self.target} a week"


class AgendaSettings(OwnedModel):
    """The member's daily digest and private calendar feed; one row per member."""

    digest_enabled = models.BooleanField("email me a daily digest", default=False)
    digest_hour = models.PositiveSmallIntegerField(
        "send it at", default=7, help_text="In your own time zone."
    )
    # Only a hash of the feed token is kept: the URL is shown once, when it is made.
    calendar_token_hash = models.CharField(max_length=64, blank=True)
    calendar_token_created_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "agenda settings"
        constraints = [
            models.UniqueConstraint(fields=["owner"], name="agenda_settings_once_per_owner"),
            models.UniqueConstraint(
                fields=["calendar_token_hash"],
                condition=~Q(calendar_token_hash=""),
                name="agenda_calendar_token_unique",
            ),
            CheckConstraint(
                condition=Q(digest_hour__gte=0, digest_hour__lte=23),
                name="agenda_digest_hour_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Agenda settings for {self.owner_id}"

    @property
    def has_calendar(self) -> bool:
        return bool(self.calendar_token_hash)


class DigestStatus(models.TextChoices):
    CLAIMED = "claimed", "Being sent"
    SENT = "sent", "Sent"
    NOTHING_DUE = "nothing_due", "Not sent: nothing due"
    OPTED_OUT = "opted_out", "Not sent: turned off"


class DigestLog(OwnedModel):
    """One member's digest for one local day: claimed before sending, so never sent twice."""

    Status = DigestStatus

    local_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CLAIMED)
    sent_at = models.DateTimeField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-local_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "local_date"], name="digest_once_per_day"),
            CheckConstraint(
                condition=Q(status__in=DigestStatus.values),
                name="digest_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Digest for {self.owner_id} on {self.local_date}"
