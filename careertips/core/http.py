"""Request types for annotating views, so mypy knows what the middleware provides."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from careertips.core.models import User


class HtmxRequest(HttpRequest):
    """Any request: django-htmx's middleware adds `request.htmx`."""

    htmx: HtmxDetails


class MemberRequest(HtmxRequest):
    """A request that reached a `@login_required` view: the user is signed in."""

    user: User
