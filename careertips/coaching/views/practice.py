"""Practice insights for coaches and editors: anonymous debrief themes, and an editor's newsletter
draft started from one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from careertips.coaching import services
from careertips.coaching.forms import (
    DraftForm,
)
from careertips.coaching.services import practice as practice_services
from careertips.core.decorators import role_required
from careertips.core.http import MemberRequest
from careertips.core.roles import Role


@role_required(Role.COACH, Role.EDITOR)
@require_GET
def practice(request: MemberRequest) -> HttpResponse:
    from careertips.insights.charts import Bar, bar_chart

    overview = services.practice_overview()
    chosen = next((t for t in overview.themes if t.theme == request.GET.get("theme")), None)
    chart = None
    if chosen is not None:
        bars = [
            Bar(c.label, c.members or 0, str(c.members) if c.members else "fewer than 5")
            for c in chosen.months
        ]
        chart = bar_chart(
            bars, title=f"Members who heard “{chosen.label}”, by month",
            description="Months with fewer than 5 members show no figure.",
        )  # fmt: skip
    context = {
        "overview": overview,
        "chosen": chosen,
        "chart": chart,
        "k": practice_services.K_ANONYMITY,
        "can_draft": request.user.has_role(Role.EDITOR),
    }
    return render(request, "coaching/practice.html", context)


@role_required(Role.EDITOR)
@require_POST
def practice_draft(request: MemberRequest) -> HttpResponse:
    form = DraftForm(request.POST)
    if form.is_valid():
        try:
            article = services.start_newsletter_draft(**form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Draft started in the next issue, with the figures.")
            return redirect("newsletter:staff-article", pk=article.pk)
    return redirect("coaching:practice")
