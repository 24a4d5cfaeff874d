"""The board's cards and the list's rows are written in Python: they must say exactly what
the templates they replace said, escaped the same way."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import timezone
from django.utils.html import format_html_join

from careertips.network.models import Organization
from careertips.pipeline.cards import CardWriter, history_lines, list_row, month_day
from careertips.pipeline.models import ALLOWED_CHOICES, Opportunity, Stage
from careertips.pipeline.services import BoardCard, TimelineEntry

# The card and row as the board and list templates wrote them, kept to check the writers.
CARD_TEMPLATE = """{% load l10n %}
{% localize off %}{% with pk=opportunity.pk pay=opportunity.pay_range %}
<article class="opp-card" id="opp-{{ pk }}" data-card{% if move_options %} draggable="true"{% endif %}>
  <h3><a href="{{ list_url }}{{ pk }}/">{{ opportunity.title }}</a></h3>
  <div class="org">{{ opportunity.organization.name }}{% if opportunity.location %} · {{ opportunity.location }}{% endif %}</div>
  <div class="small muted">Since {{ opportunity.stage_changed_at|date:"M j" }}{% if pay %} · {{ pay }}{% endif %}</div>
  {% if opportunity.follow_up_due %}<span class="badge due">Follow up</span>{% endif %}
  {% if move_options %}
  <form method="post" action="{{ list_url }}{{ pk }}/move/" class="inline-form" data-move
        data-hx-post="{{ list_url }}{{ pk }}/move/" data-hx-target="#board" data-hx-swap="outerHTML">
    {% csrf_token %}
    <input type="hidden" name="next" value="{{ board_url }}">
    <label class="visually-hidden" for="move-{{ pk }}">Move “{{ opportunity.title }}” to</label>
    <select name="stage" id="move-{{ pk }}" required>
      <option value="">Move to…</option>
      {{ move_options }}
    </select>
    <button type="submit" class="small secondary">Move</button>
  </form>
  {% endif %}
