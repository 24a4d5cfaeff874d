"""Today's lines are written in Python: they must say exactly what the template they replace
said, escaped the same way, in the member's time zone."""

import datetime as dt
import zoneinfo

import pytest
from django.template import engines
from django.utils import timezone, translation

from careertips.agenda.models import ItemKind
from careertips.agenda.rows import ItemWriter
from careertips.agenda.services.items import Item
from careertips.agenda.views import SNOOZE_OPTIONS

# The line as Today's template wrote it, kept to check the writer.
ITEM_TEMPLATE = """{% with path=item_root|add:item.path %}
<li class="agenda-item kind-{{ item.kind }}" id="{{ item.dom_id }}">
  <div class="what">
    <strong><a href="{{ item.url }}">{{ item.title }}</a></strong>
    <span class="muted small">{{ item.reason }}</span>
    <span class="small agenda-due">{% if item.at %}<time datetime="{{ item.at|date:'Y-m-d\\TH:i:sO' }}">{{ item.at|date:"D M j, H:i" }}</time>{% else %}Due <time datetime="{{ item.due|date:'Y-m-d' }}">{{ item.due|date:"D M j" }}</time>{% endif %}</span>
  </div>
  <form method="post" action="{{ path }}snooze/" class="actions agenda-item-actions" data-hx-target="#agenda" data-hx-swap="outerHTML">
    {% csrf_token %}
    {% if item.done_label and not item.done_needs_details %}<button type="submit" class="small" formaction="{{ path }}done/" data-hx-post="{{ path }}done/">{{ item.done_label }}<span class="visually-hidden">: {{ item.title }}</span></button>{% endif %}
    <label class="visually-hidden" for="snooze-{{ item.dom_id }}">Snooze “{{ item.title }}” for</label>
    <select name="days" id="snooze-{{ item.dom_id }}">{{ snooze_options }}</select>
    <button type="submit" class="small secondary" data-hx-post="{{ path }}snooze/">Snooze</button>
  </form>
  <details class="agenda-open" data-hx-get="{{ path }}" data-hx-trigger="toggle once" data-hx-target="#open-{{ item.dom_id }}">
    <summary class="small">{% if item.done_needs_details %}{{ item.done_label }}…{% else %}Open{% endif %}<span class="visually-hidden">: {{ item.title }}</span></summary>
    <div id="open-{{ item.dom_id }}" class="agenda-open-body"><a href="{{ path }}">Open this item</a></div>
  </details>
</li>
{% endwith %}
"""  # noqa: E501
AWKWARD = "<b>\"Call\" & 'thank'</b>"
ROOT = "/today/items/"
TOKEN = "tok<en>"


def _item(**kw):
    fields = {
        "kind": ItemKind.ACTION, "object_id": 41, "title": "Rewrite the budget story",
        "reason": "From the Acme debrief: turn the feedback into work.",
        "due": dt.date(2026, 11, 30), "url": "/debriefs/3/#action-41", "done_label": "Done",
    }  # fmt: skip
    return Item(**{**fields, **kw})


def _from_template(items):
    template = engines["django"].from_string(ITEM_TEMPLATE)
    context = {"item_root": ROOT, "csrf_token": TOKEN, "snooze_options": SNOOZE_OPTIONS}
    return "".join("\n" + template.render({**context, "item": item}) for item in items)


def _written(items):
    writer = ItemWriter(item_root=ROOT, csrf_token=TOKEN, snooze_options=SNOOZE_OPTIONS)
    return str(writer.items(items))


LATE_EVENING = dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC)
ITEMS = [
    _item(),
    _item(title=AWKWARD, reason=AWKWARD, url='/x/?a=1&b="2"', done_label=AWKWARD),
    _item(kind=ItemKind.OFFER, done_label="", due=dt.date(2027, 1, 4)),
    _item(kind=ItemKind.CALL, done_label="Log the call", title=AWKWARD),
    _item(kind=ItemKind.TOUCH, done_label=""),
    _item(kind=ItemKind.INTERVIEW, object_id=123456, at=LATE_EVENING, due=LATE_EVENING.date()),
]


@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles", "Asia/Kolkata"])
@pytest.mark.parametrize("item", ITEMS, ids=range(len(ITEMS)))
def test_it_writes_the_line_the_template_wrote(item, zone):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert _written([item]) == _from_template([item])


def test_it_writes_a_whole_group_as_the_template_did():
    assert _written(ITEMS) == _from_template(ITEMS)


def test_it_escapes_every_text_on_a_line():
    html = _written([_item(title=AWKWARD, reason=AWKWARD, done_label=AWKWARD)])
    assert "<b>" not in html
    assert "&lt;b&gt;&quot;Call&quot; &amp; &#x27;thank&#x27;&lt;/b&gt;" in html
    assert 'value="tok&lt;en&gt;"' in html


def test_it_names_days_and_months_in_the_active_language():
    with translation.override("fr"):
        written = _written([_item()])
        expected = _from_template([_item()])
    assert written == expected
