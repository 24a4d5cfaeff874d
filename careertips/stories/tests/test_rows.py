"""The bank's rows and the coverage page's requirements are written in Python: they must say
exactly what the templates they replace said, escaped the same way."""

from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils.safestring import mark_safe

from careertips.core.links import pk_url
from careertips.stories.reports import RequirementRow
from careertips.stories.rows import RequirementWriter, story_row

# The loops as the list and coverage templates wrote them, kept to check the writers.
STORY_ROWS = """{% for story in page.object_list %}
          <tr>
            <td>
              <a href="{{ story.get_absolute_url }}"><strong>{{ story.title }}</strong></a>
              {% if not story.has_numbers %}<span class="badge due" title="Put a number on the result">no numbers yet</span>{% endif %}
              {% if story.themes_count %}<span class="badge overdue" title="Debrief feedback touched this story">feedback</span>{% endif %}
              <div class="muted small">{{ story.competency_names }}</div>
            </td>
            <td>{{ story.where|default:"—" }}</td>
            <td><span class="strength"><span class="visually-hidden">Strength </span>{{ story.strength }}/5</span></td>
            <td>{{ story.uses_count }}</td>
          </tr>
        {% endfor %}"""  # noqa: E501
REQUIREMENT_ROWS = """{% for row in report.rows %}
        <li class="card stories-requirement {% if row.covered %}is-covered{% else %}is-uncovered{% endif %}" id="requirement-{{ row.requirement.pk }}">
          <div class="page-head">
            <label class="checkbox-label"><input type="checkbox" name="requirements" value="{{ row.requirement.pk }}" form="merge-form">
              <strong>{{ row.requirement.text }}</strong></label>
            <div class="actions">
              {% if row.covered %}<span class="badge stage-offer">covered</span>{% else %}<span class="badge due">uncovered</span>{% endif %}
              {% for gap in row.flagged %}<a class="badge overdue" href="{{ gap.get_absolute_url }}">asked before: {{ gap.topic }}</a>{% endfor %}
              <a class="small" href="{{ row.requirement.edit_url }}">Edit</a>
              <form method="post" action="{{ row.requirement.delete_url }}" data-hx-post="{{ row.requirement.delete_url }}" data-hx-target="#coverage" data-hx-swap="outerHTML">{{ csrf_input }}<button type="submit" class="secondary small" aria-label="Delete requirement">Delete</button></form>
            </div>
          </div>
          {% if row.coverages %}
            <ul class="stories-covering">
              {% for coverage in row.coverages %}
                <li><a href="{{ coverage.story.get_absolute_url }}">{{ coverage.story.title }}</a>
                  <form method="post" action="{{ coverage.delete_url }}" class="inline-form" data-hx-post="{{ coverage.delete_url }}" data-hx-target="#coverage" data-hx-swap="outerHTML">{{ csrf_input }}<button type="submit" class="linklike small">remove</button></form></li>
              {% endfor %}
            </ul>
          {% endif %}
          {% if row.suggestions %}
            <div class="stories-suggestions">
              <span class="muted small">Suggested:</span>
              {% for story in row.suggestions %}
                <form method="post" action="{{ row.requirement.cover_url }}" class="inline-form" data-hx-post="{{ row.requirement.cover_url }}" data-hx-target="#coverage" data-hx-swap="outerHTML">
                  {{ csrf_input }}<input type="hidden" name="story" value="{{ story.pk }}">
                  <a href="{{ story.get_absolute_url }}">{{ story.title }}</a>
                  <button type="submit" class="small secondary" aria-label="Confirm {{ story.title }} covers this">Confirm</button>
                </form>
              {% endfor %}
            </div>
          {% endif %}
          {% if not row.covered %}
            {% if row.gap %}
              <p class="small">Gap: <a href="{{ row.gap.get_absolute_url }}">{{ row.gap.topic|truncatechars:60 }}</a>
                {% if row.gap.positioning %}— {{ row.gap.positioning|truncatechars:140 }}{% else %}<span class="badge due">no positioning note yet</span>{% endif %}</p>
            {% else %}
              <form method="post" action="{{ row.requirement.gap_url }}">{{ csrf_input }}<button type="submit" class="small secondary">Treat as a gap</button></form>
            {% endif %}
          {% endif %}
        </li>
      {% endfor %}"""  # noqa: E501
AWKWARD = "<b>\"Lead\" & 'Co'</b>"
CSRF = mark_safe('<input type="hidden" name="csrfmiddlewaretoken" value="tok&lt;en&gt;">')


