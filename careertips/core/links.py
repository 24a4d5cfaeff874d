"""Links to one row's pages, cheaply: a list page links each of hundreds of rows, and a
`reverse()` per link costs more than the rest of the row's line."""

from __future__ import annotations

import functools

from django.urls import get_script_prefix, get_urlconf, reverse

_MARK = 2_147_483_647  # stands in for the pk: digits no other part of a URL holds


@functools.cache
def _around_pk(name: str, script_prefix: str) -> tuple[str, str]:
    head, _, tail = reverse(name, args=[_MARK]).rpartition(str(_MARK))
    return head, tail


def pk_url(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])` for a URL whose one argument is a row's integer pk,
    reversed once per name rather than once per row."""
    head, tail = _around_pk(name, get_script_prefix())
    return f"{head}{pk}{tail}"


@functools.cache
def _fixed(name: str, script_prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf)


def fixed_url(name: str) -> str:
    """`reverse(name)` for a URL that takes no arguments, once per name (and per script
    prefix and URLconf, which a request may set)."""
    return _fixed(name, get_script_prefix(), get_urlconf())
