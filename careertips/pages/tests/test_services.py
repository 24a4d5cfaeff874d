import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from careertips.core.roles import Role
from careertips.core.testing import make_user
from careertips.pages import models, services
from careertips.pages.models import Alliance, ContactMessage

pytestmark = pytest.mark.django_db


def test_it_stores_a_contact_message_and_mails_every_editor_only(
    editor, coach, administrator, alice, django_capture_on_commit_callbacks
):
    make_user("second.editor@example.com", roles=[Role.EDITOR, Role.COACH])
    with django_capture_on_commit_callbacks(execute=True):
        message = services.submit_contact_message(
            name="Alan Pierce", email="alan@example.net", subject="Return to work",
            body="Do you work with people returning to work?", ip="203.0.113.4",
        )  # fmt: skip
    assert ContactMessage.objects.get() == message
    [email] = mail.outbox
    assert email.to == ["editor@example.com", "second.editor@example.com"]
    assert email.reply_to == ["alan@example.net"]
    assert email.subject == "Contact form: Return to work"
    assert "Do you work with people returning to work?" in email.body
    assert f"/staff/messages/{message.pk}/" in email.body
    html = email.alternatives[0][0]
    assert "Do you work with people returning to work?" in html


@override_settings(CONTACT_NOTIFY_EMAIL="desk@practice.example")
def test_it_mails_the_configured_address_instead(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_contact_message(
            name="A", email="a@example.net", subject="Hi", body="Hello", ip=None
        )
    assert mail.outbox[0].to == ["desk@practice.example"]


def test_it_escapes_script_in_the_staff_notification(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_contact_message(
            name="<b>x</b>", email="a@example.net", subject="Hi",
            body="<script>alert(1)</script>", ip=None,
        )  # fmt: skip
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_it_moves_testimonials_between_approved_and_rejected():
    testimonial = models.Testimonial.objects.create(author_name="Denise", body="It worked.")
    assert testimonial.state == "pending"
    services.approve_testimonial(testimonial=testimonial)
    assert list(models.Testimonial.objects.approved()) == [testimonial]
    services.reject_testimonial(testimonial=testimonial)
    testimonial.refresh_from_db()
    assert (testimonial.state, testimonial.approved_at) == ("rejected", None)
    assert not models.Testimonial.objects.approved().exists()


def test_it_features_a_different_approved_testimonial_each_day():
    assert services.featured_testimonial() is None
    first = models.Testimonial.objects.create(author_name="A", body="a")
    second = models.Testimonial.objects.create(author_name="B", body="b")
    models.Testimonial.objects.create(author_name="Pending", body="p")
    for testimonial in (first, second):
        services.approve_testimonial(testimonial=testimonial)
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)):
        today = services.featured_testimonial()
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)):
        tomorrow = services.featured_testimonial()
    assert {today, tomorrow} == {first, second}


def test_it_reorders_alliances_and_keeps_positions_dense():
    a = Alliance.objects.create(name="A", description="a", position=5)
    b = Alliance.objects.create(name="B", description="b", position=5)
    c = Alliance.objects.create(name="C", description="c", position=9)
    services.move_alliance(alliance=c, direction="up")
    assert list(Alliance.objects.values_list("name", "position")) == [
        ("A", 0), ("C", 1), ("B", 2)
    ]  # fmt: skip
    services.move_alliance(alliance=a, direction="up")
    assert Alliance.objects.get(pk=a.pk).position == 0
    assert services.next_alliance_position() == 3
    assert b.pk
