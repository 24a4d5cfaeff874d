"""Settings pages for API tokens and webhook endpoints, and the API's documentation page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careertips.api.forms import EndpointForm, TokenForm
from careertips.api.models import ApiToken, WebhookEndpoint
from careertips.api.services import tokens, webhooks
from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html")


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: MemberRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, owner=request.user)
    new_secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            token, new_secret = tokens.create_token(
                owner=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = TokenForm(owner=request.user)
    context = {
        "form": form,
        "new_secret": new_secret,
        "tokens": ApiToken.objects.owned_by(request.user),
    }
    response = render(request, "api/tokens.html", context)
    if new_secret:
        response["Cache-Control"] = "no-store"  # the secret is shown this once, never cached
    return response


@login_required
@require_POST
def token_revoke(request: MemberRequest, pk: int) -> HttpResponse:
    token = tokens.get_token_for(request.user, pk)
    tokens.revoke_token(token=token)
    messages.success(request, f"Revoked “{token.name}”: it no longer works.")
    return redirect("api:tokens")


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request: MemberRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = webhooks.create_endpoint(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Endpoint added. Its signing secret is on its page.")
            return redirect("api:webhook", pk=endpoint.pk)
    endpoints = WebhookEndpoint.objects.owned_by(request.user)
    return render(request, "api/webhooks.html", {"form": form, "endpoints": endpoints})


@login_required
@require_GET
def webhook_detail(request: MemberRequest, pk: int) -> HttpResponse:
    endpoint = webhooks.get_endpoint_for(request.user, pk)
    deliveries = endpoint.deliveries.prefetch_related("attempt_log")[:50]
    context = {"endpoint": endpoint, "deliveries": deliveries, "events": webhooks.ALL_EVENTS}
    response = render(request, "api/webhook.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def webhook_enable(request: MemberRequest, pk: int) -> HttpResponse:
    endpoint = webhooks.get_endpoint_for(request.user, pk)
    webhooks.enable_endpoint(endpoint=endpoint)
    messages.success(request, "Endpoint turned back on.")
    return redirect("api:webhook", pk=pk)


@login_required
@require_POST
def webhook_test(request: MemberRequest, pk: int) -> HttpResponse:
    endpoint = webhooks.get_endpoint_for(request.user, pk)
    webhooks.send_test_event(endpoint=endpoint)
    messages.success(request, "A ping event is on its way.")
    return redirect("api:webhook", pk=pk)


@login_required
@require_POST
def webhook_delete(request: MemberRequest, pk: int) -> HttpResponse:
    endpoint = webhooks.get_endpoint_for(request.user, pk)
    webhooks.delete_endpoint(endpoint=endpoint)
    messages.success(request, "Endpoint deleted.")
    return redirect("api:webhooks")
