"""Résumé workflows: the master material (profile, positions, credentials, bullets), tailored
versions for an opportunity and their edits, and the cover letter draft."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from careertips.core.access import member_or_none, owned_or_404
from careertips.core.models import User
from careertips.network.models import Organization
from careertips.pipeline.models import Opportunity
from careertips.resumes import letters, tailoring
from careertips.resumes.models import (
    MAX_BULLET,
    Bullet,
    CoverLetter,
    Credential,
    Position,
    Profile,
    ResumeVersion,
    VersionBullet,
)
from careertips.resumes.text import clean, draft_bullet, one_line
from careertips.stories.models import Story

# Permission helpers: the row if the user owns it, else 404.


def get_position_for(user: Any, pk: int) -> Position:
    return owned_or_404(Position.objects.owned_by(user), pk, "position")


def get_credential_for(user: Any, pk: int) -> Credential:
    return owned_or_404(Credential.objects.owned_by(user), pk, "credential")


def get_story_for(user: Any, pk: int) -> Story:
    """A story of the member's bank, with its bullet if it has one."""
    qs = Story.objects.owned_by(user).select_related("resume_bullet__position")
    return owned_or_404(qs, pk, "story")


def get_version_for(user: Any, pk: int) -> ResumeVersion:
    qs = ResumeVersion.objects.owned_by(user).select_related(
        "opportunity__organization", "opportunity__hiring_manager"
    )
    return owned_or_404(qs, pk, "résumé version")


def get_version_bullet_for(user: Any, pk: int) -> VersionBullet:
    qs = VersionBullet.objects.select_related("version__opportunity").filter(
        version__owner=member_or_none(user)
    )
    return owned_or_404(qs, pk, "bullet")


def get_letter_for(user: Any, pk: int) -> CoverLetter:
    qs = CoverLetter.objects.owned_by(user).select_related(
        "opportunity__organization", "opportunity__hiring_manager"
    )
    return owned_or_404(qs, pk, "cover letter")


def profile_of(owner: User) -> Profile:
    """The member's profile; an unsaved one with their name until they save it."""
    profile = Profile.objects.filter(owner=owner).first()
    return profile or Profile(owner=owner, name=owner.get_full_name() or owner.display_name)


# The master material.


@transaction.atomic
def save_profile(*, owner: User, form: Any) -> Profile:
    """Saves a ProfileForm built on `profile_of(owner)`."""
    profile = form.save(commit=False)
    profile.owner = owner
    profile.save()
    return profile


def _organization(owner: User, employer: str) -> Organization:
    """The network's organization of that name (any case), added as an employer if new."""
    found = Organization.objects.owned_by(owner).filter(name__iexact=employer).first()
    return found or Organization.objects.create(owner=owner, name=employer)


@transaction.atomic
def save_position(*, owner: User, form: Any) -> Position:
    """Saves a PositionForm; the employer joins the network's organizations if new."""
    position = form.save(commit=False)
    position.owner = owner
    position.employer = one_line(position.employer)[:200]
    position.organization = _organization(owner, position.employer)
    position.save()
    return position


@transaction.atomic
def create_position(*, owner: User, employer: str, title: str, **fields: Any) -> Position:
    employer = one_line(employer)[:200]
    position = Position(
        owner=owner,
        employer=employer,
        title=one_line(title)[:200],
        organization=_organization(owner, employer) if employer else None,
        **fields,
    )
    position.full_clean(exclude=["owner", "organization"])
    position.save()
    return position


@transaction.atomic
def delete_position(*, position: Position) -> None:
    """Its bullets stay in the bank, unplaced."""
    position.delete()


@transaction.atomic
def save_credential(*, owner: User, form: Any) -> Credential:
    credential = form.save(commit=False)
    credential.owner = owner
    credential.save()
    return credential


@transaction.atomic
def delete_credential(*, credential: Credential) -> None:
    credential.delete()


def _bullet_text(text: str) -> str:
    text = one_line(text)
    if not text:
        raise ValidationError({"text": "Write the bullet: what you did and what came of it."})
    if len(text) > MAX_BULLET:
        raise ValidationError({"text": f"Keep a bullet under {MAX_BULLET} characters."})
    return text


def suggested_bullet(story: Story) -> str:
    return draft_bullet(action=story.action, result=story.result)


@transaction.atomic
def save_bullet(*, story: Story, text: str, position: Position | None) -> Bullet:
    """The story's résumé bullet, placed under a position (or none)."""
    if position is not None and position.owner_id != story.owner_id:
        raise ValidationError({"position": "Choose one of your positions."})
    bullet, _ = Bullet.objects.update_or_create(
        story=story, defaults={"text": _bullet_text(text), "position": position}
    )
    return bullet


