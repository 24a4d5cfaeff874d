"""Markdown rendering with an allow-list sanitiser: user text never reaches a page as raw HTML.

Also the help every Markdown field shows, and the no-JavaScript preview of staff forms.
"""

from __future__ import annotations

import threading
from typing import Any

import markdown as md
import nh3
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

MARKDOWN_HELP = "Markdown: **bold**, *italic*, [a link](https://example.com), lists with -."

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "a", "hr",
}  # fmt: skip


_converters = threading.local()


def _converter() -> md.Markdown:
    """This thread's Markdown converter: building one costs more than most conversions, and a
    page may render a dozen texts. Not thread-safe, hence one per thread."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = md.Markdown(extensions=["sane_lists"], output_format="html")
        _converters.markdown = converter
    return converter


def render_markdown(text: str) -> SafeString:
    html = _converter().reset().convert(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 -- sanitised by nh3 just above


def markdown_previews(request: HttpRequest, form: Any, fields: list[str]) -> dict[str, str]:
    """Without JavaScript, the Preview button re-renders the form with the rendered text."""
    if request.method != "POST" or request.POST.get("_preview") not in fields:
        return {}
    form.is_valid()  # shows field errors next to the preview; nothing is saved
    return {name: render_markdown(request.POST.get(name, "")[:50_000]) for name in fields}
