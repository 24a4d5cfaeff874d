"""The public site's workflows: editing pages, moderating testimonials, the contact form."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone

from careertips.core.access import owned_or_404, require_role
from careertips.core.models import User
from careertips.core.roles import Role
from careertips.pages.models import Alliance, ContactMessage, Page, Testimonial


def get_page_for(user: Any, pk: int) -> Page:
    require_role(user, Role.EDITOR, "page")
    return owned_or_404(Page.objects.all(), pk, "page")


def get_alliance_for(user: Any, pk: int) -> Alliance:
    require_role(user, Role.EDITOR, "alliance")
    return owned_or_404(Alliance.objects.all(), pk, "alliance")


def get_testimonial_for(user: Any, pk: int) -> Testimonial:
    require_role(user, Role.EDITOR, "testimonial")
    return owned_or_404(Testimonial.objects.all(), pk, "testimonial")


def get_contact_message_for(user: Any, pk: int) -> ContactMessage:
    require_role(user, Role.EDITOR, "message")
    return owned_or_404(ContactMessage.objects.all(), pk, "message")


def get_public_page(slug: str) -> Page:
    try:
        return Page.objects.get(slug=slug, published=True)
    except Page.DoesNotExist:
        raise Http404("No such page.") from None


def featured_testimonial() -> Testimonial | None:
    """The approved testimonial shown on the home page; a different one each day."""
    approved = Testimonial.objects.approved().order_by("approved_at", "id")
    count = approved.count()
    if not count:
        return None
    return approved[timezone.localdate().toordinal() % count]


@transaction.atomic
def submit_testimonial(
    *, author_name: str, author_title: str, email: str, body: str, ip: str | None
) -> Testimonial:
    """A visitor's story; it waits for staff approval before anyone sees it."""
    return Testimonial.objects.create(
        author_name=author_name, author_title=author_title, email=email, body=body, submitted_ip=ip
    )


@transaction.atomic
def approve_testimonial(*, testimonial: Testimonial, when: Any = None) -> Testimonial:
    testimonial.approved_at = when or timezone.now()
    testimonial.rejected_at = None
    testimonial.save(update_fields=["approved_at", "rejected_at", "updated_at"])
    return testimonial


@transaction.atomic
def reject_testimonial(*, testimonial: Testimonial, when: Any = None) -> Testimonial:
    testimonial.rejected_at = when or timezone.now()
    testimonial.approved_at = None
    testimonial.save(update_fields=["approved_at", "rejected_at", "updated_at"])
    return testimonial


@transaction.atomic
def move_alliance(*, alliance: Alliance, direction: str) -> None:
    """Swaps the alliance with its neighbour; positions are renumbered so ties cannot stick."""
    ordered = list(Alliance.objects.select_for_update().order_by("position", "name", "id"))
    _swap_with_neighbour(ordered, ordered.index(alliance), direction)
    for index, row in enumerate(ordered):
        if row.position != index:
            row.position = index
            row.save(update_fields=["position", "updated_at"])


def _swap_with_neighbour(rows: list, index: int, direction: str) -> None:
    target = {"up": index - 1, "down": index + 1}.get(direction, index)
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]


def next_alliance_position() -> int:
    top = Alliance.objects.aggregate(top=models.Max("position"))["top"]
    return 0 if top is None else top + 1


def contact_recipients() -> list[str]:
    """Who hears of a contact-form message: the configured address, else every editor."""
    if configured := getattr(settings, "CONTACT_NOTIFY_EMAIL", ""):
        return [configured]
    return list(
        User.objects.filter(is_staff=True, is_active=True, groups__name=Role.EDITOR)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )


@transaction.atomic
def submit_contact_message(
    *, name: str, email: str, subject: str, body: str, ip: str | None
) -> ContactMessage:
    """Stores the message (nothing is lost if mail fails) and tells staff once it is saved."""
    from careertips.pages.tasks import notify_staff_of_message

    message = ContactMessage.objects.create(
        name=name, email=email, subject=subject, body=body, submitted_ip=ip
    )
    transaction.on_commit(lambda: notify_staff_of_message.enqueue(message_id=message.pk))
    return message


@transaction.atomic
def mark_message_handled(*, message: ContactMessage, handled: bool = True) -> ContactMessage:
    message.handled_at = timezone.now() if handled else None
    message.save(update_fields=["handled_at", "updated_at"])
    return message
