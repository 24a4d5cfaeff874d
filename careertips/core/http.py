"""Request types for annotating views (so mypy knows what the middleware provides), and
the safe "next" redirect target forms post back with."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from careertips.core.models import User


class HtmxRequest(HttpRequest):
    """Any request: django-htmx's middleware adds `request.htmx`."""

    htmx: HtmxDetails


class MemberRequest(HtmxRequest):
    """A request that reached a `@login_required` view: the user is signed in."""

    user: User


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go back to after a form posted from another page: only this site's paths."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
