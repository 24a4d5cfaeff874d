from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from careertips.core.forms import add_service_errors
from careertips.core.http import (
    MemberRequest,
    paginate,
    query_without_page,
    safe_next,
    search_text,
    swaps,
)
from careertips.core.markdown import render_markdown
from careertips.core.pagecache import member_page_cache
from careertips.network import duplicates, exports, services, timeline
from careertips.network.forms import (
    ContactFilterForm,
    ContactForm,
    MergeForm,
    TouchpointForm,
    opportunity_options,
)
from careertips.network.models import Contact, Touchpoint

SORTS: dict[str, list[Any]] = {
    "name": ["name", "pk"],
    "next_touch": [F("next_touch_on").asc(nulls_last=True), "name"],
    "recent": [F("last_touched_on").desc(nulls_last=True), "name"],
    "warmth": ["-warmth", "name"],
}


def _filtered_contacts(request: MemberRequest, form: ContactFilterForm) -> QuerySet[Contact]:
    contacts = (
        Contact.objects.with_last_touch()
        .owned_by(request.user)
        .select_related("organization")
        .prefetch_related("tags")
    )
    data = form.cleaned_data if form.is_valid() else {}
    if q := (data.get("q") or "").strip():
        contacts = contacts.filter(
            Q(name__icontains=q)
            | Q(title__icontains=q)
            | Q(email__icontains=q)
            | Q(organization__name__icontains=q)
        )
    if relationship := data.get("relationship"):
        contacts = contacts.filter(relationship=relationship)
    if warmth := data.get("warmth"):
        contacts = contacts.filter(warmth=warmth)
    if tag := data.get("tag"):
        contacts = contacts.filter(tags=tag)
    if data.get("due"):
        contacts = contacts.touch_due(request.user.local_today())
    return contacts.order_by(*SORTS[data.get("sort") or "name"])


@login_required
@require_GET
def contact_list(request: MemberRequest) -> HttpResponse:
    form = ContactFilterForm(request.GET or None, owner=request.user)
    page = paginate(request, _filtered_contacts(request, form))
    context = {
        "filters": form,
        "page": page,
        "today": request.user.local_today(),
        "query": query_without_page(request),
    }
    template = "network/contact_list.html"
    if swaps(request, "contact-results"):
        template += "#results"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request: MemberRequest) -> HttpResponse:
    contact = Contact(owner=request.user)
    if org_pk := request.GET.get("organization", ""):
        contact.organization = (
            services.get_organization_for(request.user, int(org_pk)) if org_pk.isdigit() else None
        )
    return _contact_form(request, contact, "network/contact_form.html")


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: MemberRequest, pk: int) -> HttpResponse:
    contact = services.get_contact_for(request.user, pk)
    return _contact_form(request, contact, "network/contact_form.html")


