"""Staff pages of the public site: pages, alliances, testimonials, contact messages."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from careertips.core.decorators import role_required
from careertips.core.http import HtmxRequest, paginate
from careertips.core.markdown import markdown_previews, render_markdown
from careertips.core.roles import Role
from careertips.pages import services
from careertips.pages.forms import (
    AllianceForm,
    PageForm,
    PreviewForm,
    TestimonialForm,
)
from careertips.pages.models import Alliance, ContactMessage, Page, Testimonial

TESTIMONIAL_FILTERS = {
    "pending": Q(approved_at__isnull=True, rejected_at__isnull=True),
    "approved": Q(approved_at__isnull=False),
    "rejected": Q(rejected_at__isnull=False),
    "all": Q(),
}


@role_required(Role.EDITOR)
@require_GET
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    counts = {
        "pages": Page.objects.count(),
        "alliances": Alliance.objects.count(),
        "pending_testimonials": Testimonial.objects.pending().count(),
        "open_messages": ContactMessage.objects.filter(handled_at__isnull=True).count(),
    }
    return render(request, "pages/staff/dashboard.html", {"counts": counts})


@role_required(Role.EDITOR)
@require_POST
def staff_preview(request: HttpRequest) -> HttpResponse:
    source = request.POST.get("source", "")
    form = PreviewForm({"text": request.POST.get(source, "")})
    html = render_markdown(form.cleaned_data["text"]) if form.is_valid() else ""
    return render(
        request,
        "pages/staff/_preview.html",
        {"html": html, "errors": form.errors.get("text")},
    )


@role_required(Role.EDITOR)
@require_GET
def staff_pages(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/staff/pages.html", {"pages": Page.objects.all()})


@role_required(Role.EDITOR)
def staff_page_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = services.get_page_for(request.user, pk) if pk else None
    form = PageForm(request.POST or None, instance=instance)
    previews = markdown_previews(request, form, ["body"])
    if request.method == "POST" and not previews and form.is_valid():
        saved = form.save()
        messages.success(request, f"“{saved.title}” saved.")
        return redirect("pages:staff-pages")
    context = {"form": form, "page": instance, "previews": previews}
    return render(request, "pages/staff/page_form.html", context)


@role_required(Role.EDITOR)
@require_POST
def staff_page_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = services.get_page_for(request.user, pk)
    target.delete()
    messages.success(request, f"“{target.title}” deleted.")
    return redirect("pages:staff-pages")


@role_required(Role.EDITOR)
@require_GET
def staff_alliances(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/staff/alliances.html", {"alliances": Alliance.objects.all()})


@role_required(Role.EDITOR)
def staff_alliance_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = services.get_alliance_for(request.user, pk) if pk else None
    form = AllianceForm(request.POST or None, instance=instance)
    previews = markdown_previews(request, form, ["description"])
    if request.method == "POST" and not previews and form.is_valid():
        alliance = form.save(commit=False)
        if instance is None:
            alliance.position = services.next_alliance_position()
        alliance.save()
        messages.success(request, f"“{alliance.name}” saved.")
        return redirect("pages:staff-alliances")
    context = {"form": form, "alliance": instance, "previews": previews}
    return render(request, "pages/staff/alliance_form.html", context)


@role_required(Role.EDITOR)
@require_POST
def staff_alliance_move(request: HtmxRequest, pk: int) -> HttpResponse:
    alliance = services.get_alliance_for(request.user, pk)
    services.move_alliance(alliance=alliance, direction=request.POST.get("direction", ""))
    if request.htmx:
        return render(
            request,
            "pages/staff/alliances.html#alliance-list",
            {"alliances": Alliance.objects.all()},
        )
    return redirect("pages:staff-alliances")


@role_required(Role.EDITOR)
@require_POST
def staff_alliance_delete(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = services.get_alliance_for(request.user, pk)
    alliance.delete()
    messages.success(request, f"“{alliance.name}” removed.")
    return redirect("pages:staff-alliances")


@role_required(Role.EDITOR)
@require_GET
def staff_testimonials(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "pending")
    if state not in TESTIMONIAL_FILTERS:
        state = "pending"
    rows = Testimonial.objects.filter(TESTIMONIAL_FILTERS[state]).order_by("-created_at")
    page_obj = paginate(request, rows, 50)
    counts = Testimonial.objects.aggregate(
        **{name: Count("id", filter=condition) for name, condition in TESTIMONIAL_FILTERS.items()}
    )
    context = {"page_obj": page_obj, "state": state, "counts": counts}
    return render(request, "pages/staff/testimonials.html", context)


@role_required(Role.EDITOR)
def staff_testimonial_edit(request: HttpRequest, pk: int) -> HttpResponse:
    testimonial = services.get_testimonial_for(request.user, pk)
    form = TestimonialForm(request.POST or None, instance=testimonial)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Testimonial saved.")
        return redirect("pages:staff-testimonials")
    context = {"form": form, "testimonial": testimonial}
    return render(request, "pages/staff/testimonial_form.html", context)


@role_required(Role.EDITOR)
@require_POST
def staff_testimonial_decide(request: HtmxRequest, pk: int, decision: str) -> HttpResponse:
    testimonial = services.get_testimonial_for(request.user, pk)
    if decision == "approve":
        services.approve_testimonial(testimonial=testimonial)
    else:
        services.reject_testimonial(testimonial=testimonial)
    if request.htmx:
        return render(request, "pages/staff/testimonials.html#row", {"t": testimonial})
    messages.success(request, f"Testimonial from {testimonial.author_name} {testimonial.state}.")
    state = request.POST.get("state", "pending")
    state = state if state in TESTIMONIAL_FILTERS else "pending"
    return redirect(f"{reverse('pages:staff-testimonials')}?state={state}")


@role_required(Role.EDITOR)
@require_GET
def staff_messages(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("show") == "all"
    rows = ContactMessage.objects.all()
    if not show_all:
        rows = rows.filter(handled_at__isnull=True)
    page_obj = paginate(request, rows.defer("body"), 50)
    return render(
        request, "pages/staff/messages.html", {"page_obj": page_obj, "show_all": show_all}
    )


@role_required(Role.EDITOR)
@require_GET
def staff_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = services.get_contact_message_for(request.user, pk)
    return render(request, "pages/staff/message.html", {"message": message})


@role_required(Role.EDITOR)
@require_POST
def staff_message_handled(request: HttpRequest, pk: int) -> HttpResponse:
    message = services.get_contact_message_for(request.user, pk)
    handled = request.POST.get("handled", "1") == "1"
    services.mark_message_handled(message=message, handled=handled)
    messages.success(request, "Marked as handled." if handled else "Marked as open again.")
    return redirect("pages:staff-messages")
