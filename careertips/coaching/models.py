"""A member sharing their search with a coach of the practice, and the notes between them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from careertips.core.constraints import CheckConstraint

MAX_NOTE_LENGTH = 5_000


class RoleFamily(models.TextChoices):
    OPERATIONS = "operations", "Operations"
    FINANCE = "finance", "Finance and accounting"
    ENGINEERING = "engineering", "Engineering and IT"
    SALES = "sales", "Sales and marketing"
    PEOPLE = "people", "People and HR"
    PRODUCT = "product", "Product and design"
    MANAGEMENT = "management", "General management"
    OTHER = "other", "Other"


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", "Manufacturing"
    TECHNOLOGY = "technology", "Technology"
    HEALTHCARE = "healthcare", "Healthcare"
    FINANCIAL = "financial", "Financial services"
    RETAIL = "retail", "Retail and consumer"
    PUBLIC = "public", "Public sector and nonprofit"
    LOGISTICS = "logistics", "Logistics and transport"
    OTHER = "other", "Other"


class Scope(models.TextChoices):
    """A part of a search a member may share; the value names Sharing's switch for it."""

    PIPELINE = "pipeline", "Pipeline and interviews"
    DEBRIEFS = "debriefs", "Debriefs"
    STORIES = "stories", "Stories, coverage, gaps and prep sheets"
    OFFERS = "offers", "Offers and negotiation"
    NETWORK = "network", "Network"


class Sharing(models.Model):
    """While this row exists, the coach may read the member's search (never change it)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shared_with"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coached"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # What the coach may read, each part switched on its own by the member.
    pipeline = models.BooleanField("pipeline and interviews", default=True)
    debriefs = models.BooleanField(
        "debriefs", default=True, help_text="Feedback, themes, improvement actions, thank-you."
    )
    stories = models.BooleanField("stories, coverage, gaps and prep sheets", default=True)
    offers = models.BooleanField("offers and negotiation", default=True)
    network = models.BooleanField("network", default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "coach"], name="sharing_once_per_coach"),
            CheckConstraint(condition=~Q(member=F("coach")), name="sharing_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.member} shares with {self.coach}"

    def allows(self, scope: str) -> bool:
        return scope in Scope.values and bool(getattr(self, scope))

    @property
    def scopes(self) -> list[str]:
        return [scope for scope in Scope.values if getattr(self, scope)]


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


class Comment(models.Model):
    """A coach's comment on one shared item of a member's search (shown beside the item)."""

    class Kind(models.TextChoices):
        DEBRIEF = "debrief", "Debrief"
        STORY = "story", "Story"
        PREP = "prep", "Prep sheet"
        OFFER = "offer", "Offer"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_comments"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    coach_name = models.CharField(max_length=320)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300, help_text="What the comment is on, for lists.")
    body = models.TextField(max_length=MAX_NOTE_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["member", "kind", "object_id"])]
        constraints = [
            CheckConstraint(
                condition=Q(kind__in=["debrief", "story", "prep", "offer"]),
                name="coachcomment_kind_valid",
            ),
            CheckConstraint(condition=~Q(body=""), name="coachcomment_has_body"),
        ]

    def __str__(self) -> str:
        return f"{self.coach_name} on {self.title}"


class CoachingSession(models.Model):
    """A meeting between a coach and a member, and afterwards its summary."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_sessions"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    coach_name = models.CharField(max_length=320)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    place = models.CharField(max_length=300, blank=True, help_text="Where you meet, if in person.")
    video_url = models.URLField("video link", max_length=500, blank=True)
    summary = models.TextField(blank=True, max_length=20_000)
    summary_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["member", "starts_at"]),
            models.Index(fields=["coach", "starts_at"]),
        ]
        constraints = [
            CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="coachingsession_length_range",
            ),
            CheckConstraint(
                condition=~Q(place="") | ~Q(video_url=""), name="coachingsession_has_place"
            ),
        ]

    def __str__(self) -> str:
        return f"Coaching session {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def where(self) -> str:
        return self.video_url or self.place


class ActionItemQuerySet(models.QuerySet):
    def pending(self) -> ActionItemQuerySet:
        return self.filter(done_at__isnull=True)


class ActionItem(models.Model):
    """Work a coach assigns a member after a session; the member completes it in Today."""

    session = models.ForeignKey(
        CoachingSession, on_delete=models.CASCADE, related_name="action_items"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_action_items"
    )
    title = models.CharField(max_length=300)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["done_at", "due_on", "id"]
        indexes = [models.Index(fields=["member", "done_at", "due_on"])]
        constraints = [CheckConstraint(condition=~Q(title=""), name="actionitem_has_title")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class PracticeProfile(models.Model):
    """A member's separate, explicit consent to count their debrief themes in the practice's
    aggregates (off until they say yes), and the role family and industry they are counted
    under."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_profile"
    )
    consented_at = models.DateTimeField(null=True, blank=True)
    role_family = models.CharField(max_length=20, choices=RoleFamily.choices, blank=True)
    industry = models.CharField(max_length=20, choices=Industry.choices, blank=True)

    class Meta:
        constraints = [
            CheckConstraint(
                condition=Q(role_family__in=["", *RoleFamily.values]),
                name="practiceprofile_role_family_valid",
            ),
            CheckConstraint(
                condition=Q(industry__in=["", *Industry.values]),
                name="practiceprofile_industry_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Practice profile of {self.member}"

    @property
    def consents(self) -> bool:
        return self.consented_at is not None