def _render(template: str, **context) -> str:
    return engines["django"].from_string(template).render(context)


def _story(pk=7, **kw):
    fields = {
        "title": "Cut vendor costs", "has_numbers": True, "themes_count": 0,
        "competency_names": "Forecasting · Negotiation", "where": "Northwind · Lead · 2022",
        "strength": 4, "uses_count": 2,
    }  # fmt: skip
    fields.update(kw)
    return SimpleNamespace(pk=pk, get_absolute_url=lambda: pk_url("stories:detail", pk), **fields)


def _gap(pk=5, **kw):
    fields = {"topic": "budget ownership", "positioning": ""} | kw
    return SimpleNamespace(pk=pk, get_absolute_url=lambda: pk_url("stories:gap", pk), **fields)


def _requirement(pk=11, text="Budget ownership"):
    return SimpleNamespace(
        pk=pk,
        text=text,
        edit_url=pk_url("stories:edit-requirement", pk),
        delete_url=pk_url("stories:delete-requirement", pk),
        cover_url=pk_url("stories:cover", pk),
        gap_url=pk_url("stories:requirement-gap", pk),
    )


def _coverage(pk, story):
    return SimpleNamespace(pk=pk, story=story, delete_url=pk_url("stories:uncover", pk))


def _row(requirement=None, *, coverages=(), suggestions=(), gap=None, flagged=()):
    coverages = list(coverages)
    return RequirementRow(
        requirement=requirement or _requirement(),
        stories=[c.story for c in coverages],
        coverages=coverages,
        suggestions=list(suggestions),
        gap=gap,
        flagged=list(flagged),
    )  # type: ignore[arg-type]


STORIES = {
    "plain": [_story()],
    "awkward": [
        _story(
            title=AWKWARD, has_numbers=False, themes_count=3, competency_names=AWKWARD,
            where=AWKWARD, strength=1, uses_count=0,
        )
    ],
    "no where, many": [_story(1, where=""), _story(2, competency_names="", themes_count=1)],
}  # fmt: skip


@pytest.mark.parametrize("stories", STORIES.values(), ids=STORIES.keys())
def test_it_writes_the_bank_rows_the_template_wrote(stories):
    written = "".join(
        f"\n          {story_row(s, competency_names=s.competency_names)}\n        "
        for s in stories
    )
    assert written == _render(STORY_ROWS, page=SimpleNamespace(object_list=stories))


def test_it_escapes_what_a_story_row_shows():
    html = story_row(_story(title=AWKWARD, where=AWKWARD), competency_names=AWKWARD)
    assert "<b>" not in html
    assert html.count("&lt;b&gt;&quot;Lead&quot; &amp; &#x27;Co&#x27;&lt;/b&gt;") == 3


LONG = "x" * 70 + " <y> & " + "z" * 150
REQUIREMENT_CASES = {
    "uncovered, no gap": [_row()],
    "uncovered, gap without a note": [_row(gap=_gap())],
    "uncovered, long gap with a note": [_row(gap=_gap(topic=LONG, positioning=LONG))],
    "awkward everything": [
        _row(
            _requirement(12, AWKWARD),
            suggestions=[_story(3, title=AWKWARD), _story(4)],
            gap=_gap(topic=AWKWARD, positioning=AWKWARD),
            flagged=[_gap(6, topic=AWKWARD), _gap(8)],
        )
    ],
    "covered, with suggestions": [
        _row(
            coverages=[_coverage(21, _story(3, title=AWKWARD)), _coverage(22, _story(4))],
            suggestions=[_story(9)],
            gap=_gap(),
        ),
        _row(_requirement(13, "Stakeholders"), coverages=[_coverage(23, _story(5))]),
    ],
}


@pytest.mark.parametrize("rows", REQUIREMENT_CASES.values(), ids=REQUIREMENT_CASES.keys())
def test_it_writes_the_requirements_the_template_wrote(rows):
    written = "".join(
        f"\n        {html}\n      " for html in RequirementWriter(csrf_input=CSRF).rows(rows)
    )
    expected = _render(REQUIREMENT_ROWS, report=SimpleNamespace(rows=rows), csrf_input=CSRF)
    assert written == expected


def test_it_escapes_what_a_requirement_shows():
    row = _row(_requirement(12, AWKWARD), suggestions=[_story(3, title=AWKWARD)])
    html = RequirementWriter(csrf_input=CSRF).row(row)
    assert "<b>" not in html
    assert (
        'aria-label="Confirm &lt;b&gt;&quot;Lead&quot; &amp; &#x27;Co&#x27;&lt;/b&gt; covers'
        in html
    )
