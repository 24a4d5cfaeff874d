from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from careertips.core.constraints import CheckConstraint
from careertips.core.models import OwnedModel, OwnedQuerySet
from careertips.core.text import first_name

MAX_CADENCE_DAYS = 730


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

    def get_absolute_url(self) -> str:
        return reverse("network:organization", args=[self.pk])


class Tag(OwnedModel):
    """A member's own label for contacts, e.g. "ops leaders" or "ASQ"."""

    name = models.CharField(max_length=50)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("owner", Lower("name"), name="tag_unique_name_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


class ContactQuerySet(OwnedQuerySet):
    def touch_due(self, on: dt.date) -> ContactQuerySet:
        """Contacts whose next touch falls on or before `on` (Today lists these)."""
        return self.filter(next_touch_on__isnull=False, next_touch_on__lte=on)

    def with_last_touch(self) -> ContactQuerySet:
        """Annotates `last_touched_on`: the date of the latest touchpoint, or None."""
        latest = (
            Touchpoint.objects.filter(contact=models.OuterRef("pk"))
            .order_by("-happened_on", "-id")
            .values("happened_on")[:1]
        )
        return self.annotate(last_touched_on=models.Subquery(latest))


def contact_label(name: str, title: str, organization: str) -> str:
    """How menus and lists name a contact: "Dana Reyes, Plant Manager, Initech"."""
    return ", ".join(part for part in (name, title, organization) if part)


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

    class Warmth(models.IntegerChoices):
        COLD = 1, "Cold"
        WARM = 2, "Warm"
        HOT = 3, "Hot"

    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    profile_url = models.URLField(
        "profile URL", blank=True, max_length=500, help_text="e.g. their LinkedIn profile."
    )
    relationship = models.CharField(
        max_length=30, choices=Relationship.choices, default=Relationship.OTHER
    )
    warmth = models.PositiveSmallIntegerField(choices=Warmth.choices, default=Warmth.WARM)
    tags = models.ManyToManyField(Tag, blank=True, related_name="contacts")
    how_we_met = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True, max_length=20_000)
    next_touch_on = models.DateField(null=True, blank=True)
    next_touch_note = models.CharField(max_length=300, blank=True)
    cadence_days = models.PositiveSmallIntegerField(
        "keep in touch every (days)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CADENCE_DAYS)],
        help_text="Each touchpoint moves the next touch this many days on. Empty: no cadence.",
    )
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
        indexes = [
            models.Index(fields=["owner", "next_touch_on"]),
            models.Index(fields=["owner", "name"]),
            models.Index("owner", Lower("email"), name="contact_owner_email_idx"),
            # The opportunity form's menus list the contacts added or changed last.
            models.Index(fields=["owner", "-updated_at", "-id"], name="contact_owner_recent_idx"),
        ]
        constraints = [
            CheckConstraint(
                condition=Q(cadence_days__isnull=True)
                | Q(cadence_days__gte=1, cadence_days__lte=MAX_CADENCE_DAYS),
                name="contact_cadence_range",
            ),
            CheckConstraint(condition=Q(warmth__gte=1, warmth__lte=3), name="contact_warmth_range"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:contact", args=[self.pk])

    @property
    def label(self) -> str:
        organization = str(self.organization) if self.organization_id else ""
        return contact_label(self.name, self.title, organization)

    @property
    def first_name(self) -> str:
        return first_name(self.name)

    @property
    def touchpoint_kinds(self) -> list[tuple[str, str]]:
        """The kinds offered by the log-a-touchpoint form included wherever a contact shows."""
        return Touchpoint.Kind.choices

    def is_touch_due(self, today: dt.date) -> bool:
        return self.next_touch_on is not None and self.next_touch_on <= today


class EventQuerySet(OwnedQuerySet):
    def upcoming(
        self, owner: Any, start: dt.datetime | dt.date, end: dt.datetime | dt.date
    ) -> EventQuerySet:
        """The member's events starting in [start, end); dates count in the current time zone."""
        return (
            self.owned_by(owner)
            .filter(starts_at__gte=_as_datetime(start), starts_at__lt=_as_datetime(end))
            .select_related("organization")
            .order_by("starts_at", "id")
        )


def _as_datetime(value: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


class Event(OwnedModel):
    """An association meeting, conference or networking event."""

    class Kind(models.TextChoices):
        ASSOCIATION_MEETING = "association_meeting", "Association meeting"
        CONFERENCE = "conference", "Conference"
        NETWORKING = "networking", "Networking event"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.ASSOCIATION_MEETING)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name="host",
        help_text="Who runs it, e.g. the association.",
    )
    url = models.URLField("web page", blank=True, max_length=500)
    notes = models.TextField(blank=True, max_length=20_000)
    contacts = models.ManyToManyField(
        Contact, through="EventAttendance", blank=True, related_name="events"
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["owner", "starts_at"])]
        constraints = [
            CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:event", args=[self.pk])

    @property
    def is_past(self) -> bool:
        return (self.ends_at or self.starts_at) < timezone.now()


class AttendanceStatus(models.TextChoices):
    EXPECTED = "expected", "Expected"
    MET = "met", "Met"


class EventAttendance(models.Model):
    """A contact you expect to see, or met, at an event."""

    Status = AttendanceStatus

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.EXPECTED)

    class Meta:
        ordering = ["contact__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "contact"], name="attendance_once_per_event"),
            CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="attendance_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact} at {self.event} ({self.get_status_display()})"


class TouchpointKind(models.TextChoices):
    CALL = "call", "Call"
    EMAIL = "email", "Email"
    MEETING = "meeting", "Meeting"
    COFFEE = "coffee", "Coffee"
    EVENT = "event", "Event conversation"
    MESSAGE = "message", "Message"


class Touchpoint(OwnedModel):
    """One conversation or message with a contact."""

    Kind = TouchpointKind

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="touchpoints")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CALL)
    happened_on = models.DateField()
    note = models.CharField(max_length=1000, blank=True)
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="touchpoints"
    )
    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="touchpoints",
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-id"]
        indexes = [
            models.Index(fields=["contact", "-happened_on", "-id"]),
            models.Index(fields=["owner", "-happened_on"]),
        ]
        constraints = [
            CheckConstraint(
                condition=Q(kind__in=TouchpointKind.values),
                name="touchpoint_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.contact} on {self.happened_on}"


class ImportBatch(OwnedModel):
    """An uploaded file, parsed and waiting for the member to confirm it."""

    class Source(models.TextChoices):
        LINKEDIN = "linkedin", "LinkedIn connections (CSV)"
        CAREERTIPS = "careertips", "Career Tips export (CSV)"
        VCARD = "vcard", "vCard"

    class Status(models.TextChoices):
        PREVIEW = "preview", "Waiting for confirmation"
        APPLYING = "applying", "Importing"
        APPLIED = "applied", "Imported"
        DISCARDED = "discarded", "Discarded"

    source = models.CharField(max_length=20, choices=Source.choices)
    filename = models.CharField(max_length=255, blank=True)
    encoding = models.CharField(max_length=20, default="utf-8")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    rows = models.JSONField(default=list)
    notes = models.JSONField(default=list, help_text="Remarks about the file as a whole.")
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.filename or 'upload'}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PREVIEW

    @property
    def is_applying(self) -> bool:
        return self.status == self.Status.APPLYING