# Tailored versions.


def versions_for(*, opportunity: Opportunity) -> QuerySet[ResumeVersion]:
    return ResumeVersion.objects.filter(opportunity=opportunity).for_list()


@transaction.atomic
def tailor_resume(*, owner: User, opportunity: Opportunity) -> ResumeVersion:
    """A new version for the opportunity from the master material; the master is not touched."""
    if opportunity.owner_id != owner.pk:
        raise ValidationError("Choose one of your opportunities.")
    proposal = tailoring.propose(owner=owner, opportunity=opportunity)
    if not any(p.bullets for p in proposal.positions):
        raise ValidationError(
            "Place some stories under your positions first: a tailored résumé is made of them."
        )
    number = opportunity.resume_versions.count() + 1
    version = ResumeVersion.objects.create(
        owner=owner,
        opportunity=opportunity,
        label=f"Version {number}",
        headline=proposal.headline,
        summary=proposal.summary,
        skills="\n".join(proposal.skills),
    )
    rows, order = [], 0
    for group in proposal.positions:
        for item in group.bullets:
            rows.append(
                VersionBullet(
                    version=version,
                    bullet=item.bullet,
                    position=group.position,
                    text=item.bullet.text,
                    order=order,
                    hidden=item.hidden,
                    covers=item.covers,
                )
            )
            order += 1
    VersionBullet.objects.bulk_create(rows)
    return version


@transaction.atomic
def update_version(*, version: ResumeVersion, headline: str, summary: str, skills: str) -> None:
    version.headline = one_line(headline)[:200]
    version.summary = clean(summary).strip()
    version.skills = "\n".join(one_line(s) for s in clean(skills).splitlines() if s.strip())
    version.full_clean(exclude=["owner", "opportunity"])
    version.save(update_fields=["headline", "summary", "skills", "updated_at"])


@transaction.atomic
def rewrite_bullet(*, item: VersionBullet, text: str) -> VersionBullet:
    """This version's wording only: the master bullet keeps its own."""
    item.text = _bullet_text(text)
    item.save(update_fields=["text"])
    return item


@transaction.atomic
def set_bullet_hidden(*, item: VersionBullet, hidden: bool) -> VersionBullet:
    item.hidden = hidden
    item.save(update_fields=["hidden"])
    return item


@transaction.atomic
def move_bullet(*, item: VersionBullet, up: bool) -> None:
    """Swaps the bullet with its neighbour under the same position."""
    siblings = VersionBullet.objects.select_for_update().filter(
        version_id=item.version_id, position_id=item.position_id
    )
    neighbour = (
        siblings.filter(order__lt=item.order).order_by("-order", "-id").first()
        if up
        else siblings.filter(order__gt=item.order).order_by("order", "id").first()
    )
    if neighbour is None:
        return
    item.order, neighbour.order = neighbour.order, item.order
    VersionBullet.objects.bulk_update([item, neighbour], ["order"])


@transaction.atomic
def mark_sent(*, version: ResumeVersion, sent: bool = True) -> ResumeVersion:
    version.sent_at = timezone.now() if sent else None
    version.save(update_fields=["sent_at", "updated_at"])
    return version


@transaction.atomic
def delete_version(*, version: ResumeVersion) -> None:
    version.delete()


# The cover letter.


@transaction.atomic
def draft_letter(*, owner: User, opportunity: Opportunity) -> CoverLetter:
    """A fresh draft for the opportunity; drafting again replaces the earlier text."""
    if opportunity.owner_id != owner.pk:
        raise ValidationError("Choose one of your opportunities.")
    draft = letters.compose(owner=owner, opportunity=opportunity)
    letter, _ = CoverLetter.objects.update_or_create(
        opportunity=opportunity,
        defaults={
            "owner": owner,
            "salutation": draft.salutation,
            "body": "\n\n".join(draft.paragraphs),
            "closing": draft.closing,
            "signature": draft.signature,
        },
    )
    return letter


@transaction.atomic
def update_letter(
    *, letter: CoverLetter, salutation: str, body: str, closing: str, signature: str
) -> CoverLetter:
    letter.salutation = one_line(salutation)[:200]
    letter.body = clean(body).strip()
    letter.closing = one_line(closing)[:200]
    letter.signature = one_line(signature)[:200]
    letter.full_clean(exclude=["owner", "opportunity"])
    letter.save(update_fields=["salutation", "body", "closing", "signature", "updated_at"])
    return letter
