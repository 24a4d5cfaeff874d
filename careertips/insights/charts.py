"""Charts drawn on the server as SVG: no script, no third party, readable by a screen reader
(each chart has a title and a description, and the page puts the numbers in a table too).
Every label is escaped; sizes come from a viewBox, so a chart fills a phone or a desktop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

CHART_WIDTH = 900


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # what the bar says, e.g. "12 (40%)"


def bar_chart(bars: Sequence[Bar], *, title: str, description: str) -> SafeString:
    """Horizontal bars, one a row, the longest filling the track. The rows are HTML so long
    labels wrap and the text keeps its size on a phone; each bar is a one-rectangle SVG whose
    width is an attribute, not an inline style the Content-Security-Policy would refuse."""
    top = max((bar.value for bar in bars), default=0) or 1
    rows = format_html_join(
        "",
        '<div class="hbar"><span class="hbar-label">{}</span>'
        '<svg class="hbar-track" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true"'
        ' focusable="false"><rect class="hbar-fill" width="{}" height="1"></rect></svg>'
        '<span class="hbar-value">{}</span></div>',
        (
            (bar.label, f"{max(0.0, min(100.0, 100 * bar.value / top)):.1f}", bar.text)
            for bar in bars
        ),
    )
    title_id, desc_id = _ids(title)
    return format_html(
        '<figure class="hbars" aria-labelledby="{title_id}" aria-describedby="{desc_id}">'
        '<figcaption class="visually-hidden"><span id="{title_id}">{title}</span> '
        '<span id="{desc_id}">{description}</span></figcaption>{rows}</figure>',
        title_id=title_id, desc_id=desc_id, title=title, description=description, rows=rows,
    )  # fmt: skip


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]
    css_class: str  # chart-series-1, -2, -3: the colours are the stylesheet's


def column_chart(
    days: Sequence[dt.date], series: Sequence[Series], *, title: str, description: str
) -> SafeString:
    """Grouped columns, one group a week, with the week's date under every other group."""
    height, bottom, left = 260, 30, 34
    plot = height - bottom - 10
    top = max((value for s in series for value in s.values), default=0) or 1
    group = (CHART_WIDTH - left) / max(len(days), 1)
    column = (group - 8) / max(len(series), 1)
    # Written with f-strings from values escaped once a series: the chart has three dozen
    # columns, and format_html per column cost more than the rest of the page's charts.
    names = [(conditional_escape(s.name), conditional_escape(s.css_class)) for s in series]
    shapes = []
    for index, day in enumerate(days):
        x0 = left + index * group + 4
        week = conditional_escape(f"{day:%b} {day.day}")
        for number, serie in enumerate(series):
            value = serie.values[index]
            bar = round(plot * value / top, 1)
            name, css_class = names[number]
            shapes.append(
                f'<rect x="{round(x0 + number * column, 1)}" y="{round(10 + plot - bar, 1)}" '
                f'width="{round(column - 1, 1)}" height="{bar}" class="{css_class}">'
                f"<title>{name}: {conditional_escape(str(value))} in the week of {week}</title>"
                "</rect>"
            )
        if index % 2 == 0 or index == len(days) - 1:
            shapes.append(
                f'<text x="{round(x0 + (group - 8) / 2, 1)}" y="{height - 8}" '
                f'text-anchor="middle" class="chart-axis">{week}</text>'
            )
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-baseline"></line>'
        '<text x="{}" y="{}" text-anchor="end" class="chart-axis">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" class="chart-axis">0</text>',
        left, 10 + plot, CHART_WIDTH, 10 + plot, left - 4, 18, top, left - 4, 10 + plot,
    )  # fmt: skip
    body = SafeString(axis + "".join(shapes))
    return _svg(body, width=CHART_WIDTH, height=height, title=title, description=description)


def _svg(body: SafeString, *, width: int, height: int, title: str, description: str) -> SafeString:
    title_id, desc_id = _ids(title)
    return format_html(
        '<svg class="chart" viewBox="0 0 {width} {height}" role="img"'
        ' aria-labelledby="{title_id} {desc_id}" preserveAspectRatio="xMinYMin meet"'
        ' xmlns="http://www.w3.org/2000/svg"><title id="{title_id}">{title}</title>'
        '<desc id="{desc_id}">{description}</desc>{body}</svg>',
        width=width, height=height, title_id=title_id, desc_id=desc_id, title=title,
        description=description, body=body,
    )  # fmt: skip


def _ids(title: str) -> tuple[str, str]:
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")[:40]
    return f"chart-{slug}-title", f"chart-{slug}-desc"
