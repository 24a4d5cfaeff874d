"""The network's pages: contacts, organizations, events, and importing contacts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.forms import BaseForm

from careertips.core.http import MemberRequest

PAGE_SIZE = 50


def paginate(request: MemberRequest, items: Any, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def add_errors(form: BaseForm, error: ValidationError) -> None:
    """Puts a service's ValidationError on the form's fields where it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def query_without_page(request: MemberRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
