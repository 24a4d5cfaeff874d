"""The newsletter's public side: archive, search, subscribing, unsubscribing, Ask Career Tips."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from careertips.core.abuse import client_ip, is_rate_limited
from careertips.core.http import HtmxRequest, swaps
from careertips.newsletter import services, tokens
from careertips.newsletter.forms import AskForm, SearchForm, SubscribeForm
from careertips.newsletter.models import Subscriber

TOO_MANY = "Too many requests from your network in a short time. Please try again in an hour."


# The archive -------------------------------------------------------------------------------


@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    context = {
        "volumes": services.archive_volumes(),
        "search_form": SearchForm(),
        "subscribe_form": SubscribeForm(initial={"source": "archive"}),
    }
    return render(request, "newsletter/archive.html", context)


@require_GET
def issue(request: HttpRequest, volume: int, number: int) -> HttpResponse:
    found = services.get_published_issue(volume=volume, number=number)
    older, newer = services.neighbours(found)
    context = {
        "issue": found,
        "articles": found.articles.all(),
        "older": older,
        "newer": newer,
        "subscribe_form": SubscribeForm(initial={"source": "issue"}),
    }
    return render(request, "newsletter/issue.html", context)


@require_GET
def article(request: HttpRequest, volume: int, number: int, slug: str) -> HttpResponse:
    found = services.get_published_article(volume=volume, number=number, slug=slug)
    siblings = found.issue.articles.exclude(pk=found.pk).only("title", "slug", "kind")
    context = {
        "article": found,
        "issue": found.issue,
        "siblings": siblings,
        "subscribe_form": SubscribeForm(initial={"source": "issue"}),
    }
    return render(request, "newsletter/article.html", context)


@require_GET
def search(request: HtmxRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        results = services.search_articles(query=form.cleaned_data["q"])
    partial = swaps(request, "results")
    template = "newsletter/search.html#results" if partial else "newsletter/search.html"
    return render(request, template, {"form": form, "results": results})


# Subscribing -------------------------------------------------------------------------------


def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None, initial={"source": "subscribe"})
    if request.method == "POST":
        if is_rate_limited(request, scope="subscribe", limit=10):
            form.add_error(None, TOO_MANY)
            return render(request, "newsletter/subscribe.html", {"form": form}, status=429)
        if form.is_valid():
            # The same answer for every address, new, known or suppressed (see the service).
            if not form.is_spam():
                services.request_subscription(
                    email=form.cleaned_data["email"],
                    name=form.cleaned_data["name"],
                    ip=client_ip(request),
                    source=form.consent_source(),
                )
            return redirect("newsletter:subscribe-thanks")
    return render(request, "newsletter/subscribe.html", {"form": form})


@require_GET
def subscribe_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/subscribe_thanks.html")


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/invalid_link.html", status=404)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button: link scanners that fetch the URL confirm nobody."""
    subscriber = tokens.read_token(purpose="confirm", token=token, max_age=tokens.CONFIRM_MAX_AGE)
    if subscriber is None:
        return _invalid_link(request)
    if request.method == "POST":
        services.confirm_subscription(subscriber=subscriber, ip=client_ip(request))
        subscriber.refresh_from_db(fields=["status"])
        if subscriber.status == Subscriber.Status.ACTIVE:
            return redirect("newsletter:confirmed")
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})


@require_GET
def confirmed(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/confirmed.html")


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every email: GET asks, POST unsubscribes."""
    subscriber = tokens.read_token(purpose="unsubscribe", token=token)
    if subscriber is None:
        return _invalid_link(request)
    if request.method == "POST":
        services.unsubscribe(subscriber=subscriber, how="unsubscribe page")
        return redirect("newsletter:unsubscribed")
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})


@require_GET
def unsubscribed(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/unsubscribed.html")


@csrf_exempt  # mail providers POST here without a session or token (RFC 8058)
@require_http_methods(["GET", "POST"])
def one_click_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":  # someone opened the header link: ask, as the body link does
        return redirect("newsletter:unsubscribe", token=token)
    if request.POST.get("List-Unsubscribe") != "One-Click":
        return HttpResponseBadRequest(
            "Expected List-Unsubscribe=One-Click.", content_type="text/plain"
        )
    subscriber = tokens.read_token(purpose="unsubscribe", token=token)
    if subscriber is None:
        return HttpResponse("Unknown or damaged link.", status=404, content_type="text/plain")
    services.unsubscribe(subscriber=subscriber, how="one-click")
    return HttpResponse("You are unsubscribed from Career Tips.", content_type="text/plain")


# Ask Career Tips ---------------------------------------------------------------------------


def ask(request: HttpRequest) -> HttpResponse:
    form = AskForm(request.POST or None)
    if request.method == "POST":
        if is_rate_limited(request, scope="ask", limit=5):
            form.add_error(None, TOO_MANY)
            return render(request, "newsletter/ask.html", {"form": form}, status=429)
        if form.is_valid():
            if not form.is_spam():
                fields = ("email", "question", "display_name", "consent_to_publish")
                services.submit_question(
                    **{name: form.cleaned_data[name] for name in fields}, ip=client_ip(request)
                )
            return redirect("newsletter:ask-thanks")
    return render(request, "newsletter/ask.html", {"form": form})


@require_GET
def ask_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/ask_thanks.html")
