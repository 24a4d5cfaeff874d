from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower

from careertips.core.models import OwnedModel, OwnedQuerySet


class Organization(OwnedModel):
    class Kind(models.TextChoices):
        EMPLOYER = "employer", "Employer"
        ASSOCIATION = "association", "Professional association"
        RECRUITER = "recruiter", "Recruiting firm"
        SCHOOL = "school", "School"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EMPLOYER)
    website = models.URLField(blank=True, max_length=500)
    notes = models.TextField(blank=True, max_length=20_000)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "owner", Lower("name"), name="organization_unique_name_per_owner"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ContactQuerySet(OwnedQuerySet):
    def touch_due(self, on):  # -> ContactQuerySet
        return self.filter(next_touch_on__isnull=False, next_touch_on__lte=on)


class Contact(OwnedModel):
    class Relationship(models.TextChoices):
        HIRING_MANAGER = "hiring_manager", "Hiring manager"
        INTERVIEWER = "interviewer", "Interviewer"
        RECRUITER = "recruiter", "Recruiter"
        COLLEAGUE = "colleague", "Colleague"
        MENTOR = "mentor", "Mentor"
        FRIEND = "friend", "Friend"
        ASSOCIATION_MEMBER = "association_member", "Association member"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    relationship = models.CharField(
        max_length=30, choices=Relationship.choices, default=Relationship.OTHER
    )
    how_we_met = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True, max_length=20_000)
    next_touch_on = models.DateField(null=True, blank=True)
    next_touch_note = models.CharField(max_length=300, blank=True)
    meet_at = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members_to_meet",
        help_text="Where you are likely to see them again, e.g. an association.",
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["owner", "next_touch_on"])]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        parts = [self.name]
        if self.title:
            parts.append(self.title)
        if self.organization_id:
            parts.append(str(self.organization))
        return ", ".join(parts)