def _contact_form(request: MemberRequest, contact: Contact, template: str) -> HttpResponse:
    form = ContactForm(request.POST or None, instance=contact, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.save_contact(
                contact=form.save(commit=False),
                tags=form.cleaned_data["tags"],
                new_organization=form.cleaned_data["new_organization"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved {contact.name}.")
            return redirect(contact)
    return render(request, template, {"form": form, "contact": contact})


@login_required
@member_page_cache
@require_GET
def contact_detail(request: MemberRequest, pk: int) -> HttpResponse:
    contact = services.get_contact_for(request.user, pk)
    whole = request.GET.get("timeline") == "all"
    found = timeline.contact_timeline(
        contact=contact, limit=timeline.LONG_LIMIT if whole else timeline.PAGE_LIMIT
    )
    contact_url = contact.get_absolute_url()
    context: dict[str, Any] = {
        "contact": contact,
        "today": request.user.local_today(),
        "timeline": found,
        "timeline_lines": timeline.render_lines(
            found.entries, csrf_input=csrf_input(request), next_url=contact_url
        ),
        "whole_timeline": whole,
        "contact_url": contact_url,
    }
    if swaps(request, "contact-activity"):
        return render(request, "network/contact_detail.html#activity", context)
    context |= {
        "tags": services.tag_names(contact=contact),
        "notes_html": render_markdown(contact.notes),
        "duplicates": duplicates.likely_duplicates(contact),
        "opportunity_options": opportunity_options(
            services.opportunities_to_mention(owner=request.user)
        ),
    }
    return render(request, "network/contact_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete(request: MemberRequest, pk: int) -> HttpResponse:
    contact = services.get_contact_for(request.user, pk)
    if request.method == "POST":
        services.delete_contact(contact=contact)
        messages.success(request, f"Deleted {contact.name}.")
        return redirect("network:contacts")
    return render(request, "network/confirm_delete.html", {"object": contact, "kind": "contact"})


@login_required
@require_POST
def touchpoint_log(request: MemberRequest, pk: int) -> HttpResponse:
    """Logs a touchpoint from the small form that appears wherever a contact does."""
    contact = services.get_contact_for(request.user, pk)
    form = TouchpointForm(request.POST, owner=request.user)
    touchpoint = None
    if form.is_valid():
        try:
            touchpoint = services.log_touchpoint(
                contact=contact,
                kind=form.cleaned_data["kind"],
                when=form.cleaned_data["happened_on"],
                note=form.cleaned_data["note"],
                event=form.cleaned_data["event"],
                opportunity=form.cleaned_data["opportunity"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if request.htmx:
        response = render(
            request,
            "network/_log_touchpoint.html",
            {
                "contact": contact,
                "event": touchpoint.event if touchpoint else form.cleaned_data.get("event"),
                "touch_form": form if touchpoint is None else None,
                "touch_logged": touchpoint,
                **_about(request, form),
            },
        )
        if touchpoint:
            trigger_client_event(response, "touchpoint-logged", {"contact": contact.pk})
        return response
    if touchpoint is None:
        return render(
            request,
            "network/log_touchpoint_page.html",
            {"contact": contact, "touch_form": form, **_about(request, form)},
            status=422,
        )
    messages.success(request, _logged_message(touchpoint))
    return redirect(safe_next(request, contact.get_absolute_url()))


def _about(request: MemberRequest, form: TouchpointForm) -> dict[str, Any]:
    """The redrawn form keeps the way it named the opportunity: a menu, or a fixed one."""
    if request.POST.get("choose_opportunity"):
        choices = services.opportunities_to_mention(owner=request.user)
        return {"opportunity_options": opportunity_options(choices, form.data.get("opportunity"))}
    return {"opportunity": form.cleaned_data.get("opportunity")}


def _logged_message(touchpoint: Touchpoint) -> str:
    contact = touchpoint.contact
    text = f"Logged: {touchpoint.get_kind_display().lower()} with {contact.name}."
    if contact.next_touch_on:
        text += f" Next touch {contact.next_touch_on:%-d %b %Y}."
    return text


@login_required
@require_POST
def touchpoint_delete(request: MemberRequest, pk: int) -> HttpResponse:
    touchpoint = services.get_touchpoint_for(request.user, pk)
    contact = touchpoint.contact
    services.delete_touchpoint(touchpoint=touchpoint)
    messages.success(request, "Touchpoint deleted.")
    return redirect(safe_next(request, contact.get_absolute_url()))


@login_required
@require_http_methods(["GET", "POST"])
def contact_merge(request: MemberRequest, pk: int) -> HttpResponse:
    contact = services.get_contact_for(request.user, pk)
    data = request.POST if request.method == "POST" else None
    initial = {"other": request.GET.get("other")} if request.GET.get("other", "").isdigit() else {}
    form = MergeForm(data, initial=initial, contact=contact)
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["other"]
        keep, drop = (contact, other) if form.cleaned_data["keep"] == "this" else (other, contact)
        try:
            kept = services.merge_contacts(keep=keep, other=drop)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Merged {drop.name} into {kept.name}.")
            return redirect(kept)
    return render(request, "network/contact_merge.html", _merge_context(request, contact, form))


def _merge_context(request: MemberRequest, contact: Contact, form: MergeForm) -> dict[str, Any]:
    other = None
    if form.is_bound:
        other = form.cleaned_data.get("other")  # only ever one of the member's own contacts
    elif (other_pk := request.GET.get("other", "")).isdigit():
        other = services.get_contact_for(request.user, int(other_pk))
    q = search_text(request)
    candidates = Contact.objects.owned_by(request.user).exclude(pk=contact.pk)
    if q:
        candidates = candidates.filter(Q(name__icontains=q) | Q(email__icontains=q))
    else:
        candidates = candidates.filter(
            pk__in=[
                c.pk
                for c in duplicates.find_duplicates(
                    owner=request.user,
                    name=contact.name,
                    email=contact.email,
                    profile_url=contact.profile_url,
                    organization_name=contact.organization.name if contact.organization else "",
                    exclude_pk=contact.pk,
                )
            ]
        )
    return {
        "contact": contact,
        "other": other,
        "form": form,
        "q": q,
        "candidates": candidates.select_related("organization")[:20],
    }


@login_required
@require_GET
def duplicate_list(request: MemberRequest) -> HttpResponse:
    groups = duplicates.duplicate_groups(owner=request.user)
    return render(request, "network/duplicates.html", {"groups": groups})


@login_required
@require_GET
def export_csv(request: MemberRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.export_csv_lines(request.user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = _attachment("csv")
    return response


@login_required
@require_GET
def export_vcard(request: MemberRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.export_vcard_lines(request.user), content_type="text/vcard; charset=utf-8"
    )
    response["Content-Disposition"] = _attachment("vcf")
    return response


def _attachment(extension: str) -> str:
    return f'attachment; filename="careertips-contacts-{timezone.localdate():%Y-%m-%d}.{extension}"'
