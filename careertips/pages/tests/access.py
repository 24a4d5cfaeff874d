from careertips.core.roles import Role
from careertips.core.testing import AccessCase
from careertips.pages import models
from careertips.pages.models import Alliance, ContactMessage, Page


def _page(user):
    page = Page.objects.create(slug="career-search", title="Career Search", body="We coach.")
    return {"pk": page.pk, "slug": page.slug}


def _alliance(user):
    Alliance.objects.create(name="First", description="A partner.", position=0)
    alliance = Alliance.objects.create(name="Second", description="Another.", position=1)
    return {"pk": alliance.pk}


def _testimonial(user):
    testimonial = models.Testimonial.objects.create(author_name="Denise", body="It worked.")
    return {"pk": testimonial.pk}


def _message(user):
    message = ContactMessage.objects.create(
        name="Alan", email="alan@example.net", subject="Coaching", body="Hello."
    )
    return {"pk": message.pk}


def _staff_post(path: str, setup, **kw) -> AccessCase:
    return AccessCase(path, setup, method="post", owner_status=302, role=Role.EDITOR, **kw)


CASES = [
    AccessCase("/{slug}/", _page, public=True),
    AccessCase("/staff/pages/{pk}/", _page, role=Role.EDITOR),
    _staff_post("/staff/pages/{pk}/delete/", _page),
    AccessCase("/staff/alliances/{pk}/", _alliance, role=Role.EDITOR),
    _staff_post("/staff/alliances/{pk}/move/", _alliance, data={"direction": "up"}),
    _staff_post("/staff/alliances/{pk}/delete/", _alliance),
    AccessCase("/staff/testimonials/{pk}/", _testimonial, role=Role.EDITOR),
    _staff_post("/staff/testimonials/{pk}/approve/", _testimonial),
    _staff_post("/staff/testimonials/{pk}/reject/", _testimonial),
    AccessCase("/staff/messages/{pk}/", _message, role=Role.EDITOR),
    _staff_post("/staff/messages/{pk}/handled/", _message),
]
