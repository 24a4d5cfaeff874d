from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from careertips.core.constraints import CheckConstraint
from careertips.core.links import pk_url
from careertips.core.models import OwnedModel, OwnedQuerySet, TimeStampedModel

MIN_YEAR, MAX_YEAR = 1950, 2100
MAX_STORY_TEXT = 5_000


class CompetencyQuerySet(models.QuerySet):
    def available_to(self, user: Any) -> CompetencyQuerySet:
        """The shared default list plus the member's own additions."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(owner__isnull=True) | Q(owner=user))


class Competency(models.Model):
    """A tag for stories: from the shared default list (no owner) or added by a member."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty for the default list every member shares.",
    )
    name = models.CharField(max_length=60)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CompetencyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "competencies"
        ordering = [Lower("name"), "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                condition=Q(owner__isnull=True),
                name="competency_unique_default_name",
            ),
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                condition=Q(owner__isnull=False),
                name="competency_unique_name_per_owner",
            ),
            CheckConstraint(condition=~Q(name=""), name="competency_has_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_default(self) -> bool:
        return self.owner_id is None


class StoryQuerySet(OwnedQuerySet):
    def at_organization(self, name: str, *, since_year: int | None = None) -> StoryQuerySet:
        """The accomplishments log: stories at one employer, optionally since a year."""
        qs = self.filter(organization_name__iexact=name.strip())
        if since_year is not None:
            qs = qs.filter(Q(year__isnull=True) | Q(year__gte=since_year))
        return qs


def distinct_names(names: Iterable[str]) -> list[str]:
    """Organization names as the bank's menu lists them: each once, in alphabetical order."""
    return sorted({name.strip() for name in names}, key=str.lower)


class StoryFacts:
    """What a story's lines say of it, alike for a Story and a plain row of its values."""

    result: str
    organization_name: str
    role: str
    year: int | None

    @property
    def has_numbers(self) -> bool:
        return result_has_numbers(self.result)

    @property
    def where(self) -> str:
        return story_where(self.organization_name, self.role, self.year)


class RequirementLinks:
    """Where a requirement's actions live, alike for a Requirement and a plain row of it: the
    coverage report links every requirement several times."""

    @property
    def edit_url(self) -> str:
        return pk_url("stories:edit-requirement", self.pk)  # type: ignore[attr-defined]

    @property
    def delete_url(self) -> str:
        return pk_url("stories:delete-requirement", self.pk)  # type: ignore[attr-defined]

    @property
    def cover_url(self) -> str:
        return pk_url("stories:cover", self.pk)  # type: ignore[attr-defined]

    @property
    def gap_url(self) -> str:
        """Where the member turns an uncovered requirement into a gap."""
        return pk_url("stories:requirement-gap", self.pk)  # type: ignore[attr-defined]


class Story(StoryFacts, OwnedModel):
    """An accomplishment told as challenge, action and a result with numbers."""

    title = models.CharField(max_length=200)
    challenge = models.TextField("the challenge", max_length=MAX_STORY_TEXT)
    action = models.TextField("what I did", max_length=MAX_STORY_TEXT)
    result = models.TextField(
        "the result",
        max_length=MAX_STORY_TEXT,
        help_text="Put numbers on it: how much, how many, how fast, compared with what.",
    )
    competencies = models.ManyToManyField(Competency, blank=True, related_name="stories")
    organization_name = models.CharField("organization", max_length=200, blank=True)
    role = models.CharField("your role", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    strength = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="How well it lands today, from 1 (needs work) to 5 (compelling).",
    )
    feedback_themes = models.ManyToManyField(
        "debriefs.FeedbackTheme", blank=True, related_name="stories"
    )

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["owner", "-updated_at"])]
        constraints = [
            CheckConstraint(
                condition=Q(strength__gte=1, strength__lte=5), name="story_strength_range"
            ),
            CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="story_year_range",
            ),
            CheckConstraint(condition=~Q(title=""), name="story_has_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return pk_url("stories:detail", self.pk)


def result_has_numbers(result: str) -> bool:
    """Whether a story's result puts a number on it."""
    return bool(_DIGIT.search(result))


_DIGIT = re.compile(r"\d")


def story_where(organization_name: str, role: str, year: int | None) -> str:
    """Where and when a story happened, as its pages say it."""
    return " · ".join(str(p) for p in (organization_name, role, year) if p)


class StoryRevision(models.Model):
    """A snapshot of a story after one save; never edited."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    title = models.CharField(max_length=200)
    challenge = models.TextField()
    action = models.TextField()
    result = models.TextField()
    competencies = models.TextField(blank=True, help_text="Competency names, comma separated.")
    organization_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    strength = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["story", "number"]
        constraints = [
            models.UniqueConstraint(fields=["story", "number"], name="storyrevision_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.title} (revision {self.number})"

    def as_lines(self) -> list[str]:
        """The snapshot as text lines, the form a diff is taken in."""
        where = " · ".join(str(p) for p in (self.organization_name, self.role, self.year) if p)
        lines = [
            f"Title: {self.title}",
            f"Where: {where}",
            f"Strength: {self.strength}/5",
            f"Competencies: {self.competencies}",
        ]
        for label, text in (
            ("The challenge", self.challenge),
            ("What I did", self.action),
            ("The result", self.result),
        ):
            lines += ["", f"{label}:", *text.splitlines()]
        return lines


class StoryUse(TimeStampedModel):
    """A story told (or to be told) in one interview."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="uses")
    interview = models.ForeignKey(
        "pipeline.Interview", on_delete=models.CASCADE, related_name="story_uses"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "interview"], name="storyuse_once_per_interview"
            )
        ]

    def __str__(self) -> str:
        return f"{self.story} in {self.interview}"


