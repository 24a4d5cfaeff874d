"""`{% fixed_url 'name' %}`: `{% url 'name' %}` for a URL that takes no arguments, reversed
once per process rather than on every page (the page frame links a dozen such pages, and a
`reverse()` costs more than drawing the link). `{% fixed_url 'name' as var %}` keeps it."""

from __future__ import annotations

from django import template

from careertips.core.links import fixed_url as _fixed_url

register = template.Library()


@register.simple_tag(name="fixed_url")
def fixed_url(name: str) -> str:
    return _fixed_url(name)
