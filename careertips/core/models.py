from __future__ import annotations

import zoneinfo
from functools import cached_property
from typing import Any, Self

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from careertips.core.constraints import CheckConstraint
from careertips.core.roles import Role
from careertips.core.text import first_name

TIME_ZONE_CHOICES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """An account; members log in with their email address."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=120, blank=True)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")
    # Bumped after every write the member makes; cached pages are keyed on it.
    data_version = models.PositiveIntegerField(default=0, editable=False)
    follow_up_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Suggest a follow-up when an application has had no reply for this many days.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()  # type: ignore[assignment,misc]

    class Meta:
        constraints = [
            CheckConstraint(
                condition=models.Q(follow_up_days__gte=1, follow_up_days__lte=90),
                name="user_follow_up_days_range",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def short_name(self) -> str:
        return first_name(self.display_name) or self.email.split("@")[0]

    def local_today(self):  # -> date
        return timezone.now().astimezone(zoneinfo.ZoneInfo(self.time_zone)).date()

    # Roles (core.roles): groups of the same name. is_staff is True exactly when the user
    # holds one, so a member's pages never pay the query.
    @cached_property
    def role_names(self) -> frozenset[str]:
        if not (self.pk and self.is_staff):
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role: str) -> bool:
        return self.is_active and str(role) in self.role_names

    @property
    def is_coach(self) -> bool:
        return self.has_role(Role.COACH)

    @property
    def is_editor(self) -> bool:
        return self.has_role(Role.EDITOR)

    @property
    def is_administrator(self) -> bool:
        return self.has_role(Role.ADMINISTRATOR)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OwnedQuerySet(models.QuerySet):
    def owned_by(self, user: Any) -> Self:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class OwnedModel(TimeStampedModel):
    """A row private to one member."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class CapturedEmail(models.Model):
    """A message the embedded mail backend kept instead of sending; staff read them in the app."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    from_email = models.CharField(max_length=320)
    to = models.TextField(help_text="Recipients, one per line.")
    subject = models.CharField(max_length=998)
    text_body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict)
    message_id = models.CharField(max_length=255, blank=True)
    raw = models.TextField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    @property
    def recipients(self) -> list[str]:
        return [line for line in self.to.splitlines() if line]

    @property
    def is_account_mail(self) -> bool:
        from careertips.core.mail import ACCOUNT_MAIL_HEADER

        return ACCOUNT_MAIL_HEADER in self.headers

    # What the Mailbox shows. Account mail is stored redacted; these also hide account-keyed
    # links in mail kept before it was.
    @property
    def shown_text_body(self) -> str:
        from careertips.core.mail import redact

        return redact(self.text_body, every_link=False)

    @property
    def shown_html_body(self) -> str:
        from careertips.core.mail import redact

        return redact(self.html_body, every_link=False)


def count_subquery(rows: models.QuerySet, *, by: str) -> Coalesce:
    """How many of `rows` (filtered on an OuterRef) there are, as a column, 0 when none.
    Several counts as subqueries do not multiply each other's rows the way joins would."""
    counted = rows.order_by().values(by).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


class OutboundMailQuerySet(models.QuerySet):
    def for_object(self, kind: str, object_id: int) -> Self:
        return self.filter(kind=kind, object_id=object_id)


class OutboundMail(models.Model):
    """One transactional message to one person, and how its delivery went.

    The composed message is kept exactly as it will be sent, so a retry sends the same bytes
    (same Message-ID); it is dropped once the message is accepted. `kind` and `object_id`
    name what the mail is about (a debrief's thank-you, a coaching note), so the page that
    sent it can show its state; `owner` is the one person who may see it and retry it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent"

    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Counts toward the member's daily cap: mail they asked to send to an address they typed.
    member_sent = models.BooleanField(default=False)
    from_email = models.CharField(max_length=998)
    recipients = models.TextField(help_text="Envelope recipients, one per line.")
    subject = models.CharField(max_length=998, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    raw = models.BinaryField(blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutboundMailQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "object_id"], name="outboundmail_about"),
            models.Index(fields=["owner", "created_at"], name="outboundmail_owner_created"),
        ]
        constraints = [
            CheckConstraint(
                condition=models.Q(status__in=["queued", "sent", "failed"]),
                name="outboundmail_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id} to {self.recipients}: {self.status}"

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT


class Backup(models.Model):
    """One run of `careertips backup`: staff see the last one, the daily schedule claims a day."""

    class Status(models.TextChoices):
        RUNNING = "running"
        OK = "ok"
        FAILED = "failed"

    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    # Set only for scheduled runs: the unique day is what keeps several workers to one backup.
    scheduled_day = models.DateField(null=True, blank=True, unique=True)
    archive = models.CharField(max_length=255, blank=True)
    size = models.BigIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.status} backup at {self.started_at:%Y-%m-%d %H:%M}"


class Heartbeat(models.Model):
    """When a task worker last ran the heartbeat task; /healthz reads it."""

    name = models.CharField(max_length=40, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class InboundMessage(models.Model):
    """A message that came in by the MTA pipe or the mailbox poller, kept whole whatever it was:
    bounces, complaints and unsubscribe requests are acted on, the rest waits for staff."""

    class Kind(models.TextChoices):
        BOUNCE = "bounce", "Bounce"
        COMPLAINT = "complaint", "Complaint"
        UNSUBSCRIBE = "unsubscribe", "Unsubscribe request"
        OTHER = "other", "For staff to read"

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=10, help_text="pipe or poll")
    mail_from = models.CharField(max_length=998, blank=True)
    to = models.CharField(max_length=998, blank=True)
    subject = models.CharField(max_length=998, blank=True)
    message_id = models.CharField(max_length=998, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.OTHER)
    outcome = models.CharField(max_length=1000, blank=True)
    # The same message fetched twice (a poll that died before deleting it) is handled once.
    digest = models.CharField(max_length=64, unique=True)
    raw = models.BinaryField()

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.subject or f"Message {self.pk}"

    @property
    def text(self) -> str:
        return bytes(self.raw).decode("utf-8", "replace")
