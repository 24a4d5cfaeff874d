from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from careertips.core.constraints import CheckConstraint
from careertips.core.models import TimeStampedModel
from careertips.debriefs.models import Theme


class IssueQuerySet(models.QuerySet):
    def published(self) -> IssueQuerySet:
        return self.filter(status=Issue.Status.SENT, published_at__isnull=False)


class Issue(TimeStampedModel):
    """One monthly issue of the Career Tips newsletter."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    volume = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    month = models.DateField(help_text="Any day in the issue's month; stored as the first.")
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True, max_length=20_000, help_text="Markdown.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    send_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-volume", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["volume", "number"], name="issue_unique_volume_number"),
            CheckConstraint(condition=Q(number__gte=1), name="issue_number_positive"),
            CheckConstraint(condition=Q(volume__gte=1), name="issue_volume_positive"),
        ]

    def __str__(self) -> str:
        return f"Vol. {self.volume}, No. {self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("newsletter:issue", args=[self.volume, self.number])

    @property
    def label(self) -> str:
        return f"Volume {self.volume}, Number {self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.SENT and self.published_at is not None

    @property
    def is_editable(self) -> bool:
        """Text can change before and after a send, never while recipients are being mailed."""
        return self.status != self.Status.SENDING


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        return self.filter(
            issue__status=Issue.Status.SENT, issue__published_at__isnull=False
        ).select_related("issue")


class Article(TimeStampedModel):
    class Kind(models.TextChoices):
        LETTER = "letter", "Dear Career Tips letter"
        FEATURE = "feature", "Feature"
        TIP = "tip", "Tip"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="articles")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FEATURE)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    # For letters: the reader's question ("Dear Career Tips: …") and the name it is signed with.
    question = models.TextField(blank=True, max_length=10_000)
    signed_as = models.CharField(max_length=80, blank=True, help_text='e.g. "Robert in Denver".')
    # For letters the answer ("Dear Robert: …"); for features and tips the whole text. Markdown.
    body = models.TextField(max_length=50_000)
    reader_question = models.OneToOneField(
        "ReaderQuestion", null=True, blank=True, on_delete=models.SET_NULL, related_name="article"
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "slug"], name="article_unique_slug_per_issue")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("newsletter:article", args=[self.issue.volume, self.issue.number, self.slug])

    @property
    def is_letter(self) -> bool:
        return self.kind == self.Kind.LETTER

    @property
    def signature(self) -> str:
        """How the reader's letter is signed; readers who chose no name stay anonymous."""
        return self.signed_as or "A reader"

    @property
    def salutation(self) -> str:
        """The opening of the answer: "Dear Robert:"."""
        return f"Dear {self.signed_as or 'Reader'}:"


class ArticleTheme(models.Model):
    """A debrief theme an article speaks to: members whose debrief records it are pointed to
    the article once it is published."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(max_length=30, choices=Theme.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "theme"], name="article_theme_once"),
            CheckConstraint(condition=Q(theme__in=Theme.values), name="articletheme_theme_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.article}: {self.get_theme_display()}"


class ReaderQuestion(TimeStampedModel):
    """A question sent through Ask Career Tips, waiting in the staff queue."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ANSWERED = "answered", "Answered"
        PUBLISHED = "published", "Published"
        DECLINED = "declined", "Declined"

    name = models.CharField(max_length=120, blank=True)
    display_name = models.CharField(
        max_length=80, blank=True, help_text="How to sign the letter; blank to stay anonymous."
    )
    email = models.EmailField()
    question = models.TextField(max_length=5_000)
    consent_to_publish = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    answer = models.TextField(blank=True, max_length=50_000)
    submitted_ip = models.GenericIPAddressField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            CheckConstraint(
                condition=~Q(status="published") | Q(consent_to_publish=True),
                name="question_published_only_with_consent",
            )
        ]

    def __str__(self) -> str:
        return self.question[:60]


class SubscriberQuerySet(models.QuerySet):
    def active(self) -> SubscriberQuerySet:
        return self.filter(status=Subscriber.Status.ACTIVE)


class Subscriber(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        ACTIVE = "active", "Subscribed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Complained"

    SUPPRESSED = (Status.UNSUBSCRIBED, Status.BOUNCED, Status.COMPLAINED)

    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.PENDING)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_ip = models.GenericIPAddressField(null=True, blank=True)
    consent_source = models.CharField(max_length=60, blank=True, help_text="Which form or import.")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_ip = models.GenericIPAddressField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    suppressed_reason = models.CharField(max_length=300, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="subscriber_unique_email"),
        ]
        indexes = [models.Index(fields=["status", "id"])]

    def __str__(self) -> str:
        return self.email

    @property
    def is_suppressed(self) -> bool:
        return self.status in self.SUPPRESSED


class Delivery(models.Model):
    """One issue to one subscriber: claimed under a lease, marked sent only once accepted."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (suppressed)"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message_id = models.CharField(max_length=255)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=1000, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="delivery_once_per_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["issue", "status", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscriber_id}: {self.status}"


class BounceEvent(models.Model):
    """A bounce, complaint or mailed unsubscribe recorded against a subscriber."""

    class Kind(models.TextChoices):
        HARD = "hard", "Hard bounce"
        SOFT = "soft", "Soft bounce"
        COMPLAINT = "complaint", "Complaint"
        UNSUBSCRIBE = "unsubscribe", "Unsubscribe by mail"

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="bounce_events"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    detail = models.CharField(max_length=500, blank=True)
    message = models.ForeignKey(
        "core.InboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["subscriber", "kind", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.subscriber_id}"
