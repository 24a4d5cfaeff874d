"""Requirements of a posting, their coverage by stories, and the interview prep sheet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.views.decorators.http import require_POST

from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest
from careertips.pipeline.models import Opportunity
from careertips.pipeline.services import get_interview_for, get_opportunity_for
from careertips.stories import reports, services
from careertips.stories.forms import (
    MergeForm,
    PostingForm,
    QuestionForm,
    RequirementForm,
    StoryChoiceForm,
)
from careertips.stories.rows import RequirementWriter
from careertips.stories.views.common import redirect_back

# Requirements and coverage.

# The paste-a-posting form beside the add-a-requirement form has a "text" field too.
REQUIREMENT_IDS = "id_requirement_%s"


@login_required
def coverage_index(request: MemberRequest) -> HttpResponse:
    opportunities = (
        Opportunity.objects.owned_by(request.user)
        .select_related("organization")
        .annotate(
            requirement_count=Count("requirements", distinct=True),
            covered_count=Count(
                "requirements", filter=Q(requirements__coverages__isnull=False), distinct=True
            ),
        )
        .order_by("-stage_changed_at", "-id")
    )
    return render(request, "stories/coverage_index.html", {"opportunities": opportunities})


def _coverage_page(
    request: MemberRequest, opportunity: Opportunity, **forms: BaseForm
) -> HttpResponse:
    report = reports.coverage_report(opportunity=opportunity)
    posting_initial = {} if report.rows else {"posting": opportunity.description}
    # Rendered once: a {% csrf_token %} per form costs more than the rest of the row.
    csrf = csrf_input(request)
    context = {
        "opportunity": opportunity,
        "report": report,
        "interviews": reports.interviews_of(opportunity),
        "questions": reports.questions_to_ask(opportunity),
        "posting_form": forms.get("posting_form") or PostingForm(initial=posting_initial),
        "requirement_form": forms.get("requirement_form")
        or RequirementForm(auto_id=REQUIREMENT_IDS),
        "merge_form": forms.get("merge_form") or MergeForm(opportunity=opportunity),
        "question_form": forms.get("question_form") or QuestionForm(),
        "requirement_rows": RequirementWriter(csrf_input=csrf).rows(report.rows),
    }
    template = "stories/coverage.html#coverage" if request.htmx else "stories/coverage.html"
    return render(request, template, context)


@login_required
def coverage(request: MemberRequest, opportunity_pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, opportunity_pk, people=False)
    return _coverage_page(request, opportunity)


@login_required
@require_POST
def paste_posting(request: MemberRequest, opportunity_pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, opportunity_pk)
    form = PostingForm(request.POST)
    if form.is_valid():
        try:
            created = services.add_requirements_from_posting(
                opportunity=opportunity, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Added {len(created)} requirement(s) from the posting.")
            return redirect("stories:coverage", opportunity_pk=opportunity.pk)
    return _coverage_page(request, opportunity, posting_form=form)


@login_required
@require_POST
def add_requirement(request: MemberRequest, opportunity_pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, opportunity_pk)
    form = RequirementForm(request.POST, auto_id=REQUIREMENT_IDS)
    if form.is_valid():
        try:
            services.add_requirement(opportunity=opportunity, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("stories:coverage", opportunity_pk=opportunity.pk)
    return _coverage_page(request, opportunity, requirement_form=form)


@login_required
@require_POST
def merge_requirements(request: MemberRequest, opportunity_pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, opportunity_pk)
    form = MergeForm(request.POST, opportunity=opportunity)
    if form.is_valid():
        try:
            services.merge_requirements(requirements=list(form.cleaned_data["requirements"]))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Requirements merged.")
            return redirect("stories:coverage", opportunity_pk=opportunity.pk)
    return _coverage_page(request, opportunity, merge_form=form)


@login_required
@require_POST
def add_question(request: MemberRequest, opportunity_pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, opportunity_pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.add_question(opportunity=opportunity, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect_back(
                request, reverse("stories:coverage", args=[opportunity.pk]) + "#questions"
            )
    return _coverage_page(request, opportunity, question_form=form)


@login_required
def requirement_edit(request: MemberRequest, pk: int) -> HttpResponse:
    requirement = services.get_requirement_for(request.user, pk)
    form = RequirementForm(request.POST or None, initial={"text": requirement.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_requirement(requirement=requirement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("stories:coverage", opportunity_pk=requirement.opportunity_id)
    return render(
        request, "stories/requirement_form.html", {"form": form, "requirement": requirement}
    )


@login_required
@require_POST
def requirement_delete(request: MemberRequest, pk: int) -> HttpResponse:
    requirement = services.get_requirement_for(request.user, pk)
    opportunity = requirement.opportunity
    services.delete_requirement(requirement=requirement)
    return _after_coverage_change(request, opportunity)


def _after_coverage_change(request: MemberRequest, opportunity: Opportunity) -> HttpResponse:
    if request.htmx:
        return _coverage_page(request, opportunity)
    return redirect("stories:coverage", opportunity_pk=opportunity.pk)


@login_required
@require_POST
def cover(request: MemberRequest, pk: int) -> HttpResponse:
    requirement = services.get_requirement_for(request.user, pk)
    form = StoryChoiceForm(request.POST, owner=request.user)
    if not form.is_valid():
        messages.error(request, "Choose one of your stories.")
        return redirect("stories:coverage", opportunity_pk=requirement.opportunity_id)
    services.confirm_coverage(requirement=requirement, story=form.cleaned_data["story"])
    return _after_coverage_change(request, requirement.opportunity)


@login_required
@require_POST
def uncover(request: MemberRequest, pk: int) -> HttpResponse:
    coverage = services.get_coverage_for(request.user, pk)
    opportunity = coverage.requirement.opportunity
    services.remove_coverage(coverage=coverage)
    return _after_coverage_change(request, opportunity)


@login_required
@require_POST
def requirement_gap(request: MemberRequest, pk: int) -> HttpResponse:
    requirement = services.get_requirement_for(request.user, pk)
    gap = services.gap_for_requirement(requirement=requirement)
    messages.info(request, "Now write how you will position related experience.")
    return redirect("stories:gap", pk=gap.pk)


@login_required
@require_POST
def question_delete(request: MemberRequest, pk: int) -> HttpResponse:
    question = services.get_question_for(request.user, pk)
    services.delete_question(question=question)
    return redirect_back(
        request, reverse("stories:coverage", args=[question.opportunity_id]) + "#questions"
    )


# Interview prep.


@login_required
def prep(request: MemberRequest, interview_pk: int) -> HttpResponse:
    interview = get_interview_for(request.user, interview_pk)
    sheet = reports.prep_sheet(interview=interview)
    context = {"sheet": sheet, "question_form": QuestionForm()}
    return render(request, "stories/prep.html", context)


@login_required
def prep_pdf(request: MemberRequest, interview_pk: int) -> HttpResponse:
    from careertips.stories.pdf import render_pdf

    interview = get_interview_for(request.user, interview_pk)
    sheet = reports.prep_sheet(interview=interview)
    pdf = render_pdf("stories/prep_pdf.html", {"sheet": sheet}, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"prep-{interview.scheduled_at:%Y-%m-%d}-{interview.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def mark_told(request: MemberRequest, interview_pk: int) -> HttpResponse:
    interview = get_interview_for(request.user, interview_pk)
    form = StoryChoiceForm(request.POST, owner=request.user)
    if form.is_valid():
        services.record_story_use(story=form.cleaned_data["story"], interview=interview)
        messages.success(request, "Marked as told in this interview.")
    else:
        messages.error(request, "Choose one of your stories.")
    return redirect("stories:prep", interview_pk=interview.pk)
