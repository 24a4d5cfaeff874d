"""Every error the API answers is an RFC 9457 problem: type, title, status, detail, and the
fields that caused it in `errors`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://careertips.local/problems/"

TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Invalid input",
    429: "Too many requests",
}
TYPES = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    422: "invalid",
    429: "rate-limited",
}


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] = []


class Forbidden(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class RateLimited(Exception):
    def __init__(self, *, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = max(retry_after, 1)


class Invalid(Exception):
    """Input refused, with a message per field ("" for the request as a whole)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("invalid")
        self.errors = errors


def problem(
    request: HttpRequest,
    status: int,
    detail: str,
    errors: Iterable[tuple[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    from careertips.api.routes import api

    body = Problem(
        type=TYPE_BASE + TYPES.get(status, "error"),
        title=TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        errors=[FieldError(field=f, message=m) for f, m in errors],
    )
    response = api.create_response(request, body.model_dump(), status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def errors_of_form(form: forms.BaseForm) -> list[tuple[str, str]]:
    return [
        ("" if name == NON_FIELD_ERRORS else name, str(message))
        for name, messages in form.errors.items()
        for message in messages
    ]


def errors_of_service(error: DjangoValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            ("" if name == NON_FIELD_ERRORS else name, message)
            for name, items in error.message_dict.items()
            for message in items
        ]
    return [("", message) for message in error.messages]


_WHERE = {"body", "query", "path", "payload", "filters"}


def _field_of(loc: Iterable[Any]) -> str:
    # ninja reports ("body", "payload", "title") or ("query", "stage"), and pydantic adds the
    # member of a union that failed ("str-enum[Stage]"): keep only the field's own path.
    parts = [str(p) for p in loc if p not in _WHERE and not re.fullmatch(r"[\w-]+\[.*\]", str(p))]
    return ".".join(parts)


def _first_per_field(errors: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for name, message in errors:
        seen.setdefault(name, message)
    return list(seen.items())


def install(api: Any) -> None:
    """Turns every failure ninja, Django or a service raises into a problem response."""

    @api.exception_handler(NinjaValidationError)
    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = _first_per_field(
            [
                (_field_of(e.get("loc", ())), str(e.get("msg", "")).removeprefix("Value error, "))
                for e in exc.errors
            ]
        )
        return problem(request, 422, "The request has invalid fields.", errors)

    @api.exception_handler(Invalid)
    def on_invalid(request: HttpRequest, exc: Invalid) -> HttpResponse:
        return problem(request, 422, _summary(exc.errors), exc.errors)

    @api.exception_handler(DjangoValidationError)
    def on_service(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = errors_of_service(exc)
        return problem(request, 422, _summary(errors), errors)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        detail = "Send a valid token as `Authorization: Bearer …`, or sign in."
        return problem(request, 401, detail, headers={"WWW-Authenticate": "Bearer"})

    @api.exception_handler(Forbidden)
    def on_forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
        return problem(request, 403, exc.detail)

    @api.exception_handler(Http404)
    def on_missing(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(request, 404, str(exc) or "No such resource.")

    @api.exception_handler(RateLimited)
    def on_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        detail = f"Too many requests: try again in {exc.retry_after} seconds."
        return problem(request, 429, detail, headers={"Retry-After": str(exc.retry_after)})

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(request, exc.status_code, str(exc))


def _summary(errors: list[tuple[str, str]]) -> str:
    return errors[0][1] if len(errors) == 1 else "Some fields need attention."
