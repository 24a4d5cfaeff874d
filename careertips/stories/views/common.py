"""Small helpers the stories views share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from careertips.core.http import safe_next


def apply_error(form: BaseForm, error: ValidationError) -> None:
    """Puts a service's error on the form field it names (or on the form as a whole)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def redirect_back(request: HttpRequest, default: str) -> HttpResponse:
    return redirect(safe_next(request, default))
