"""`{% capture_url_form as url_form %}`: an empty posting-address form for pages (the list,
the board, a new opportunity) whose views have no reason to build one."""

from __future__ import annotations

from django import template

from careertips.pipeline.forms import CaptureUrlForm

register = template.Library()


@register.simple_tag
def capture_url_form() -> CaptureUrlForm:
    return CaptureUrlForm()
