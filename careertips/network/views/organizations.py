from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model, OuterRef
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest, paginate, query_without_page, search_text, swaps
from careertips.core.models import count_subquery
from careertips.network import services
from careertips.network.forms import OrganizationForm
from careertips.network.models import Contact, Event, Organization

DETAIL_LIMIT = 100


def _count_of(model: type[Model]) -> Coalesce:
    """How many of `model`'s rows belong to each organization."""
    rows = model._default_manager.filter(organization=OuterRef("pk"))
    return count_subquery(rows, by="organization")


@login_required
@require_GET
def organization_list(request: MemberRequest) -> HttpResponse:
    from careertips.pipeline.models import Opportunity

    organizations = Organization.objects.owned_by(request.user).annotate(
        contact_count=_count_of(Contact),
        opportunity_count=_count_of(Opportunity),
        event_count=_count_of(Event),
    )
    q = search_text(request)
    if q:
        organizations = organizations.filter(name__icontains=q)
    kind = request.GET.get("kind", "")
    if kind in Organization.Kind.values:
        organizations = organizations.filter(kind=kind)
    context = {
        "page": paginate(request, organizations.order_by("name", "pk")),
        "q": q,
        "kind": kind,
        "kinds": Organization.Kind.choices,
        "query": query_without_page(request),
    }
    template = "network/organization_list.html"
    if swaps(request, "organization-results"):
        template += "#results"
    return render(request, template, context)


@login_required
@require_GET
def organization_detail(request: MemberRequest, pk: int) -> HttpResponse:
    organization = services.get_organization_for(request.user, pk)
    people = organization.contacts.select_related("organization").with_last_touch()  # type: ignore[attr-defined]
    to_meet = organization.members_to_meet.exclude(organization=organization)  # type: ignore[attr-defined]
    now = timezone.now()
    events = organization.events.all()  # type: ignore[attr-defined]
    context = {
        "organization": organization,
        "page": paginate(request, people.order_by("name", "pk")),
        "to_meet": list(to_meet.select_related("organization")[:DETAIL_LIMIT]),
        "opportunities": list(
            organization.opportunities.order_by("-stage_changed_at")[:DETAIL_LIMIT]  # type: ignore[attr-defined]
        ),
        "upcoming": list(events.filter(starts_at__gte=now).order_by("starts_at")[:DETAIL_LIMIT]),
        "past": list(events.filter(starts_at__lt=now).order_by("-starts_at")[:DETAIL_LIMIT]),
        "today": request.user.local_today(),
    }
    return render(request, "network/organization_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organization_new(request: MemberRequest) -> HttpResponse:
    return _organization_form(request, Organization(owner=request.user))


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: MemberRequest, pk: int) -> HttpResponse:
    return _organization_form(request, services.get_organization_for(request.user, pk))


def _organization_form(request: MemberRequest, organization: Organization) -> HttpResponse:
    form = OrganizationForm(request.POST or None, instance=organization, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.save_organization(organization=form.save(commit=False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved {organization.name}.")
            return redirect(organization)
    context = {"form": form, "organization": organization}
    return render(request, "network/organization_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organization_delete(request: MemberRequest, pk: int) -> HttpResponse:
    organization = services.get_organization_for(request.user, pk)
    if request.method == "POST":
        try:
            services.delete_organization(organization=organization)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(organization)
        messages.success(request, f"Deleted {organization.name}.")
        return redirect("network:organizations")
    context = {
        "object": organization,
        "kind": "organization",
        "blocked": organization.opportunities.exists(),  # type: ignore[attr-defined]
        "consequence": "Its people stay in your network without an organization.",
    }
    return render(request, "network/confirm_delete.html", context)
