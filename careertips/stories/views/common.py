"""Small helpers the stories views share."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from careertips.core.http import safe_next


def redirect_back(request: HttpRequest, default: str) -> HttpResponse:
    return redirect(safe_next(request, default))