class Requirement(RequirementLinks, TimeStampedModel):
    """One line of what a posting asks for."""

    MAX_LENGTH = 500

    opportunity = models.ForeignKey(
        "pipeline.Opportunity", on_delete=models.CASCADE, related_name="requirements"
    )
    text = models.CharField(max_length=MAX_LENGTH)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["opportunity", "position"])]
        constraints = [CheckConstraint(condition=~Q(text=""), name="requirement_has_text")]

    def __str__(self) -> str:
        return self.text


class Coverage(models.Model):
    """The member's confirmation that a story answers a requirement."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="coverages")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="coverages")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["confirmed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["requirement", "story"], name="coverage_once")
        ]

    def __str__(self) -> str:
        return f"{self.story} covers {self.requirement}"

    @property
    def delete_url(self) -> str:
        return pk_url("stories:uncover", self.pk)


class Gap(OwnedModel):
    """Something an employer wants (or felt was missing) and how to position related experience."""

    topic = models.CharField(max_length=200, help_text='What is missing, e.g. "budget ownership".')
    positioning = models.TextField(
        "positioning note",
        blank=True,
        max_length=MAX_STORY_TEXT,
        help_text="The related experience that fills it, and how you will say so.",
    )
    stories = models.ManyToManyField(
        Story, blank=True, related_name="gaps", help_text="Stories that support the positioning."
    )
    theme = models.OneToOneField(
        "debriefs.FeedbackTheme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gap",
        help_text="The debrief feedback that raised it.",
    )
    requirement = models.OneToOneField(
        Requirement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gap",
        help_text="The posting requirement no story covered.",
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [CheckConstraint(condition=~Q(topic=""), name="gap_has_topic")]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return pk_url("stories:gap", self.pk)


class Question(TimeStampedModel):
    """A question the member means to ask at interviews for one opportunity."""

    opportunity = models.ForeignKey(
        "pipeline.Opportunity", on_delete=models.CASCADE, related_name="questions_to_ask"
    )
    text = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [CheckConstraint(condition=~Q(text=""), name="question_has_text")]

    def __str__(self) -> str:
        return self.text

    @property
    def delete_url(self) -> str:
        return pk_url("stories:delete-question", self.pk)


class CaseKind(models.TextChoices):
    RAISE = "raise", "Raise"
    PROMOTION = "promotion", "Promotion"


class PromotionCase(OwnedModel):
    """The case for a raise or a promotion: chosen stories and figures for a review meeting."""

    Kind = CaseKind

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RAISE)
    organization_name = models.CharField("employer", max_length=200)
    started_on = models.DateField("started there on", null=True, blank=True)
    meeting_on = models.DateField("review meeting", null=True, blank=True)
    current_title = models.CharField(max_length=200, blank=True)
    target_title = models.CharField(max_length=200, blank=True)
    current_pay = models.PositiveIntegerField(null=True, blank=True)
    target_pay = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    figures = models.TextField(
        blank=True,
        max_length=MAX_STORY_TEXT,
        help_text="Market data and results to bring, one per line.",
    )
    ask = models.TextField(
        "the ask", blank=True, max_length=MAX_STORY_TEXT, help_text="What you will ask for."
    )
    stories = models.ManyToManyField(Story, blank=True, related_name="cases")

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            CheckConstraint(
                condition=Q(current_pay__isnull=True)
                | Q(target_pay__isnull=True)
                | Q(target_pay__gte=F("current_pay")),
                name="promotioncase_target_not_below_current",
            ),
            CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(meeting_on__isnull=True)
                | Q(meeting_on__gte=F("started_on")),
                name="promotioncase_meeting_after_start",
            ),
            CheckConstraint(condition=Q(kind__in=CaseKind.values), name="promotioncase_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:case", args=[self.pk])

    @property
    def since_year(self) -> int | None:
        return self.started_on.year if self.started_on else None

    @property
    def raise_percent(self) -> float | None:
        if not self.current_pay or self.target_pay is None:
            return None
        return round((self.target_pay - self.current_pay) * 100 / self.current_pay, 1)


class GoalQuerySet(OwnedQuerySet):
    def with_progress(self) -> GoalQuerySet:
        return self.annotate(
            milestones_total=models.Count("milestones"),
            milestones_done=models.Count("milestones", filter=Q(milestones__done_on__isnull=False)),
        )


class GoalKind(models.TextChoices):
    DEGREE = "degree", "Degree"
    CERTIFICATION = "certification", "Certification"
    ROLE = "role", "Target role"
    SKILL = "skill", "Skill"
    OTHER = "other", "Other"


class Goal(OwnedModel):
    """A career goal: a degree, a certification, a target role."""

    Kind = GoalKind

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ROLE)
    started_on = models.DateField(default=timezone.localdate)
    target_on = models.DateField("target date", null=True, blank=True)
    notes = models.TextField(blank=True, max_length=MAX_STORY_TEXT)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = [F("target_on").asc(nulls_last=True), "id"]
        constraints = [
            CheckConstraint(
                condition=Q(target_on__isnull=True) | Q(target_on__gte=F("started_on")),
                name="goal_target_after_start",
            ),
            CheckConstraint(
                condition=Q(kind__in=GoalKind.values),
                name="goal_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:goal", args=[self.pk])

    @staticmethod
    def percent(done: int, total: int) -> int:
        return round(done * 100 / total) if total else 0

    @property
    def progress_percent(self) -> int:
        """Needs `with_progress()`: done milestones over all of them."""
        return self.percent(self.milestones_done, self.milestones_total)  # type: ignore[attr-defined]


class MilestoneQuerySet(models.QuerySet):
    def due_for(self, owner: Any, on_or_before: dt.date) -> MilestoneQuerySet:
        """Open milestones of the member's goals due on or before a day, soonest first."""
        return (
            self.filter(
                goal__owner=owner,
                done_on__isnull=True,
                due_on__isnull=False,
                due_on__lte=on_or_before,
            )
            .select_related("goal")
            .order_by("due_on", "id")
        )


class Milestone(TimeStampedModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = [F("due_on").asc(nulls_last=True), "id"]
        indexes = [models.Index(fields=["goal", "done_on", "due_on"])]
        constraints = [CheckConstraint(condition=~Q(title=""), name="milestone_has_title")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    @property
    def owner_id(self) -> int:
        return self.goal.owner_id
