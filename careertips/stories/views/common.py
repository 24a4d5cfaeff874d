"""Small helpers the stories views share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from careertips.core.models import User


class MemberRequest(HttpRequest):
    """A request behind login_required: a signed-in member, with htmx details."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


def apply_error(form: BaseForm, error: ValidationError) -> None:
    """Puts a service's error on the form field it names (or on the form as a whole)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def redirect_back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)
