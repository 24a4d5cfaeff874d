"""The member's opportunities: the list, the board, one opportunity, moves, follow-ups and
interviews."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import escape, format_html_join
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest, client_redirect, paginate, safe_next, swaps
from careertips.core.pagecache import member_page_cache
from careertips.network.models import Organization
from careertips.network.services import organization_named
from careertips.offers.services.lifecycle import offer_panel
from careertips.pipeline.cards import LIST_ROW_FIELDS, CardWriter, history_lines, list_row
from careertips.pipeline.forms import (
    InterviewForm,
    ListFilterForm,
    MoveForm,
    OpportunityForm,
)
from careertips.pipeline.models import (
    ALLOWED_CHOICES,
    Opportunity,
    Stage,
)
from careertips.pipeline.services import (
    build_board,
    build_timeline,
    create_opportunity,
    debrief_of,
    debrief_url,
    delete_interview,
    delete_opportunity,
    get_interview_for,
    get_opportunity_for,
    move_opportunity,
    people_on_opportunity,
    record_follow_up,
    schedule_interview,
    suggest_follow_up,
    toggle_thank_you,
    update_interview,
    update_opportunity,
)

LIST_PAGE_SIZE = 50
# A card's stage menu depends on its stage alone: written once here, not once per card.
MOVE_OPTIONS = {
    stage: format_html_join("", '<option value="{}">{}</option>', choices)
    for stage, choices in ALLOWED_CHOICES.items()
}
DEBRIEF_FLASH = "Sorry about this one. Here's your debrief plan."


@login_required
@member_page_cache
@require_GET
def opportunity_list(request: MemberRequest) -> HttpResponse:
    user = request.user
    form = ListFilterForm(request.GET or None)
    queryset = form.filter(
        Opportunity.objects.owned_by(user).with_follow_up_due(
            today=user.local_today(), days=user.follow_up_days
        )
    )
    page = paginate(request, queryset, LIST_PAGE_SIZE)
    # The page's rows are read as plain values (the count needs no employer), and their
    # links are built on the list URL: a reverse per row costs more than the row.
    list_url = escape(reverse("pipeline:list"))
    values = cast(QuerySet, page.object_list).values_list(*LIST_ROW_FIELDS)
    rows = [list_row(row, list_url=list_url) for row in values]
    context = {"form": form, "page": page, "rows": rows}
    partial = swaps(request, "results")
    template = "pipeline/list.html#results" if partial else "pipeline/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@member_page_cache
@require_GET
def board(request: MemberRequest) -> HttpResponse:
    return render(request, "pipeline/board.html", _board_context(request))


def _board_context(request: MemberRequest) -> dict[str, Any]:
    user = request.user
    board = build_board(owner=user, today=user.local_today())
    list_url = reverse("pipeline:list")
    writer = CardWriter(
        list_url=list_url, board_url=reverse("pipeline:board"), csrf_token=get_token(request)
    )
    return {
        "board": board,
        "columns": [
            (column, writer.cards(column.cards, MOVE_OPTIONS[column.stage]))
            for column in board.columns
        ],
        # Closed cards get no menu: nothing moves out of a closed stage.
        "closed": [(column, writer.cards(column.cards, "")) for column in board.closed],
        "list_url": list_url,
    }


@login_required
@member_page_cache
@require_GET
def opportunity_detail(request: MemberRequest, pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, pk)
    return render(request, "pipeline/detail.html", _detail_context(request, opportunity))


def _detail_context(request: MemberRequest, opportunity: Opportunity) -> dict[str, Any]:
    timeline = build_timeline(opportunity=opportunity)
    debrief = debrief_of(opportunity)
    return {
        "opportunity": opportunity,
        "history_lines": history_lines(timeline),
        "interviews": opportunity.interviews.all(),
        "debrief": debrief,
        "debrief_url": debrief_url(debrief) if debrief else "",
        "move_form": MoveForm(opportunity=opportunity),
        "can_turn_down": opportunity.can_move_to(Stage.TURNED_DOWN),
        "offers": offer_panel(opportunity=opportunity, today=request.user.local_today()),
        "people": opportunity.people,
        **_follow_up_context(request, opportunity),
    }


def _follow_up_context(request: MemberRequest, opportunity: Opportunity) -> dict[str, Any]:
    user = request.user
    due = opportunity.is_follow_up_due(today=user.local_today(), days=user.follow_up_days)
    return {
        "follow_up_due": due,
        "follow_up_due_on": opportunity.follow_up_due_on(days=user.follow_up_days),
        "follow_up_message": suggest_follow_up(opportunity=opportunity) if due else "",
    }


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_create(request: MemberRequest) -> HttpResponse:
    initial = {}
    if org_id := request.GET.get("organization", "").strip():
        initial["organization"] = (
            Organization.objects.owned_by(request.user).filter(pk=org_id).first()
            if org_id.isdigit()
            else None
        )
    form = OpportunityForm(
        request.POST or None,
        owner=request.user,
        initial=initial,
        full_menu_url=full_menu_url(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                organization = employer_from_form(request, form)
                opportunity = create_opportunity(
                    owner=request.user,
                    organization=organization,
                    **form.opportunity_fields(),
                    **people_from_form(request, form, organization),
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Added “{opportunity.title}”.")
            return redirect("pipeline:detail", pk=opportunity.pk)
    return render(request, "pipeline/opportunity_form.html", {"form": form})


def full_menu_url(request: MemberRequest) -> str | None:
    """This page with every contact in the people menus (its other query parameters kept),
    or None when it already is that page."""
    if request.GET.get("contacts") == "all":
        return None
    query = request.GET.copy()
    query["contacts"] = "all"
    return f"{request.path}?{query.urlencode()}"


def employer_from_form(request: MemberRequest, form: OpportunityForm) -> Organization:
    chosen = form.cleaned_data["organization"]
    if chosen is not None:
        return chosen
    return organization_named(owner=request.user, name=form.cleaned_data["organization_name"])


def people_from_form(
    request: MemberRequest, form: OpportunityForm, organization: Organization
) -> dict[str, Any]:
    return people_on_opportunity(
        owner=request.user, organization=organization, people=form.people()
    )


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit(request: MemberRequest, pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, pk)
    form = OpportunityForm(
        request.POST or None,
        instance=opportunity,
        owner=request.user,
        full_menu_url=full_menu_url(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                organization = employer_from_form(request, form)
                update_opportunity(
                    opportunity=opportunity,
                    organization=organization,
                    **form.opportunity_fields(),
                    **people_from_form(request, form, organization),
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("pipeline:detail", pk=opportunity.pk)
    context = {"form": form, "opportunity": opportunity}
    return render(request, "pipeline/opportunity_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_delete(request: MemberRequest, pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, pk)
    if request.method == "POST":
        title = str(opportunity)
        delete_opportunity(opportunity=opportunity)
        messages.success(request, f"Deleted “{title}”.")
        return redirect("pipeline:list")
    context = {
        "opportunity": opportunity,
        "interview_count": opportunity.interviews.count(),
        "debrief": debrief_of(opportunity),
    }
    return render(request, "pipeline/opportunity_confirm_delete.html", context)


@login_required
@require_POST
def opportunity_move(request: MemberRequest, pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, pk)
    form = MoveForm(request.POST, opportunity=opportunity)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return _after_move(request, opportunity)
    stage = form.cleaned_data["stage"]
    try:
        move_opportunity(opportunity=opportunity, to_stage=stage, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _after_move(request, opportunity)
    if stage == Stage.TURNED_DOWN and (debrief := debrief_of(opportunity)) is not None:
        messages.info(request, DEBRIEF_FLASH)
        return client_redirect(request, debrief_url(debrief))
    messages.success(request, f"Moved “{opportunity.title}” to {Stage(stage).label}.")
    return _after_move(request, opportunity)


def _after_move(request: MemberRequest, opportunity: Opportunity) -> HttpResponse:
    """The board swaps itself in place under htmx; everything else goes back where it was."""
    if swaps(request, "board"):
        context = {**_board_context(request), "oob_flash": True}
        return render(request, "pipeline/board.html#board", context)
    detail_url = reverse("pipeline:detail", args=[opportunity.pk])
    return client_redirect(request, safe_next(request, detail_url))


@login_required
@require_POST
def opportunity_follow_up(request: MemberRequest, pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, pk)
    detail_url = reverse("pipeline:detail", args=[opportunity.pk])
    if not opportunity.is_open:
        messages.error(request, "This opportunity is closed; there is nothing to follow up.")
        return client_redirect(request, detail_url)
    record_follow_up(opportunity=opportunity, on=request.user.local_today())
    if swaps(request, "follow-up"):
        context = {**_follow_up_context(request, opportunity), "opportunity": opportunity}
        return render(request, "pipeline/detail.html#follow-up", {**context, "just_noted": True})
    message = "Noted: you followed up today."
    if due_on := opportunity.follow_up_due_on(days=request.user.follow_up_days):
        message += f" If there is still no reply, we will remind you on {due_on:%b} {due_on.day}."
    messages.success(request, message)
    return client_redirect(request, safe_next(request, detail_url))


@login_required
@require_http_methods(["GET", "POST"])
def interview_create(request: MemberRequest, pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, pk)
    form = InterviewForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            schedule_interview(opportunity=opportunity, **form.interview_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Interview added.")
            return redirect(reverse("pipeline:detail", args=[opportunity.pk]) + "#interviews")
    context = {"form": form, "opportunity": opportunity}
    return render(request, "pipeline/interview_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def interview_edit(request: MemberRequest, pk: int) -> HttpResponse:
    interview = get_interview_for(request.user, pk)
    form = InterviewForm(request.POST or None, instance=interview, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            update_interview(interview=interview, **form.interview_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Interview saved.")
            url = reverse("pipeline:detail", args=[interview.opportunity_id])
            return redirect(url + "#interviews")
    context = {"form": form, "opportunity": interview.opportunity, "interview": interview}
    return render(request, "pipeline/interview_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def interview_delete(request: MemberRequest, pk: int) -> HttpResponse:
    interview = get_interview_for(request.user, pk)
    if request.method == "POST":
        delete_interview(interview=interview)
        messages.success(request, "Interview deleted.")
        url = reverse("pipeline:detail", args=[interview.opportunity_id])
        return redirect(url + "#interviews")
    context = {"interview": interview, "opportunity": interview.opportunity}
    return render(request, "pipeline/interview_confirm_delete.html", context)


@login_required
@require_POST
def interview_thank_you(request: MemberRequest, pk: int) -> HttpResponse:
    interview = get_interview_for(request.user, pk)
    toggle_thank_you(interview=interview)
    if swaps(request, f"interview-{interview.pk}"):
        return render(request, "pipeline/detail.html#interview", {"interview": interview})
    if interview.thank_you_sent_at:
        messages.success(request, "Marked the thank-you note as sent.")
    else:
        messages.info(request, "Marked the thank-you note as not sent.")
    url = reverse("pipeline:detail", args=[interview.opportunity_id])
    return client_redirect(request, url + "#interviews")
