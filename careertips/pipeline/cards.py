"""The board's cards, the list's rows and an opportunity's history, written in Python: the
HTML a template would give, at a fraction of its cost, for pages that show dozens or a hundred
of them. Every text is escaped here."""

from __future__ import annotations

from html import escape

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from careertips.core.dates import iso_stamp, month_abbr, month_day
from careertips.pipeline.models import Source, Stage, WorkMode, format_pay_range
from careertips.pipeline.services import BoardCard, TimelineEntry

# What a row of the list reads of an opportunity, in the order `list_row` takes it.
LIST_ROW_FIELDS = (
    "pk", "title", "follow_up_due", "organization__name", "location", "work_mode", "source",
    "stage", "pay_min", "pay_max", "currency", "stage_changed_at",
)  # fmt: skip
STAGES = dict(Stage.choices)
SOURCES = dict(Source.choices)
WORK_MODES = dict(WorkMode.choices)


def list_row(row: tuple, *, list_url: str) -> SafeString:
    """One <tr> of the list from a row of LIST_ROW_FIELDS; `list_url` is escaped by the caller."""
    pk, title, due, employer, location, mode, source, stage, low, high, currency, moved = row
    local = timezone.localtime(moved)
    pay = format_pay_range(low, high, currency)
    where = escape(location) + (" · " if location and mode else "")
    where += escape(WORK_MODES.get(mode, mode)) if mode else ""
    return mark_safe(  # noqa: S308 -- every text is escaped here
        "<tr>\n"
        f'          <td><a href="{list_url}{pk}/">{escape(title)}</a>'
        f"{' <span class="badge due">Follow up</span>' if due else ''}</td>\n"
        f"          <td>{escape(employer)}</td>\n"
        f"          <td>{where}</td>\n"
        f"          <td>{escape(SOURCES.get(source, source))}</td>\n"
        f'          <td><span class="badge stage-{escape(stage)}">'
        f"{escape(STAGES.get(stage, stage))}</span></td>\n"
        f'          <td class="nowrap">{escape(pay or "—")}</td>\n'
        f'          <td class="nowrap"><time datetime="{iso_stamp(local)}">'
        f"{month_abbr(local.month)} {local.day}, {local.year:04d}</time></td>\n"
        "        </tr>"
    )


def history_lines(entries: list[TimelineEntry]) -> SafeString:
    """The <li> lines of an opportunity's history, oldest first, as the page's template loop
    wrote them (to the whitespace), in the current time zone."""
    if not entries:
        return mark_safe("\n          <li>No history yet.</li>\n        ")
    return mark_safe("".join(_history_line(entry) for entry in entries))  # noqa: S308


def _history_line(entry: TimelineEntry) -> str:
    local = timezone.localtime(entry.when)
    day = f"{month_abbr(local.month)} {local.day}, {local.year:04d}"
    title = escape(entry.title)
    badge = f'<span class="badge">{escape(entry.badge)}</span>' if entry.badge else ""
    detail = f'<div class="muted small">{escape(entry.detail)}</div>' if entry.detail else ""
    return (
        f'\n          <li class="kind-{escape(entry.kind)}">\n'
        f'            <time datetime="{iso_stamp(local)}">'
        f"{day if entry.date_only else f'{day}, {local:%H:%M}'}</time>\n"
        f"            {f'<a href="{escape(entry.url)}">{title}</a>' if entry.url else title}\n"
        f"            {badge}\n"
        f"            {detail}\n"
        "          </li>\n        "
    )


class CardWriter:
    """Writes the cards of one board page; the links, the form's hidden fields and each
    stage's menu are the same on every card, so they are written once."""

    def __init__(self, *, list_url: str, board_url: str, csrf_token: str) -> None:
        self.list_url = escape(list_url)
        self.hidden = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">\n'
            f'    <input type="hidden" name="next" value="{escape(board_url)}">'
        )

    def cards(self, cards: list[BoardCard], move_options: str) -> list[SafeString]:
        """`move_options` is the stage's written <option> list, empty where nothing moves."""
        return [self.card(card, move_options) for card in cards]

    def card(self, card: BoardCard, move_options: str) -> SafeString:
        pk, title = card.pk, escape(card.title)
        where = f" · {escape(card.location)}" if card.location else ""
        pay = f" · {escape(card.pay_range)}" if card.pay_range else ""
        due = '<span class="badge due">Follow up</span>' if card.follow_up_due else ""
        move = self._move_form(pk, title, move_options) if move_options else ""
        return mark_safe(  # noqa: S308 -- every text is escaped above
            f'\n\n<article class="opp-card" id="opp-{pk}" data-card'
            f"{' draggable="true"' if move_options else ''}>\n"
            f'  <h3><a href="{self.list_url}{pk}/">{title}</a></h3>\n'
            f'  <div class="org">{escape(card.organization)}{where}</div>\n'
            f'  <div class="small muted">Since {month_day(card.stage_changed_at)}{pay}</div>\n'
            f"  {due}\n  {move}\n</article>\n\n"
        )

    def _move_form(self, pk: int, title: str, move_options: str) -> str:
        """The card's own menu of the stages it may move to, for keyboards and no-script."""
        move_url = f"{self.list_url}{pk}/move/"
        return (
            f'\n  <form method="post" action="{move_url}" class="inline-form" data-move\n'
            f'        data-hx-post="{move_url}" data-hx-target="#board" data-hx-swap="outerHTML">\n'
            f"    {self.hidden}\n"
            f'    <label class="visually-hidden" for="move-{pk}">Move “{title}” to</label>\n'
            f'    <select name="stage" id="move-{pk}" required>\n'
            '      <option value="">Move to…</option>\n'
            f"      {move_options}\n"
            "    </select>\n"
            '    <button type="submit" class="small secondary">Move</button>\n'
            "  </form>\n  "
        )
