"""Offer pages: recording an offer, comparing offers, the negotiation worksheet, accepting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST

from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest, safe_next, swaps
from careertips.offers.forms import (
    AcceptForm,
    CaseForm,
    CompareForm,
    ExchangeRateForm,
    MarketFigureForm,
    OfferForm,
    StepForm,
    TargetsForm,
)
from careertips.offers.models import ExchangeRate, Offer
from careertips.offers.services import (
    get_exchange_rate_for,
    get_market_figure_for,
    get_offer_for,
)
from careertips.offers.services.compare import (
    compare_offers,
    offer_rows,
    offers_to_compare,
    selectable_offers,
)
from careertips.offers.services.lifecycle import (
    Acceptance,
    accept_offer,
    create_offer,
    delete_offer,
    opportunities_to_close,
    update_offer,
    why_no_offer,
    why_not_accept,
)
from careertips.offers.services.money import (
    delete_exchange_rate,
    format_date,
    format_rate,
    save_exchange_rate,
)
from careertips.offers.services.negotiation import (
    add_market_figure,
    build_worksheet,
    delete_market_figure,
    log_negotiation_step,
    negotiation_of,
    set_case_stories,
    set_targets,
)
from careertips.pipeline.models import Stage
from careertips.pipeline.services import get_opportunity_for

WORKSHEET = "offers/negotiate.html"


def _posted(request: MemberRequest) -> Any:
    """The POST data, even when empty, so an empty submission still shows its errors."""
    return request.POST if request.method == "POST" else None


def _offers_url(opportunity_id: int) -> str:
    return reverse("pipeline:detail", args=[opportunity_id]) + "#offers"


def _flash_saved(request: MemberRequest, form: OfferForm, text: str) -> None:
    messages.success(request, text)
    if deadline := form.deadline_passed:
        messages.warning(
            request,
            f"The decision deadline, {format_date(deadline)}, has already passed. "
            "If you still need time to decide, ask them for it.",
        )


# Recording offers


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request: MemberRequest, pk: int) -> HttpResponse:
    opportunity = get_opportunity_for(request.user, pk)
    form = OfferForm(
        _posted(request),
        owner=request.user,
        instance=Offer(opportunity=opportunity),
        initial={"currency": opportunity.currency},
    )
    if request.method == "POST" and form.is_valid():
        try:
            create_offer(opportunity=opportunity, **form.offer_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            moved = " and moved it to the Offer stage" if opportunity.stage != Stage.OFFER else ""
            _flash_saved(request, form, f"Recorded the offer{moved}.")
            return redirect(_offers_url(opportunity.pk))
    context = {"form": form, "opportunity": opportunity, "blocked": why_no_offer(opportunity)}
    return render(request, "offers/offer_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request: MemberRequest, pk: int) -> HttpResponse:
    offer = get_offer_for(request.user, pk)
    form = OfferForm(_posted(request), owner=request.user, instance=offer)
    if request.method == "POST" and form.is_valid():
        try:
            update_offer(offer=offer, **form.offer_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _flash_saved(request, form, "Saved the offer.")
            return redirect(_offers_url(offer.opportunity_id))
    context = {"form": form, "opportunity": offer.opportunity, "offer": offer}
    return render(request, "offers/offer_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def offer_delete(request: MemberRequest, pk: int) -> HttpResponse:
    offer = get_offer_for(request.user, pk)
    if request.method == "POST":
        delete_offer(offer=offer)
        messages.success(request, "Deleted the offer and its worksheet.")
        return redirect(_offers_url(offer.opportunity_id))
    context = {"offer": offer, "opportunity": offer.opportunity}
    return render(request, "offers/offer_confirm_delete.html", context)


# Comparing offers


@login_required
@require_http_methods(["GET", "POST"])
def offer_compare(request: MemberRequest) -> HttpResponse:
    """Offers side by side; the page's POST saves an exchange rate and shows the page again."""
    rate_form = ExchangeRateForm(_posted(request), owner=request.user)
    if request.method == "POST" and rate_form.is_valid():
        try:
            rate = save_exchange_rate(owner=request.user, **rate_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(rate_form, error)
        else:
            messages.success(
                request,
                f"Saved your rate: 1 {rate.from_currency} = {format_rate(rate.rate)} "
                f"{rate.to_currency}, as of {format_date(rate.as_of)}.",
            )
            return redirect(request.get_full_path() + "#rates")
    response = render(request, "offers/compare.html", _compare_context(request, rate_form))
    patch_vary_headers(response, ["HX-Request"])
    return response


def _compare_context(request: MemberRequest, rate_form: ExchangeRateForm) -> dict[str, Any]:
    user = request.user
    form = CompareForm(request.GET or None)
    ids = form.value("ids")
    choices = selectable_offers(owner=user)
    offers = offers_to_compare(owner=user, ids=ids, selectable=choices)
    rates = list(ExchangeRate.objects.owned_by(user))
    comparison = compare_offers(
        offers=offers, rates=rates, today=user.local_today(), target_currency=form.value("currency")
    )
    if not rate_form.is_bound and comparison.missing_rates:
        source, target = comparison.missing_rates[0]
        rate_form.initial.update(from_currency=source, to_currency=target)
    return {
        "form": form,
        "comparison": comparison,
        "choices": choices,
        "chosen_ids": {offer.pk for offer in offers},
        "not_found": len(ids) - len(offers) if ids else 0,
        "rates": rates,
        "rate_form": rate_form,
    }


@login_required
@require_POST
def rate_delete(request: MemberRequest, pk: int) -> HttpResponse:
    rate = get_exchange_rate_for(request.user, pk)
    delete_exchange_rate(rate=rate)
    messages.success(request, f"Deleted your {rate.from_currency} → {rate.to_currency} rate.")
    return redirect(safe_next(request, reverse("offers:compare")))


# The negotiation worksheet


def _worksheet_context(request: MemberRequest, offer: Offer, **forms: Any) -> dict[str, Any]:
    user = request.user
    worksheet = build_worksheet(offer=offer)
    negotiation = worksheet.negotiation
    targets = {"basis": negotiation.basis, "target": negotiation.target}
    return {
        "worksheet": worksheet,
        "offer": offer,
        "opportunity": offer.opportunity,
        "row": offer_rows([offer], today=user.local_today())[0],
        "targets_form": forms.get("targets_form")
        or TargetsForm(initial={**targets, "walk_away": negotiation.walk_away}),
        "figure_form": forms.get("figure_form") or MarketFigureForm(owner=user, offer=offer),
        "case_form": forms.get("case_form")
        or CaseForm(owner=user, initial={"stories": [story.pk for story in worksheet.stories]}),
        "step_form": forms.get("step_form") or StepForm(owner=user, offer=offer),
        "status": forms.get("status", ""),
    }


def _render_worksheet(
    request: MemberRequest, offer: Offer, *, part: str, **forms: Any
) -> HttpResponse:
    """The whole worksheet, or under htmx only the part that changed."""
    partial = request.method == "POST" and swaps(request, part)
    template = f"{WORKSHEET}#{part}" if partial else WORKSHEET
    return render(request, template, _worksheet_context(request, offer, **forms))


def _worksheet_saved(
    request: MemberRequest, offer: Offer, *, part: str, message: str
) -> HttpResponse:
    if swaps(request, part):
        return _render_worksheet(request, offer, part=part, status=message)
    messages.success(request, message)
    return redirect(reverse("offers:negotiate", args=[offer.pk]) + f"#{part}")


def _save_part(
    request: MemberRequest,
    offer: Offer,
    form: BaseForm,
    *,
    part: str,
    form_name: str,
    save: Callable[[dict[str, Any]], object],
    message: str,
) -> HttpResponse:
    """Saves one part of the worksheet from a valid form, else shows the form's errors."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _worksheet_saved(request, offer, part=part, message=message)
    return _render_worksheet(request, offer, part=part, **{form_name: form})


@login_required
@require_http_methods(["GET", "POST"])
def offer_negotiate(request: MemberRequest, pk: int) -> HttpResponse:
    offer = get_offer_for(request.user, pk)
    if request.method != "POST":
        return _render_worksheet(request, offer, part="targets")
    return _save_part(
        request,
        offer,
        TargetsForm(request.POST),
        part="targets",
        form_name="targets_form",
        save=lambda data: set_targets(negotiation=negotiation_of(offer), **data),
        message="Targets saved.",
    )


@login_required
@require_POST
def figure_add(request: MemberRequest, pk: int) -> HttpResponse:
    offer = get_offer_for(request.user, pk)
    return _save_part(
        request,
        offer,
        MarketFigureForm(request.POST, owner=request.user, offer=offer),
        part="figures",
        form_name="figure_form",
        save=lambda data: add_market_figure(negotiation=negotiation_of(offer), **data),
        message="Figure added.",
    )


@login_required
@require_POST
def figure_delete(request: MemberRequest, pk: int) -> HttpResponse:
    figure = get_market_figure_for(request.user, pk)
    offer = figure.negotiation.offer
    delete_market_figure(figure=figure)
    return _worksheet_saved(request, offer, part="figures", message="Figure deleted.")


@login_required
@require_POST
def case_update(request: MemberRequest, pk: int) -> HttpResponse:
    offer = get_offer_for(request.user, pk)
    return _save_part(
        request,
        offer,
        CaseForm(request.POST, owner=request.user),
        part="case",
        form_name="case_form",
        save=lambda data: set_case_stories(
            negotiation=negotiation_of(offer), stories=data["stories"]
        ),
        message="Your case is saved.",
    )


@login_required
@require_POST
def step_add(request: MemberRequest, pk: int) -> HttpResponse:
    offer = get_offer_for(request.user, pk)
    return _save_part(
        request,
        offer,
        StepForm(request.POST, owner=request.user, offer=offer),
        part="log",
        form_name="step_form",
        save=lambda data: log_negotiation_step(negotiation=negotiation_of(offer), **data),
        message="Added to the log.",
    )


# Accepting an offer


@login_required
@require_http_methods(["GET", "POST"])
def offer_accept(request: MemberRequest, pk: int) -> HttpResponse:
    offer = get_offer_for(request.user, pk)
    blocked = why_not_accept(offer=offer, opportunity=offer.opportunity)
    form = AcceptForm(_posted(request), opportunities=opportunities_to_close(offer=offer))
    if request.method == "POST" and not blocked and form.is_valid():
        try:
            acceptance = accept_offer(offer=offer, decisions=form.decisions())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _accepted_message(acceptance))
            return redirect("pipeline:detail", pk=offer.opportunity_id)
    context = {
        "offer": offer,
        "opportunity": offer.opportunity,
        "row": offer_rows([offer], today=request.user.local_today())[0],
        "form": form,
        "blocked": blocked,
    }
    return render(request, "offers/accept.html", context)


def _accepted_message(acceptance: Acceptance) -> str:
    employer = acceptance.accepted.organization.name
    parts = [f"Congratulations on the new role at {employer}!"]
    if acceptance.closed:
        parts.append(f"Closed {_count(acceptance.closed)}.")
    if acceptance.kept_open:
        parts.append(f"Left {_count(acceptance.kept_open)} open.")
    return " ".join(parts)


def _count(n: int) -> str:
    return f"{n} other opportunit{'y' if n == 1 else 'ies'}"
