"""The network's pages: contacts, organizations, events, and importing contacts."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator

from careertips.core.http import MemberRequest

PAGE_SIZE = 50


def paginate(request: MemberRequest, items: Any, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request: MemberRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
