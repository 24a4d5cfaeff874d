from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from careertips.core.http import MemberRequest
from careertips.core.pagecache import member_page_cache
from careertips.insights import charts
from careertips.insights.forms import PeriodForm
from careertips.insights.services import DEFAULT_PERIOD, Insights, insights_for


@login_required
@member_page_cache
@require_GET
def overview(request: MemberRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data["period"] if form.is_valid() else DEFAULT_PERIOD
    found = insights_for(request.user, period=period)
    context = {"form": form, "insights": found, "charts": _charts(found)}
    return render(request, "insights/overview.html", context, status=400 if form.errors else 200)


def _percent(share: float | None) -> str:
    return f"{share:.0%}" if share is not None else "—"


def _charts(found: Insights) -> dict[str, str]:
    return {
        "funnel": _funnel_chart(found),
        "sources": _sources_chart(found),
        "themes": _themes_chart(found),
        "weeks": _weeks_chart(found),
    }


def _funnel_chart(found: Insights) -> str:
    bars = [
        charts.Bar(
            step.label,
            step.count,
            f"{step.count}"
            + (f" ({_percent(step.of_previous)})" if step.of_previous is not None else ""),
        )
        for step in found.funnel
    ]
    return charts.bar_chart(
        bars,
        title="How far your applications got",
        description="Applications of the period that reached each step, with the share of "
        "the step before.",
    )


def _sources_chart(found: Insights) -> str:
    bars = [
        charts.Bar(
            row.label,
            (row.response_rate or 0) * 100,
            f"{_percent(row.response_rate)} of {row.applications}",
        )
        for row in found.sources
        if row.applications
    ]
    return charts.bar_chart(
        bars,
        title="Replies by source",
        description="For each way you found roles, the share of applications that got a "
        "reply (a screening or further).",
    )


def _themes_chart(found: Insights) -> str:
    return charts.bar_chart(
        [charts.Bar(label, count, str(count)) for label, count in found.themes],
        title="What debriefs heard",
        description="Feedback themes recorded in your debriefs, most frequent first.",
    )


def _weeks_chart(found: Insights) -> str:
    weeks = found.weeks
    return charts.column_chart(
        [week.starts_on for week in weeks],
        [
            charts.Series("Applications", [w.applications for w in weeks], "chart-series-1"),
            charts.Series("Network touches", [w.touches for w in weeks], "chart-series-2"),
            charts.Series("Interviews", [w.interviews for w in weeks], "chart-series-3"),
        ],
        title="Your weekly rhythm",
        description="Applications sent, network touches and interviews in each of the last "
        "twelve weeks.",
    )
