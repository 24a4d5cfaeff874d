"""Today's lines, written in Python: the HTML the template gave, at a fraction of its cost, for
a page that shows up to thirty of them with a form each. Every text is escaped here."""

from __future__ import annotations

import datetime as dt
import html

from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from careertips.agenda.services.items import Item
from careertips.core.dates import iso_stamp, month_abbr, weekday_abbr


def _text(value: str) -> str:
    if type(value) is str:  # plain text, as every line's is: what escape() does, less its wrapping
        return html.escape(value)
    return str(conditional_escape(value))


def _day(value: dt.date) -> str:
    """`value|date:"D M j"`: "Mon Nov 6"."""
    return f"{weekday_abbr(value)} {month_abbr(value.month)} {value.day}"


def _when(item: Item) -> str:
    if item.at is None:
        return f'Due <time datetime="{item.due:%Y-%m-%d}">{_day(item.due)}</time>'
    local = timezone.localtime(item.at)
    return f'<time datetime="{iso_stamp(local)}">{_day(local)}, {local:%H:%M}</time>'


class ItemWriter:
    """Writes the lines of one Today page; the CSRF field and the snooze menu are the same on
    every line, so they are written once."""

    def __init__(self, *, item_root: str, csrf_token: str, snooze_options: str) -> None:
        self.root = _text(item_root)
        self.csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_text(csrf_token)}">'
        self.snooze_options = snooze_options

    def items(self, items: list[Item]) -> SafeString:
        return mark_safe("".join(self.item(item) for item in items))  # noqa: S308 -- escaped

    def item(self, item: Item) -> str:
        path = f"{self.root}{_text(item.path)}"
        dom_id = _text(item.dom_id)
        title = _text(item.title)
        label = _text(item.done_label)
        done = ""
        if item.done_label and not item.done_needs_details:
            done = (
                f'<button type="submit" class="small" formaction="{path}done/"'
                f' data-hx-post="{path}done/">{label}'
                f'<span class="visually-hidden">: {title}</span></button>'
            )
        opener = f"{label}…" if item.done_needs_details else "Open"
        return (
            "\n\n"
            f'<li class="agenda-item kind-{_text(item.kind)}" id="{dom_id}">\n'
            '  <div class="what">\n'
            f'    <strong><a href="{_text(item.url)}">{title}</a></strong>\n'
            f'    <span class="muted small">{_text(item.reason)}</span>\n'
            f'    <span class="small agenda-due">{_when(item)}</span>\n'
            "  </div>\n"
            f'  <form method="post" action="{path}snooze/" class="actions agenda-item-actions"'
            ' data-hx-target="#agenda" data-hx-swap="outerHTML">\n'
            f"    {self.csrf}\n"
            f"    {done}\n"
            f'    <label class="visually-hidden" for="snooze-{dom_id}">'
            f"Snooze “{title}” for</label>\n"
            f'    <select name="days" id="snooze-{dom_id}">{self.snooze_options}</select>\n'
            '    <button type="submit" class="small secondary"'
            f' data-hx-post="{path}snooze/">Snooze</button>\n'
            "  </form>\n"
            f'  <details class="agenda-open" data-hx-get="{path}" data-hx-trigger="toggle once"'
            f' data-hx-target="#open-{dom_id}">\n'
            f'    <summary class="small">{opener}'
            f'<span class="visually-hidden">: {title}</span></summary>\n'
            f'    <div id="open-{dom_id}" class="agenda-open-body">'
            f'<a href="{path}">Open this item</a></div>\n'
            "  </details>\n"
            "</li>\n\n"
        )
