"""PDF rendering with WeasyPrint, from a template and the app's own stylesheet.

The fetcher allows data: URLs only: rendering never reaches the network or the file system,
whatever a template (or text a member typed) points at."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string


@cache
def _stylesheet() -> str:
    path = finders.find("core/app.css")
    return Path(path).read_text(encoding="utf-8") if path else ""


def render_pdf(template: str, context: dict[str, Any], *, request: HttpRequest) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    html = render_to_string(template, context, request=request)
    document = HTML(string=html, url_fetcher=fetcher, media_type="print")
    return document.write_pdf(stylesheets=[CSS(string=_stylesheet(), url_fetcher=fetcher)])