</article>
{% endwith %}{% endlocalize %}
"""  # noqa: E501
ROW_TEMPLATE = """{% load l10n %}<tr>
          <td><a href="{{ list_url }}{{ opportunity.pk|unlocalize }}/">{{ opportunity.title }}</a>{% if opportunity.follow_up_due %} <span class="badge due">Follow up</span>{% endif %}</td>
          <td>{{ opportunity.organization.name }}</td>
          <td>{{ opportunity.location|default:"" }}{% if opportunity.work_mode %}{% if opportunity.location %} · {% endif %}{{ opportunity.get_work_mode_display }}{% endif %}</td>
          <td>{{ opportunity.get_source_display }}</td>
          <td><span class="badge stage-{{ opportunity.stage }}">{{ opportunity.get_stage_display }}</span></td>
          <td class="nowrap">{{ opportunity.pay_range|default:"—" }}</td>
          <td class="nowrap"><time datetime="{{ opportunity.stage_changed_at|date:'Y-m-d\\TH:i:sO' }}">{{ opportunity.stage_changed_at|date:"M j, Y" }}</time></td>
        </tr>"""  # noqa: E501
AWKWARD = "<b>\"Lead\" & 'Co'</b>"
MOVED = dt.datetime(2026, 11, 5, 22, 30, tzinfo=dt.UTC)
TOKEN = "tok<en>"


def _card(**kw):
    fields = {
        "pk": 7, "title": "Plant Manager", "organization": "Acme", "location": "Leeds",
        "stage": Stage.APPLIED, "stage_changed_at": MOVED, "pay_range": "80,000–95,000 EUR",
        "follow_up_due": False,
    }  # fmt: skip
    return BoardCard(**{**fields, **kw})


def _from_template(card, move_options):
    opportunity = SimpleNamespace(**{name: getattr(card, name) for name in card.__slots__})
    opportunity.organization = SimpleNamespace(name=card.organization)
    context = {
        "opportunity": opportunity,
        "move_options": move_options,
        "list_url": "/opportunities/",
        "board_url": "/opportunities/board/",
        "csrf_token": TOKEN,
    }
    return engines["django"].from_string(CARD_TEMPLATE).render(context)


def _written(card, move_options):
    writer = CardWriter(
        list_url="/opportunities/", board_url="/opportunities/board/", csrf_token=TOKEN
    )
    return str(writer.card(card, move_options))


OPTIONS = format_html_join("", '<option value="{}">{}</option>', ALLOWED_CHOICES[Stage.APPLIED])


@pytest.mark.parametrize(
    "card",
    [
        _card(),
        _card(title=AWKWARD, organization=AWKWARD, location=AWKWARD, follow_up_due=True),
        _card(location="", pay_range="", pk=12345),
    ],
)
@pytest.mark.parametrize("move_options", [OPTIONS, ""])
def test_it_writes_the_card_the_template_wrote(card, move_options):
    assert _written(card, move_options) == _from_template(card, move_options)


def test_it_escapes_every_text_on_a_card():
    html = _written(_card(title=AWKWARD, organization=AWKWARD, location=AWKWARD), OPTIONS)

    assert "<b>" not in html
    assert "&lt;b&gt;&quot;Lead&quot; &amp; &#x27;Co&#x27;&lt;/b&gt;" in html
    assert 'value="tok&lt;en&gt;"' in html


def test_it_gives_a_closed_card_no_menu_and_no_drag():
    html = _written(_card(stage=Stage.WITHDRAWN), "")

    assert "<form" not in html
    assert "draggable" not in html


def test_it_dates_a_card_in_the_members_time_zone():
    with timezone.override("Pacific/Auckland"):
        assert month_day(MOVED) == "Nov 6"
    with timezone.override("America/Los_Angeles"):
        assert month_day(MOVED) == "Nov 5"


def _row(**kw):
    fields = {
        "pk": 7, "title": "Plant Manager", "follow_up_due": False, "organization": "Acme",
        "location": "Leeds", "work_mode": "hybrid", "source": "referral", "stage": "screening",
        "pay_min": 80_000, "pay_max": 95_000, "currency": "EUR", "stage_changed_at": MOVED,
    }  # fmt: skip
    return {**fields, **kw}


def _row_from_template(row):
    fields = {name: row[name] for name in row if name not in ("organization", "follow_up_due")}
    opportunity = Opportunity(**fields)
    opportunity.organization = Organization(name=row["organization"])
    opportunity.follow_up_due = row["follow_up_due"]  # type: ignore[attr-defined]
    context = {"opportunity": opportunity, "list_url": "/opportunities/"}
    return engines["django"].from_string(ROW_TEMPLATE).render(context)


@pytest.mark.parametrize(
    "row",
    [
        _row(),
        _row(title=AWKWARD, organization=AWKWARD, location=AWKWARD, follow_up_due=True),
        _row(location="", work_mode="", pay_min=None, pay_max=None),
        _row(location="", work_mode="remote", pay_max=None, stage="turned_down"),
        _row(location="Leeds", work_mode="", pay_min=90_000, pay_max=90_000),
    ],
)
@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/St_Johns"])
def test_it_writes_the_list_row_the_template_wrote(row, zone):
    with timezone.override(zone):
        written = list_row(tuple(row.values()), list_url="/opportunities/")
        assert str(written) == _row_from_template(row)


# The opportunity page's history as its template wrote it, kept to check the writer.
HISTORY_TEMPLATE = """<ol class="timeline">
        {% for entry in timeline %}
          <li class="kind-{{ entry.kind }}">
            <time datetime="{{ entry.when|date:'Y-m-d\\TH:i:sO' }}">{% if entry.date_only %}{{ entry.when|date:"M j, Y" }}{% else %}{{ entry.when|date:"M j, Y, H:i" }}{% endif %}</time>
            {% if entry.url %}<a href="{{ entry.url }}">{{ entry.title }}</a>{% else %}{{ entry.title }}{% endif %}
            {% if entry.badge %}<span class="badge">{{ entry.badge }}</span>{% endif %}
            {% if entry.detail %}<div class="muted small">{{ entry.detail }}</div>{% endif %}
          </li>
        {% empty %}
          <li>No history yet.</li>
        {% endfor %}
      </ol>"""  # noqa: E501
HISTORY = [
    TimelineEntry(MOVED, "stage", "Added as Interested"),
    TimelineEntry(
        MOVED, "touchpoint", AWKWARD, AWKWARD, "/network/contacts/3/?a=1&b=<2>", "", True
    ),
    TimelineEntry(MOVED, "interview", "Phone interview", "With Ann", "", "Thank-you sent"),
    TimelineEntry(MOVED, AWKWARD, AWKWARD, AWKWARD, AWKWARD, AWKWARD),
    TimelineEntry(dt.datetime(2026, 1, 9, 8, 5, tzinfo=dt.UTC), "debrief", "Debrief opened"),
]


@pytest.mark.parametrize("entries", [HISTORY, HISTORY[:1], []])
@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/St_Johns"])
def test_it_writes_the_history_the_template_wrote(entries, zone):
    with timezone.override(zone):
        template = engines["django"].from_string(HISTORY_TEMPLATE).render({"timeline": entries})
        written = f'<ol class="timeline">\n        {history_lines(entries)}\n      </ol>'

    assert written == template


def test_it_escapes_every_text_of_the_history():
    html = str(history_lines(HISTORY))

    assert "<b>" not in html and "&lt;b&gt;&quot;Lead&quot; &amp; &#x27;Co&#x27;&lt;/b&gt;" in html
    assert 'href="/network/contacts/3/?a=1&amp;b=&lt;2&gt;"' in html
