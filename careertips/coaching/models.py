"""A member sharing their search with a coach of the practice, and the notes between them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

MAX_NOTE_LENGTH = 5_000


class Sharing(models.Model):
    """While this row exists, the coach may read the member's search (never change it)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shared_with"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coached"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "coach"], name="sharing_once_per_coach"),
            models.CheckConstraint(condition=~Q(member=F("coach")), name="sharing_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.member} shares with {self.coach}"


class CoachNote(models.Model):
    """One message in the thread between a member and the coaches they share with."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_notes"
    )
    # Kept when its writer's account goes: the member's thread stays whole.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=MAX_NOTE_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["member", "created_at"])]

    def __str__(self) -> str:
        return f"Note for {self.member} on {self.created_at:%Y-%m-%d}"

    @property
    def by_member(self) -> bool:
        return self.author_id == self.member_id


class AccessLogEntry(models.Model):
    """One read of a member's data by a coach: who, which page, when. The member sees these
    under Your data; a coach cannot read a member's search without leaving one."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_reads"
    )
    # The entry outlives the coach's account, with the name it had.
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    coach_name = models.CharField(max_length=320)
    page = models.CharField(max_length=120, help_text="What the coach looked at.")
    path = models.CharField(max_length=500)
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["member", "-at"])]
        verbose_name = "coach access log entry"
        verbose_name_plural = "coach access log"

    def __str__(self) -> str:
        return f"{self.coach_name} read {self.page} of {self.member} at {self.at:%Y-%m-%d %H:%M}"
