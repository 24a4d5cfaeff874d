"""The résumé pages: master material, tailored versions with their coverage check, cover
letters, and their downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest
from careertips.pipeline.services import get_opportunity_for
from careertips.resumes import exports, services, tailoring
from careertips.resumes.forms import (
    BulletForm,
    CredentialForm,
    ExportForm,
    LetterForm,
    PositionForm,
    ProfileForm,
    RewriteForm,
    VersionForm,
)
from careertips.resumes.models import (
    Bullet,
    CoverLetter,
    Credential,
    Position,
    ResumeVersion,
)
from careertips.stories.models import Story

# The master material.


@login_required
def home(request: MemberRequest) -> HttpResponse:
    owner = request.user
    bullets = Bullet.objects.select_related("story").order_by("-story__strength", "id")
    positions = Position.objects.owned_by(owner).prefetch_related(
        Prefetch("bullets", queryset=bullets)
    )
    unplaced = (
        Story.objects.owned_by(owner)
        .filter(resume_bullet__position__isnull=True)
        .select_related("resume_bullet")
        .only("title", "strength", "resume_bullet__text")
    )
    context = {
        "profile": services.profile_of(owner),
        "positions": positions,
        "credentials": Credential.objects.owned_by(owner),
        "unplaced": unplaced,
    }
    return render(request, "resumes/home.html", context)


@login_required
def profile_edit(request: MemberRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=services.profile_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.save_profile(owner=request.user, form=form)
        messages.success(request, "Profile saved.")
        return redirect("resumes:home")
    return render(request, "resumes/form.html", {"form": form, "title": "Your profile"})


@login_required
def position_create(request: MemberRequest) -> HttpResponse:
    form = PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.save_position(owner=request.user, form=form)
        messages.success(request, "Position added.")
        return redirect("resumes:home")
    return render(request, "resumes/form.html", {"form": form, "title": "Add a position"})


@login_required
def position_edit(request: MemberRequest, pk: int) -> HttpResponse:
    position = services.get_position_for(request.user, pk)
    form = PositionForm(request.POST or None, instance=position)
    if request.method == "POST" and form.is_valid():
        services.save_position(owner=request.user, form=form)
        messages.success(request, "Position saved.")
        return redirect("resumes:home")
    context = {"form": form, "title": f"Edit: {position}", "position": position}
    return render(request, "resumes/form.html", context)


@login_required
@require_POST
def position_delete(request: MemberRequest, pk: int) -> HttpResponse:
    position = services.get_position_for(request.user, pk)
    services.delete_position(position=position)
    messages.success(request, "Position deleted; its stories stay in your bank.")
    return redirect("resumes:home")


@login_required
def credential_create(request: MemberRequest) -> HttpResponse:
    form = CredentialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.save_credential(owner=request.user, form=form)
        return redirect("resumes:home")
    title = "Add education or a certification"
    return render(request, "resumes/form.html", {"form": form, "title": title})


@login_required
@require_POST
def credential_delete(request: MemberRequest, pk: int) -> HttpResponse:
    credential = services.get_credential_for(request.user, pk)
    services.delete_credential(credential=credential)
    return redirect("resumes:home")


@login_required
def bullet_edit(request: MemberRequest, story_pk: int) -> HttpResponse:
    story = services.get_story_for(request.user, story_pk)
    bullet = getattr(story, "resume_bullet", None)
    suggestion = services.suggested_bullet(story)
    initial = {
        "text": bullet.text if bullet else suggestion,
        "position": bullet.position_id if bullet else None,
    }
    form = BulletForm(request.POST or None, initial=initial, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_bullet(story=story, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Bullet saved.")
            return redirect("resumes:home")
    context = {"form": form, "story": story, "bullet": bullet, "suggestion": suggestion}
    return render(request, "resumes/bullet_form.html", context)


# Tailored versions.


@login_required
def version_list(request: MemberRequest) -> HttpResponse:
    versions = ResumeVersion.objects.owned_by(request.user).for_list()
    return render(request, "resumes/version_list.html", {"versions": versions})


@login_required
def opportunity_resumes(request: MemberRequest, opportunity_pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, opportunity_pk)
    context = {
        "opportunity": opportunity,
        "versions": services.versions_for(opportunity=opportunity),
        "letter": CoverLetter.objects.filter(opportunity=opportunity).first(),
        "requirement_count": opportunity.requirements.count(),
    }
    return render(request, "resumes/opportunity.html", context)


@login_required
@require_POST
def tailor(request: MemberRequest, opportunity_pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, opportunity_pk)
    try:
        version = services.tailor_resume(owner=request.user, opportunity=opportunity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("resumes:opportunity", opportunity_pk=opportunity.pk)
    messages.success(request, "Tailored to this posting. Hide, reorder or reword as you like.")
    return redirect(version)


def _editor(
    request: MemberRequest, version: ResumeVersion, form: VersionForm | None = None
) -> HttpResponse:
    items = list(version.bullets.select_related("position").order_by("order", "id"))
    groups: dict[int, dict] = {}
    for item in items:
        group = groups.setdefault(item.position_id, {"position": item.position, "items": []})
        group["items"].append(item)
    initial = {"headline": version.headline, "summary": version.summary, "skills": version.skills}
    context = {
        "version": version,
        "opportunity": version.opportunity,
        "groups": list(groups.values()),
        "check": tailoring.coverage_check(version=version),
        "form": form or VersionForm(initial=initial),
        "templates": exports.TEMPLATES,
    }
    template = "resumes/version.html#workspace" if request.htmx else "resumes/version.html"
    return render(request, template, context)


@login_required
def version(request: MemberRequest, pk: int) -> HttpResponse:
    return _editor(request, services.get_version_for(request.user, pk))


def _after_edit(request: MemberRequest, version: ResumeVersion) -> HttpResponse:
    if request.htmx:
        return _editor(request, version)
    return redirect(version)


@login_required
@require_POST
def version_update(request: MemberRequest, pk: int) -> HttpResponse:
    version = services.get_version_for(request.user, pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.update_version(version=version, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _after_edit(request, version)
    return _editor(request, version, form)


@login_required
@require_POST
def version_sent(request: MemberRequest, pk: int) -> HttpResponse:
    version = services.get_version_for(request.user, pk)
    services.mark_sent(version=version, sent=request.POST.get("sent", "1") == "1")
    return redirect(version)


@login_required
def version_delete(request: MemberRequest, pk: int) -> HttpResponse:
    version = services.get_version_for(request.user, pk)
    if request.method == "POST":
        opportunity_pk = version.opportunity_id
        services.delete_version(version=version)
        messages.success(request, "Version deleted.")
        return redirect("resumes:opportunity", opportunity_pk=opportunity_pk)
    return render(request, "resumes/confirm_delete.html", {"thing": version})


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _template(request: MemberRequest) -> str:
    form = ExportForm(request.GET or None)
    return form.cleaned_data["template"] if form.is_valid() else "classic"


@login_required
def version_export(request: MemberRequest, pk: int, fmt: str) -> HttpResponse:
    version = services.get_version_for(request.user, pk)
    if fmt not in exports.FORMATS:
        raise Http404("No such format.")
    content = exports.export_resume(version, fmt=fmt, template=_template(request))
    name = exports.file_name("resume", version.opportunity, version.pk, fmt)
    return _download(content, fmt, name)


@login_required
@require_POST
def item_rewrite(request: MemberRequest, pk: int) -> HttpResponse:
    item = services.get_version_bullet_for(request.user, pk)
    form = RewriteForm(request.POST)
    if form.is_valid():
        try:
            services.rewrite_bullet(item=item, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, "A bullet needs text, under 300 characters.")
    return _after_edit(request, item.version)


@login_required
@require_POST
def item_hide(request: MemberRequest, pk: int) -> HttpResponse:
    item = services.get_version_bullet_for(request.user, pk)
    services.set_bullet_hidden(item=item, hidden=request.POST.get("hidden", "1") == "1")
    return _after_edit(request, item.version)


@login_required
@require_POST
def item_move(request: MemberRequest, pk: int) -> HttpResponse:
    item = services.get_version_bullet_for(request.user, pk)
    services.move_bullet(item=item, up=request.POST.get("direction") == "up")
    return _after_edit(request, item.version)


# The cover letter.


@login_required
def letter(request: MemberRequest, opportunity_pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, opportunity_pk)
    current = CoverLetter.objects.filter(opportunity=opportunity).first()
    initial = {}
    if current:
        initial = {
            "salutation": current.salutation,
            "body": current.body,
            "closing": current.closing,
            "signature": current.signature,
        }
    form = LetterForm(request.POST or None, initial=initial)
    if request.method == "POST" and current and form.is_valid():
        try:
            services.update_letter(letter=current, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Letter saved.")
            return redirect("resumes:letter", opportunity_pk=opportunity.pk)
    context = {
        "opportunity": opportunity,
        "letter": current,
        "form": form,
        "templates": exports.TEMPLATES,
    }
    return render(request, "resumes/letter.html", context)


@login_required
@require_POST
def letter_draft(request: MemberRequest, opportunity_pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, opportunity_pk)
    services.draft_letter(owner=request.user, opportunity=opportunity)
    messages.success(request, "Drafted from your stories. Make it yours.")
    return redirect("resumes:letter", opportunity_pk=opportunity.pk)


@login_required
def letter_export(request: MemberRequest, pk: int, fmt: str) -> HttpResponse:
    current = services.get_letter_for(request.user, pk)
    if fmt not in exports.FORMATS:
        raise Http404("No such format.")
    content = exports.export_letter(current, fmt=fmt, template=_template(request))
    name = exports.file_name("cover-letter", current.opportunity, current.pk, fmt)
    return _download(content, fmt, name)
