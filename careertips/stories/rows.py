"""The story bank's rows and the coverage page's requirements, written in Python: the HTML the
templates gave, at a fraction of their cost, for pages that show dozens of them with several
links and forms each. Every text is escaped here."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from careertips.core.links import pk_url
from careertips.stories.models import Story, StoryFacts
from careertips.stories.reports import RequirementRow


@dataclass(frozen=True, slots=True)
class BankStory(StoryFacts):
    """A story as the bank lists it, from its plain values (views.bank.BANK_COLUMNS): a page
    holds dozens, and a model instance each cost more than writing its row."""

    pk: int
    title: str
    result: str
    organization_name: str
    role: str
    year: int | None
    strength: int
    uses_count: int
    themes_count: int

    def get_absolute_url(self) -> str:
        return pk_url("stories:detail", self.pk)


def story_row(story: Story | BankStory, *, competency_names: str) -> SafeString:
    """One <tr> of the bank, from a story annotated with `uses_count` and `themes_count`."""
    numbers = (
        ""
        if story.has_numbers
        else '<span class="badge due" title="Put a number on the result">no numbers yet</span>'
    )
    feedback = (
        '<span class="badge overdue" title="Debrief feedback touched this story">feedback</span>'
        if story.themes_count  # type: ignore[attr-defined]
        else ""
    )
    return mark_safe(  # noqa: S308 -- every text is escaped here
        "<tr>\n"
        "            <td>\n"
        f'              <a href="{escape(story.get_absolute_url())}">'
        f"<strong>{escape(story.title)}</strong></a>\n"
        f"              {numbers}\n"
        f"              {feedback}\n"
        f'              <div class="muted small">{escape(competency_names)}</div>\n'
        "            </td>\n"
        f"            <td>{escape(story.where or '—')}</td>\n"
        '            <td><span class="strength"><span class="visually-hidden">Strength </span>'
        f"{story.strength}/5</span></td>\n"
        f"            <td>{story.uses_count}</td>\n"  # type: ignore[attr-defined]
        "          </tr>"
    )


class RequirementWriter:
    """Writes the coverage page's requirements; `csrf_input` is the page's one rendered CSRF
    field, put in each row's forms."""

    def __init__(self, *, csrf_input: str) -> None:
        self.csrf = csrf_input

    def rows(self, rows: list[RequirementRow]) -> list[SafeString]:
        return [self.row(row) for row in rows]

    def row(self, row: RequirementRow) -> SafeString:
        requirement = row.requirement
        pk = requirement.pk
        delete_url = escape(row.requirement.delete_url)
        badge = (
            '<span class="badge stage-offer">covered</span>'
            if row.covered
            else '<span class="badge due">uncovered</span>'
        )
        state = "is-covered" if row.covered else "is-uncovered"
        edit_url = escape(row.requirement.edit_url)
        flagged = "".join(
            f'<a class="badge overdue" href="{escape(gap.get_absolute_url())}">'
            f"asked before: {escape(gap.topic)}</a>"
            for gap in row.flagged
        )
        return mark_safe(  # noqa: S308 -- every text is escaped here
            f'<li class="card stories-requirement {state}"'
            f' id="requirement-{pk}">\n'
            '          <div class="page-head">\n'
            '            <label class="checkbox-label"><input type="checkbox" name="requirements"'
            f' value="{pk}" form="merge-form">\n'
            f"              <strong>{escape(requirement.text)}</strong></label>\n"
            '            <div class="actions">\n'
            f"              {badge}\n"
            f"              {flagged}\n"
            f'              <a class="small" href="{edit_url}">Edit</a>\n'
            f'              <form method="post" action="{delete_url}" data-hx-post="{delete_url}"'
            f' data-hx-target="#coverage" data-hx-swap="outerHTML">{self.csrf}'
            '<button type="submit" class="secondary small" aria-label="Delete requirement">'
            "Delete</button></form>\n"
            "            </div>\n"
            "          </div>\n"
            f"          {self._coverages(row)}\n"
            f"          {self._suggestions(row)}\n"
            f"          {self._gap(row)}\n"
            "        </li>"
        )

    def _coverages(self, row: RequirementRow) -> str:
        if not row.coverages:
            return ""
        items = []
        for coverage in row.coverages:
            story, url = coverage.story, escape(coverage.delete_url)
            items.append(
                "\n                "
                f'<li><a href="{escape(story.get_absolute_url())}">{escape(story.title)}</a>\n'
                f'                  <form method="post" action="{url}" class="inline-form"'
                f' data-hx-post="{url}" data-hx-target="#coverage" data-hx-swap="outerHTML">'
                f'{self.csrf}<button type="submit" class="linklike small">remove</button>'
                "</form></li>\n              "
            )
        return (
            '\n            <ul class="stories-covering">\n              '
            f"{''.join(items)}\n            </ul>\n          "
        )

    def _suggestions(self, row: RequirementRow) -> str:
        if not row.suggestions:
            return ""
        cover_url = escape(row.requirement.cover_url)
        forms = []
        for story in row.suggestions:
            title = escape(story.title)
            forms.append(
                "\n                "
                f'<form method="post" action="{cover_url}" class="inline-form"'
                f' data-hx-post="{cover_url}" data-hx-target="#coverage"'
                ' data-hx-swap="outerHTML">\n'
                f"                  {self.csrf}"
                f'<input type="hidden" name="story" value="{story.pk}">\n'
                f'                  <a href="{escape(story.get_absolute_url())}">{title}</a>\n'
                '                  <button type="submit" class="small secondary"'
                f' aria-label="Confirm {title} covers this">Confirm</button>\n'
                "                </form>\n              "
            )
        return (
            '\n            <div class="stories-suggestions">\n'
            '              <span class="muted small">Suggested:</span>\n              '
            f"{''.join(forms)}\n            </div>\n          "
        )

    def _gap(self, row: RequirementRow) -> str:
        if row.covered:
            return ""
        gap = row.gap
        if gap is None:
            url = escape(row.requirement.gap_url)
            return (
                "\n            \n"
                f'              <form method="post" action="{url}">{self.csrf}'
                '<button type="submit" class="small secondary">Treat as a gap</button></form>\n'
                "            \n          "
            )
        if gap.positioning:
            note = f"— {escape(Truncator(gap.positioning).chars(140))}"
        else:
            note = '<span class="badge due">no positioning note yet</span>'
        return (
            "\n            \n"
            f'              <p class="small">Gap: <a href="{escape(gap.get_absolute_url())}">'
            f"{escape(Truncator(gap.topic).chars(60))}</a>\n"
            f"                {note}</p>\n"
            "            \n          "
        )
