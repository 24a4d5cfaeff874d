from __future__ import annotations

from django.db import models
from django.db.models import Q

from careertips.core.constraints import CheckConstraint
from careertips.core.models import TimeStampedModel


class Page(TimeStampedModel):
    """An editable page of the practice's site (Career Search, About, …)."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True, help_text="Shown in previews.")
    body = models.TextField(max_length=50_000, help_text="Markdown.")
    nav_order = models.PositiveSmallIntegerField(default=0)
    in_navigation = models.BooleanField(default=True)
    published = models.BooleanField(default=True)

    class Meta:
        ordering = ["nav_order", "title"]

    def __str__(self) -> str:
        return self.title


class TestimonialQuerySet(models.QuerySet):
    def approved(self) -> TestimonialQuerySet:
        return self.filter(approved_at__isnull=False)

    def pending(self) -> TestimonialQuerySet:
        return self.filter(approved_at__isnull=True, rejected_at__isnull=True)

    def rejected(self) -> TestimonialQuerySet:
        return self.filter(rejected_at__isnull=False)


class Testimonial(TimeStampedModel):
    author_name = models.CharField(max_length=120)
    author_title = models.CharField(max_length=200, blank=True, help_text="e.g. Controller, Denver")
    email = models.EmailField(blank=True)
    body = models.TextField(max_length=3_000)
    approved_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    submitted_ip = models.GenericIPAddressField(null=True, blank=True)

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_at", "-created_at"]
        constraints = [
            CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(rejected_at__isnull=True),
                name="testimonial_not_approved_and_rejected",
            )
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:40]}"

    @property
    def state(self) -> str:
        if self.approved_at:
            return "approved"
        return "rejected" if self.rejected_at else "pending"


class Alliance(TimeStampedModel):
    """A strategic alliance: a partner organization the practice works with."""

    name = models.CharField(max_length=200)
    description = models.TextField(max_length=10_000, help_text="Markdown.")
    url = models.URLField(blank=True, max_length=500)
    position = models.PositiveSmallIntegerField(default=0)
    published = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ContactMessage(TimeStampedModel):
    name = models.CharField(max_length=120)
    email = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=10_000)
    submitted_ip = models.GenericIPAddressField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [CheckConstraint(condition=~Q(body=""), name="contact_message_has_body")]

    def __str__(self) -> str:
        return self.subject
