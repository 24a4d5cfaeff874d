"""The debrief list's finished rows are written in Python: they must say exactly what the
template loop they replace said, escaped the same way."""

import datetime as dt

from django.core.paginator import Paginator
from django.template import engines
from django.utils import timezone

from careertips.debriefs.views import finished_table

# The loop as debrief_list.html wrote it, kept to check the writer.
FINISHED_ROWS = """{% for debrief in finished %}
            <tr>
              <td><a href="{{ detail_prefix }}{{ debrief.pk }}/">{{ debrief.title }}</a><div class="muted small">{{ debrief.organization }}</div></td>
              <td>{{ debrief.contact_name|default:"—" }}</td>
              <td><span class="badge debrief-{{ debrief.status }}">{{ debrief.status_label }}</span>{% if debrief.dismissed_reason %} <span class="muted small">{{ debrief.dismissed_reason|truncatechars:80 }}</span>{% endif %}</td>
              <td class="nowrap">{{ debrief.closed_at|date:"M j, Y" }}</td>
            </tr>
          {% endfor %}"""  # noqa: E501
AWKWARD = "<b>\"Lead\" & 'Co'</b>"


def _row(pk, **kw):
    return {
        "pk": pk, "status": "closed", "status_label": "Closed", "dismissed_reason": "",
        "closed_at": dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC),
        "title": "Ops lead", "organization": "Acme", "contact_name": "Dana Whitfield", **kw,
    }  # fmt: skip


def test_it_writes_the_finished_rows_as_the_template_did():
    rows = [
        _row(1),
        _row(2, title=AWKWARD, organization=AWKWARD, contact_name=AWKWARD),
        _row(3, status="dismissed", status_label="Dismissed", dismissed_reason="Form <no> & " * 9),
        _row(4, contact_name=None, closed_at=None, dismissed_reason=AWKWARD),
        _row(5, contact_name=""),
    ]
    page = Paginator(rows, 25).page(1)
    with timezone.override("Pacific/Auckland"):  # the day after, there: dates are local
        template = engines["django"].from_string(FINISHED_ROWS)
        expected = template.render({"finished": page, "detail_prefix": "/debriefs/"})
        written = finished_table(rows)
    assert written == expected
    assert AWKWARD not in written
    assert "Mar 2, 2026" in written
