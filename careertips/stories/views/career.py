"""Career enhancement: the raise or promotion case, and career goals with milestones."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest
from careertips.stories import services
from careertips.stories.forms import GoalForm, MilestoneForm, PromotionCaseForm
from careertips.stories.models import Goal, PromotionCase, Story


def _case_initial(request: MemberRequest) -> dict[str, object]:
    """A new case can start from the accomplishments log: ?organization=X&since=YYYY."""
    organization = request.GET.get("organization", "").strip()[:200]
    if not organization:
        return {}
    since = request.GET.get("since", "")
    since_year = int(since) if since.isdigit() and len(since) == 4 else None
    stories = Story.objects.owned_by(request.user).at_organization(
        organization, since_year=since_year
    )
    return {"organization_name": organization, "stories": stories}


@login_required
def case_list(request: MemberRequest) -> HttpResponse:
    cases = PromotionCase.objects.owned_by(request.user).prefetch_related("stories")
    return render(request, "stories/case_list.html", {"cases": cases})


@login_required
def case_create(request: MemberRequest) -> HttpResponse:
    form = PromotionCaseForm(
        request.POST or None, owner=request.user, initial=_case_initial(request)
    )
    if request.method == "POST" and form.is_valid():
        case = services.save_case(owner=request.user, form=form)
        messages.success(request, "Case created.")
        return redirect("stories:case", pk=case.pk)
    return render(request, "stories/case_form.html", {"form": form})


@login_required
def case_detail(request: MemberRequest, pk: int) -> HttpResponse:
    case = services.get_case_for(request.user, pk)
    stories = case.stories.prefetch_related("competencies").order_by("-year", "title")
    figures = [line.strip() for line in case.figures.splitlines() if line.strip()]
    context = {"case": case, "stories": stories, "figures": figures}
    return render(request, "stories/case_detail.html", context)


@login_required
def case_edit(request: MemberRequest, pk: int) -> HttpResponse:
    case = services.get_case_for(request.user, pk)
    form = PromotionCaseForm(request.POST or None, instance=case, owner=request.user)
    if request.method == "POST" and form.is_valid():
        services.save_case(owner=request.user, form=form)
        messages.success(request, "Case saved.")
        return redirect("stories:case", pk=case.pk)
    return render(request, "stories/case_form.html", {"form": form, "case": case})


@login_required
def case_delete(request: MemberRequest, pk: int) -> HttpResponse:
    case = services.get_case_for(request.user, pk)
    if request.method == "POST":
        case.delete()
        messages.success(request, "Case deleted.")
        return redirect("stories:cases")
    return render(request, "stories/confirm_delete.html", {"object": case, "what": "case"})


@login_required
def goal_list(request: MemberRequest) -> HttpResponse:
    goals = Goal.objects.owned_by(request.user).with_progress()
    return render(request, "stories/goal_list.html", {"goals": goals})


@login_required
def goal_create(request: MemberRequest) -> HttpResponse:
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        goal = services.save_goal(owner=request.user, form=form)
        messages.success(request, "Goal added: now break it into milestones.")
        return redirect("stories:goal", pk=goal.pk)
    return render(request, "stories/goal_form.html", {"form": form})


@login_required
def goal_detail(
    request: MemberRequest, pk: int, milestone_form: MilestoneForm | None = None
) -> HttpResponse:
    goal = services.get_goal_for(request.user, pk)
    goal_with_progress = Goal.objects.with_progress().get(pk=goal.pk)
    context = {
        "goal": goal_with_progress,
        "milestones": list(goal.milestones.all()),
        "milestone_form": milestone_form or MilestoneForm(),
        "today": request.user.local_today(),
    }
    template = "stories/goal_detail.html#milestones" if request.htmx else "stories/goal_detail.html"
    return render(request, template, context)


@login_required
def goal_edit(request: MemberRequest, pk: int) -> HttpResponse:
    goal = services.get_goal_for(request.user, pk)
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        services.save_goal(owner=request.user, form=form)
        messages.success(request, "Goal saved.")
        return redirect("stories:goal", pk=goal.pk)
    return render(request, "stories/goal_form.html", {"form": form, "goal": goal})


@login_required
def goal_delete(request: MemberRequest, pk: int) -> HttpResponse:
    goal = services.get_goal_for(request.user, pk)
    if request.method == "POST":
        goal.delete()
        messages.success(request, "Goal deleted.")
        return redirect("stories:goals")
    return render(request, "stories/confirm_delete.html", {"object": goal, "what": "goal"})


@login_required
@require_POST
def milestone_add(request: MemberRequest, pk: int) -> HttpResponse:
    goal = services.get_goal_for(request.user, pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.add_milestone(goal=goal, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("stories:goal", pk=goal.pk)
    return goal_detail(request, pk, milestone_form=form)


@login_required
@require_POST
def milestone_toggle(request: MemberRequest, pk: int) -> HttpResponse:
    milestone = services.get_milestone_for(request.user, pk)
    services.set_milestone_done(
        milestone=milestone, done=not milestone.is_done, on=request.user.local_today()
    )
    if request.htmx:
        return goal_detail(request, milestone.goal_id)
    return redirect("stories:goal", pk=milestone.goal_id)


@login_required
@require_POST
def milestone_delete(request: MemberRequest, pk: int) -> HttpResponse:
    milestone = services.get_milestone_for(request.user, pk)
    services.delete_milestone(milestone=milestone)
    return redirect("stories:goal", pk=milestone.goal_id)
