"""The public site: home, pages, alliances, testimonials, the contact form."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from careertips.core.abuse import client_ip, is_rate_limited
from careertips.pages import services, sitemaps
from careertips.pages.forms import (
    ContactForm,
    ShareStoryForm,
)
from careertips.pages.models import Alliance, Page, Testimonial

TOO_MANY = "Too many messages from your network in a short time. Please try again in an hour."


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    from careertips.newsletter.forms import SubscribeForm
    from careertips.newsletter.services import latest_published_issue

    return render(
        request,
        "pages/home.html",
        {
            "issue": latest_published_issue(),
            "testimonial": services.featured_testimonial(),
            "subscribe_form": SubscribeForm(initial={"source": "home"}),
            "feature_pages": Page.objects.filter(
                published=True, slug__in=["career-search", "career-enhancement"]
            ).order_by("nav_order"),
        },
    )


@require_GET
def page(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "pages/page.html", {"page": services.get_public_page(slug)})


@require_GET
@cache_control(max_age=86400, public=True)
def robots(request: HttpRequest) -> HttpResponse:
    return HttpResponse(sitemaps.robots_txt(), content_type="text/plain; charset=utf-8")


@require_GET
def alliances(request: HttpRequest) -> HttpResponse:
    rows = Alliance.objects.filter(published=True)
    return render(request, "pages/alliances.html", {"alliances": rows})


@require_GET
def testimonials(request: HttpRequest) -> HttpResponse:
    rows = Testimonial.objects.approved()
    return render(request, "pages/testimonials.html", {"testimonials": rows})


def share_story(request: HttpRequest) -> HttpResponse:
    form = ShareStoryForm(request.POST or None)
    if request.method == "POST":
        if is_rate_limited(request, scope="testimonial", limit=5):
            form.add_error(None, TOO_MANY)
            return render(request, "pages/share_story.html", {"form": form}, status=429)
        if form.is_valid():
            if not form.is_spam():
                data = {k: form.cleaned_data[k] for k in ("author_name", "author_title", "email")}
                services.submit_testimonial(
                    **data, body=form.cleaned_data["body"], ip=client_ip(request)
                )
            return redirect("pages:share-story-thanks")
    return render(request, "pages/share_story.html", {"form": form})


@require_GET
def share_story_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/share_story_thanks.html")


def contact(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if is_rate_limited(request, scope="contact", limit=5):
            form.add_error(None, TOO_MANY)
            return render(request, "pages/contact.html", {"form": form}, status=429)
        if form.is_valid():
            if not form.is_spam():
                fields = {k: form.cleaned_data[k] for k in ("name", "email", "subject", "body")}
                services.submit_contact_message(**fields, ip=client_ip(request))
            return redirect("pages:contact-thanks")
    return render(request, "pages/contact.html", {"form": form})


@require_GET
def contact_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/contact_thanks.html")
