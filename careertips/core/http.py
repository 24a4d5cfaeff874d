"""Request types for annotating views (so mypy knows what the middleware provides), which
htmx requests swap a part of the page, the safe "next" redirect target forms post back
with, paging a list, and the client's address."""

import ipaddress
import logging
import re
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from careertips.core.models import User


class HtmxRequest(HttpRequest):
    """Any request: django-htmx's middleware adds `request.htmx`."""

    htmx: HtmxDetails


class MemberRequest(HtmxRequest):
    """A request that reached a `@login_required` view: the user is signed in."""

    user: User


def client_redirect(request: HtmxRequest, url: str) -> HttpResponse:
    """A redirect htmx follows with a full page load rather than swapping the page in."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def swaps(request: HtmxRequest, target: str) -> bool:
    """An htmx request that swaps the element with this id (not a full page load, not htmx
    restoring its history, not a form on another page that only borrows this endpoint)."""
    htmx = request.htmx
    return bool(htmx) and htmx.target == target and not htmx.history_restore_request


# Characters no search box sends: NUL (PostgreSQL refuses it in any text) and other controls.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def search_text(request: HttpRequest, name: str = "q", *, limit: int = 100) -> str:
    """What was typed into a search box (`?q=`): control characters gone, spaces collapsed,
    at most `limit` characters."""
    return " ".join(_CONTROL.sub(" ", request.GET.get(name, "")).split())[:limit]


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go back to after a form posted from another page: only this site's paths."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def paginate(request: HttpRequest, items: Any, per_page: int = 50) -> Page:
    """The page of `items` that `?page=` asks for; the last one when it asks past the end."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The request's query string without `page`, for page links that keep the filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address, as sign-in limits and the public forms' limits both count it.

    Behind the proxies the operator trusts (`BEHIND_PROXY`, `ALLAUTH_TRUSTED_PROXY_COUNT` of
    them), the address the outermost trusted proxy appended to X-Forwarded-For: entries to its
    left come from the client and may be forged. Otherwise the connection's own address.
    """
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops > 0 and forwarded:
        entries = [entry.strip() for entry in forwarded.split(",")]
        if len(entries) >= hops:
            address = entries[-hops]
        else:  # fewer entries than trusted proxies: someone reached the site around them
            logger.warning("X-Forwarded-For has fewer entries than TRUSTED_PROXY_COUNT")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
