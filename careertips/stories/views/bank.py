"""The story bank, competencies, debrief themes and gaps."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest, paginate, swaps
from careertips.core.prepared import Prepared, PreparedList
from careertips.debriefs.models import FeedbackTheme
from careertips.stories import reports, services
from careertips.stories.forms import (
    CompetencyForm,
    GapForm,
    NewGapForm,
    RevisionDiffForm,
    StoryChoiceForm,
    StoryFilterForm,
    StoryForm,
    StoryUseForm,
)
from careertips.stories.models import Competency, Gap, Story, StoryQuerySet, distinct_names
from careertips.stories.rows import BankStory, story_row
from careertips.stories.services import GAP_THEMES, STORY_THEMES
from careertips.stories.views.common import redirect_back

STORIES_PER_PAGE = 50


# The story bank.


# A story as the bank lists it, read as plain values (see BankStory).
BANK_COLUMNS = tuple(field.name for field in dataclasses.fields(BankStory))  # in its order


def _bank(stories: StoryQuerySet) -> StoryQuerySet:
    return stories.annotate(
        uses_count=Count("uses", distinct=True),
        themes_count=Count("feedback_themes", distinct=True),
    ).order_by("-updated_at", "-id")


# The whole bank, the list a member opens, compiled once per process (core.prepared); the
# organizations its filter offers likewise.
_WHOLE_BANK = Prepared(
    lambda owner: _bank(Story.objects.filter(owner_id=owner)).values_list(*BANK_COLUMNS),
    owner=int,
)
_STORY_IDS = Prepared(
    lambda owner: Story.objects.filter(owner_id=owner).values_list("pk").order_by(), owner=int
)
_ORGANIZATION_NAMES = Prepared(
    lambda owner: (
        Story.objects.filter(owner_id=owner)
        .exclude(organization_name="")
        .values_list("organization_name")
        .order_by()
    ),
    owner=int,
)


def _filtered_stories(request: MemberRequest, form: StoryFilterForm) -> Any:
    """The bank's rows (BANK_COLUMNS) the filters ask for, newest first; or by rank for a
    search."""
    data = form.cleaned_data if form.is_valid() else {}
    if not any(data.values()):
        return PreparedList(_WHOLE_BANK, counted=_STORY_IDS, owner=request.user.pk)
    stories = _bank(Story.objects.owned_by(request.user))
    if data["competency"]:
        stories = stories.filter(competencies=data["competency"])
    if data["organization"]:
        stories = stories.at_organization(data["organization"], since_year=data["since"])
    elif data["since"]:
        stories = stories.filter(year__gte=data["since"])
    rows = stories.values_list(*BANK_COLUMNS)
    if data["q"]:
        ids = reports.search_stories(owner=request.user, text=data["q"])
        rank = {pk: i for i, pk in enumerate(ids)}
        return sorted(rows.filter(pk__in=ids), key=lambda row: rank[row[0]])
    return rows


def _competency_names(story_ids: list[int]) -> dict[int, list[str]]:
    """Each story's competency names in the competencies' order: one query of plain values,
    where a prefetch builds a model instance per tag."""
    if not story_ids:
        return {}
    pairs = (
        Story.competencies.through.objects.filter(story_id__in=story_ids)
        .order_by(Lower("competency__name"), "competency_id")
        .values_list("story_id", "competency__name")
    )
    names: dict[int, list[str]] = {}
    for story_id, name in pairs:
        names.setdefault(story_id, []).append(name)
    return names


@login_required
def story_list(request: MemberRequest) -> HttpResponse:
    organizations = distinct_names(name for (name,) in _ORGANIZATION_NAMES(owner=request.user.pk))
    form = StoryFilterForm(request.GET or None, owner=request.user, organizations=organizations)
    page = paginate(request, _filtered_stories(request, form), STORIES_PER_PAGE)
    page.object_list = [BankStory(*row) for row in page.object_list]
    log = form.cleaned_data if form.is_valid() and form.cleaned_data["organization"] else None
    names = _competency_names([story.pk for story in page.object_list])
    # Page links keep the filters.
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [
            story_row(story, competency_names=" · ".join(names.get(story.pk, ())))
            for story in page.object_list
        ],
        "log": log,
        "query": query.urlencode(),
    }
    template = "stories/list.html#results" if swaps(request, "results") else "stories/list.html"
    return render(request, template, context)


def _theme_from(request: MemberRequest) -> FeedbackTheme | None:
    """The debrief theme a new story answers, if the member passed one of theirs."""
    pk = request.POST.get("theme") or request.GET.get("theme")
    if not (pk and str(pk).isdigit()):
        return None
    return (
        FeedbackTheme.objects.filter(debrief__owner=request.user, pk=pk)
        .select_related("debrief__opportunity__organization")
        .first()
    )


@login_required
def story_create(request: MemberRequest) -> HttpResponse:
    theme = _theme_from(request)
    initial = {"title": theme.detail} if theme and theme.detail else {}
    form = StoryForm(request.POST or None, owner=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            story = services.create_story(owner=request.user, theme=theme, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Story added to your bank.")
            return redirect("stories:detail", pk=story.pk)
    return render(request, "stories/story_form.html", {"form": form, "theme": theme})


@login_required
def story_detail(
    request: MemberRequest, pk: int, use_form: StoryUseForm | None = None
) -> HttpResponse:
    story = services.get_story_for(request.user, pk)
    revisions = list(story.revisions.order_by("-number"))
    numbers = [r.number for r in revisions]
    diff_form = RevisionDiffForm(
        numbers=sorted(numbers),
        initial={
            "a": numbers[1] if len(numbers) > 1 else None,
            "b": numbers[0] if numbers else None,
        },
    )
    context = {
        "story": story,
        "competencies": list(story.competencies.all()),
        "revisions": revisions,
        "diff_form": diff_form,
        "uses": story.uses.select_related("interview__opportunity__organization"),
        "themes": story.feedback_themes.select_related("debrief__opportunity__organization"),
        "coverages": story.coverages.select_related("requirement__opportunity__organization"),
        "gaps": story.gaps.all(),
        "use_form": use_form or StoryUseForm(owner=request.user),
    }
    return render(request, "stories/story_detail.html", context)


@login_required
def story_edit(request: MemberRequest, pk: int) -> HttpResponse:
    story = services.get_story_for(request.user, pk)
    if request.method != "POST":
        form = StoryForm(instance=story, owner=request.user)
        return render(request, "stories/story_form.html", {"form": form, "story": story})
    # Validate against a scratch instance: the service, not the form, changes the story so
    # that it can compare before and after and keep the revision history.
    form = StoryForm(request.POST, instance=Story(owner=request.user), owner=request.user)
    if form.is_valid():
        try:
            changed = services.update_story(story=story, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved a new revision." if changed else "No changes.")
            return redirect("stories:detail", pk=story.pk)
    return render(request, "stories/story_form.html", {"form": form, "story": story})


@login_required
def story_delete(request: MemberRequest, pk: int) -> HttpResponse:
    story = services.get_story_for(request.user, pk)
    if request.method == "POST":
        services.delete_story(story=story)
        messages.success(request, f"Deleted “{story.title}”.")
        return redirect("stories:list")
    return render(request, "stories/confirm_delete.html", {"object": story, "what": "story"})


@login_required
def story_diff(request: MemberRequest, pk: int) -> HttpResponse:
    story = services.get_story_for(request.user, pk)
    revisions = {r.number: r for r in story.revisions.all()}
    form = RevisionDiffForm(request.GET or None, numbers=sorted(revisions))
    lines = None
    if form.is_valid():
        older, newer = sorted([form.cleaned_data["a"], form.cleaned_data["b"]])
        lines = services.diff_revisions(older=revisions[older], newer=revisions[newer])
    return render(request, "stories/diff.html", {"story": story, "form": form, "lines": lines})


@login_required
@require_POST
def story_add_use(request: MemberRequest, pk: int) -> HttpResponse:
    story = services.get_story_for(request.user, pk)
    form = StoryUseForm(request.POST, owner=request.user)
    if form.is_valid():
        try:
            services.record_story_use(story=story, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Noted where you used this story.")
            return redirect_back(request, reverse("stories:detail", args=[story.pk]))
    return story_detail(request, pk, use_form=form)


@login_required
@require_POST
def story_use_delete(request: MemberRequest, pk: int) -> HttpResponse:
    use = services.get_story_use_for(request.user, pk)
    services.delete_story_use(use=use)
    return redirect_back(request, reverse("stories:detail", args=[use.story_id]))


# Competencies.


@login_required
def competencies(request: MemberRequest) -> HttpResponse:
    form = CompetencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            competency = services.add_competency(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Added “{competency.name}”.")
            return redirect("stories:competencies")
    rows = Competency.objects.available_to(request.user).annotate(
        story_count=Count("stories", filter=Q(stories__owner=request.user))
    )
    return render(request, "stories/competencies.html", {"form": form, "competencies": rows})


@login_required
@require_POST
def competency_delete(request: MemberRequest, pk: int) -> HttpResponse:
    competency = services.get_competency_for(request.user, pk)
    services.delete_competency(competency=competency)
    messages.success(request, f"Removed “{competency.name}”.")
    return redirect("stories:competencies")


# Debrief themes lead here.


@login_required
def from_theme(request: MemberRequest, theme_pk: int) -> HttpResponse:
    theme = services.get_theme_for(request.user, theme_pk)
    if theme.theme in GAP_THEMES:
        gap = services.gap_for_theme(theme=theme)
        return redirect("stories:gap", pk=gap.pk)
    if theme.theme not in STORY_THEMES:
        messages.info(request, "That feedback is not about a story or a gap.")
        return redirect("stories:list")
    form = StoryChoiceForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        story = form.cleaned_data["story"]
        services.link_theme_to_story(theme=theme, story=story)
        messages.success(request, "Linked the feedback: now strengthen the story.")
        return redirect("stories:edit", pk=story.pk)
    text = theme.detail or theme.debrief.opportunity.title
    ranked = reports.rank_stories(owner=request.user, texts={0: text}, limit=5).get(0, [])
    context = {"theme": theme, "form": form, "ranked": ranked, "linked": theme.stories.all()}
    return render(request, "stories/from_theme.html", context)


# Gaps.


@login_required
def gap_list(request: MemberRequest) -> HttpResponse:
    form = NewGapForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            gap = services.create_gap(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("stories:gap", pk=gap.pk)
    gaps = (
        Gap.objects.owned_by(request.user)
        .select_related(
            "theme__debrief__opportunity__organization", "requirement__opportunity__organization"
        )
        .annotate(story_count=Count("stories"))
    )
    context = {
        "gaps": gaps,
        "pending": services.pending_gap_themes(owner=request.user),
        "form": form,
    }
    return render(request, "stories/gap_list.html", context)


@login_required
def gap_detail(request: MemberRequest, pk: int) -> HttpResponse:
    gap = services.get_gap_for(request.user, pk)
    initial = {"topic": gap.topic, "positioning": gap.positioning, "stories": gap.stories.all()}
    form = GapForm(request.POST or None, owner=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_gap(gap=gap, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Gap saved.")
            return redirect("stories:gap", pk=gap.pk)
    suggestions = reports.rank_stories(owner=request.user, texts={0: gap.topic}, limit=5)
    context = {"gap": gap, "form": form, "suggestions": suggestions.get(0, [])}
    return render(request, "stories/gap_detail.html", context)


@login_required
def gap_delete(request: MemberRequest, pk: int) -> HttpResponse:
    gap = services.get_gap_for(request.user, pk)
    if request.method == "POST":
        services.delete_gap(gap=gap)
        messages.success(request, "Gap deleted.")
        return redirect("stories:gaps")
    return render(request, "stories/confirm_delete.html", {"object": gap, "what": "gap"})
