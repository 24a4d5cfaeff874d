"""Telling the other side of a coaching thread that a note is waiting, and a coach that a
member has started sharing with them."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from careertips.coaching.invitations import invitation_ics
from careertips.coaching.models import CoachingSession, CoachNote, Comment, Sharing
from careertips.core.mail import compose


def note_recipients(note: CoachNote) -> list[tuple[str, str]]:
    """(address, link) for everyone the note is for: the member when a coach writes, the
    coaches they share with when the member writes. Never the writer."""
    if note.by_member:
        coaches = Sharing.objects.filter(member=note.member_id, coach__is_active=True)
        url = settings.SITE_URL + reverse("coaching:client", args=[note.member_id])
        return [(s.coach.email, url) for s in coaches.select_related("coach")]
    return [(note.member.email, settings.SITE_URL + reverse("coaching:home"))]


def note_notices(note: CoachNote) -> list[EmailMultiAlternatives]:
    """One short email to each reader of the thread; the note itself stays in the app."""
    author = note.author
    writer = (author.display_name or author.email) if author else "Your coach"
    return [
        compose(
            template="coaching/email/note",
            context={"note": note, "writer": writer, "url": url},
            to=[address],
        )
        for address, url in note_recipients(note)
    ]


def sharing_notice(sharing: Sharing) -> EmailMultiAlternatives:
    """Tells a coach that a member has started sharing their search with them."""
    member = sharing.member
    return compose(
        template="coaching/email/sharing",
        context={
            "member_name": member.display_name or member.email,
            "url": settings.SITE_URL + reverse("coaching:client", args=[member.pk]),
        },
        to=[sharing.coach.email],
    )


def comment_notice(comment: Comment) -> EmailMultiAlternatives:
    """Tells the member their coach commented on one of their items (the words stay in the
    app, where the member is signed in)."""
    return compose(
        template="coaching/email/comment",
        context={
            "coach_name": comment.coach_name,
            "title": comment.title,
            "url": settings.SITE_URL + reverse("agenda:today"),
        },
        to=[comment.member.email],
    )


def session_invitations(session: CoachingSession) -> list[EmailMultiAlternatives]:
    """The invitation, with an .ics file a calendar can take, to the member and the coach."""
    ics = invitation_ics(session)
    recipients = [(session.member.email, settings.SITE_URL + reverse("agenda:today"))]
    if session.coach is not None and session.coach.is_active:
        url = settings.SITE_URL + reverse("coaching:session", args=[session.pk])
        recipients.append((session.coach.email, url))
    messages = []
    for address, url in recipients:
        message = compose(
            template="coaching/email/session",
            context={"session": session, "url": url},
            to=[address],
        )
        message.attach("coaching-session.ics", ics, "text/calendar; method=REQUEST")
        messages.append(message)
    return messages
