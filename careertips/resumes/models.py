"""The member's résumé material (profile, positions, credentials, one bullet per story) and
what is made from it for one opportunity: tailored résumé versions and a cover letter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from careertips.core.constraints import CheckConstraint
from careertips.core.models import OwnedModel, OwnedQuerySet, TimeStampedModel

MAX_BULLET = 300
MAX_SUMMARY = 2_000
MAX_LETTER = 10_000


def lines(text: str) -> list[str]:
    """The non-empty lines of a text field kept one item per line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class Profile(TimeStampedModel):
    """What heads every résumé: who the member is and how to reach them."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resume_profile"
    )
    name = models.CharField(max_length=200, blank=True)
    headline = models.CharField(
        max_length=200, blank=True, help_text="One line, e.g. “Operations manager, 12 years”."
    )
    contact = models.TextField(
        "contact lines", blank=True, max_length=1_000, help_text="Email, phone: one per line."
    )
    links = models.TextField(
        blank=True, max_length=2_000, help_text="LinkedIn, portfolio: one per line."
    )
    location = models.CharField(max_length=200, blank=True)
    summary = models.TextField(
        blank=True,
        max_length=MAX_SUMMARY,
        help_text="Two or three sentences. Tailoring puts the ones a posting asks about first.",
    )
    skills = models.TextField(blank=True, max_length=2_000, help_text="One skill per line.")

    def __str__(self) -> str:
        return self.name or "Profile"

    @property
    def contact_lines(self) -> list[str]:
        return lines(self.contact)

    @property
    def link_lines(self) -> list[str]:
        return lines(self.links)

    @property
    def skill_list(self) -> list[str]:
        return lines(self.skills)


class Position(OwnedModel):
    """A job in the member's work history."""

    organization = models.ForeignKey(
        "network.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resume_positions",
    )
    employer = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="Empty while you work there.")
    location = models.CharField(max_length=200, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = [F("ended_on").desc(nulls_first=True), "-started_on", "-id"]
        constraints = [
            CheckConstraint(condition=~Q(title=""), name="position_has_title"),
            CheckConstraint(condition=~Q(employer=""), name="position_has_employer"),
            CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="position_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.employer}"

    @property
    def dates(self) -> str:
        end = f"{self.ended_on:%b %Y}" if self.ended_on else "present"
        return f"{self.started_on:%b %Y} – {end}"


class Credential(OwnedModel):
    """A degree or a certification."""

    class Kind(models.TextChoices):
        EDUCATION = "education", "Education"
        CERTIFICATION = "certification", "Certification"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EDUCATION)
    title = models.CharField(max_length=200, help_text="e.g. “B.S. Industrial Engineering”.")
    institution = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", F("year").desc(nulls_last=True), "id"]
        constraints = [
            CheckConstraint(condition=~Q(title=""), name="credential_has_title"),
            CheckConstraint(
                condition=Q(kind__in=["education", "certification"]), name="credential_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return ", ".join(str(p) for p in (self.title, self.institution, self.year) if p)


class Bullet(TimeStampedModel):
    """A story as one résumé line (action, result, figure), placed under a position."""

    story = models.OneToOneField(
        "stories.Story", on_delete=models.CASCADE, related_name="resume_bullet"
    )
    position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.SET_NULL, related_name="bullets"
    )
    text = models.CharField("résumé bullet", max_length=MAX_BULLET)

    class Meta:
        ordering = ["position", "-story__strength", "id"]
        constraints = [CheckConstraint(condition=~Q(text=""), name="bullet_has_text")]

    def __str__(self) -> str:
        return self.text


class ResumeVersionQuerySet(OwnedQuerySet):
    def for_list(self) -> ResumeVersionQuerySet:
        return self.select_related("opportunity__organization").annotate(
            bullet_count=models.Count("bullets", filter=Q(bullets__hidden=False))
        )


class ResumeVersion(OwnedModel):
    """A résumé tailored to one opportunity; its edits never touch the master material."""

    opportunity = models.ForeignKey(
        "pipeline.Opportunity", on_delete=models.CASCADE, related_name="resume_versions"
    )
    label = models.CharField(max_length=100)
    headline = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True, max_length=MAX_SUMMARY)
    skills = models.TextField(blank=True, max_length=2_000, help_text="One skill per line.")
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ResumeVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["opportunity", "-created_at"])]
        constraints = [CheckConstraint(condition=~Q(label=""), name="resume_has_label")]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("resumes:version", args=[self.pk])

    @property
    def skill_list(self) -> list[str]:
        return lines(self.skills)


class VersionBullet(models.Model):
    """One bullet as it stands in one version: its own text, place and visibility."""

    version = models.ForeignKey(ResumeVersion, on_delete=models.CASCADE, related_name="bullets")
    bullet = models.ForeignKey(Bullet, on_delete=models.CASCADE, related_name="+")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=MAX_BULLET)
    order = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False)
    # Requirement ids the bullet's story covers (confirmed or found by search) when tailored.
    covers = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "bullet"], name="versionbullet_once"),
            CheckConstraint(condition=~Q(text=""), name="versionbullet_has_text"),
        ]

    def __str__(self) -> str:
        return self.text


class CoverLetter(OwnedModel):
    """The cover letter for one opportunity, drafted from the member's own material."""

    opportunity = models.OneToOneField(
        "pipeline.Opportunity", on_delete=models.CASCADE, related_name="cover_letter"
    )
    salutation = models.CharField(max_length=200)
    body = models.TextField(max_length=MAX_LETTER)
    closing = models.CharField(max_length=200, default="Sincerely,")
    signature = models.CharField(max_length=200, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            CheckConstraint(condition=~Q(salutation=""), name="coverletter_has_salutation")
        ]

    def __str__(self) -> str:
        return f"Cover letter: {self.opportunity}"

    def get_absolute_url(self) -> str:
        return reverse("resumes:letter", args=[self.opportunity_id])

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in self.body.split("\n\n") if p.strip()]
