"""Capturing a posting: from an address read by the worker, or from the bookmarklet; both
end on the opportunity form for review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careertips.core.abuse import hit_limit
from careertips.core.forms import add_service_errors
from careertips.core.http import MemberRequest, client_redirect
from careertips.pipeline.capture import (
    MAX_DESCRIPTION_CHARS,
    CapturedPosting,
    bookmarklet_code,
    posting_from_page,
)
from careertips.pipeline.forms import (
    CapturedOpportunityForm,
    CaptureUrlForm,
)
from careertips.pipeline.models import (
    PostingCapture,
)
from careertips.pipeline.services import (
    create_captured_opportunity,
    employer_named,
    find_duplicates,
    get_capture_for,
    start_capture,
)
from careertips.pipeline.views.opportunities import (
    employer_from_form,
    full_menu_url,
    people_from_form,
)

# Capturing a posting ---------------------------------------------------------------------------

CAPTURE_POLL_SECONDS = 1
TYPED_FIELDS = ("posting_url", "title", "organization_name")
# Each capture makes this server fetch a page: a member's pace, not a crawler's.
CAPTURES_PER_HOUR = 30
CAPTURE_LIMITED = (
    f"You have read {CAPTURES_PER_HOUR} postings in the last hour; try again later, "
    "or fill in the form by hand."
)
# What the bookmarklet may send: a page's JSON-LD blocks, each capped, and a selection.
BOOKMARKLET_MAX_BLOCKS = 5
BOOKMARKLET_MAX_CHARS = 200_000


@login_required
@require_http_methods(["GET", "POST"])
def capture_start(request: MemberRequest) -> HttpResponse:
    form = CaptureUrlForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if hit_limit(
            scope="posting-capture", identity=str(request.user.pk), limit=CAPTURES_PER_HOUR,
            window=3600,
        ):  # fmt: skip
            form.add_error("url", CAPTURE_LIMITED)
        else:
            capture = start_capture(owner=request.user, url=form.cleaned_data["url"])
            return redirect("pipeline:capture", pk=capture.pk)
    return render(request, "pipeline/capture.html", {"url_form": form})


@login_required
@require_GET
def capture_detail(request: MemberRequest, pk: int) -> HttpResponse:
    capture = get_capture_for(request.user, pk)
    if capture.is_reading:
        template = "pipeline/capture.html#progress" if request.htmx else "pipeline/capture.html"
        context = {"capture": capture, "poll_seconds": CAPTURE_POLL_SECONDS}
        return render(request, template, context)
    if request.htmx:
        return client_redirect(request, request.path)
    if capture.status == PostingCapture.Status.FAILED:
        form = CaptureUrlForm({"url": capture.url})
        form.is_valid()
        form.add_error("url", capture.error)
        return render(request, "pipeline/capture.html", {"url_form": form, "capture": capture})
    posting = CapturedPosting.from_json(capture.result)
    return _review(request, posting, source="the page")


def _review(
    request: MemberRequest,
    posting: CapturedPosting,
    *,
    source: str,
    form: CapturedOpportunityForm | None = None,
) -> HttpResponse:
    initial = posting.form_initial()
    if employer := employer_named(owner=request.user, name=posting.employer):
        initial["organization"] = employer
        initial.pop("organization_name", None)
    if form is None:
        # A capture read by the worker is a page of its own, which can list every contact
        # when asked; the bookmarklet's arrives by POST, and its menus stay short.
        menu_url = full_menu_url(request) if request.method == "GET" else ""
        form = CapturedOpportunityForm(owner=request.user, initial=initial, full_menu_url=menu_url)
    context = {
        "form": form,
        "captured": posting,
        "captured_from": source,
        "form_action": reverse("pipeline:capture-save"),
        "duplicates": find_duplicates(
            owner=request.user, url=posting.url, employer=posting.employer, title=posting.title
        ),
    }
    return render(request, "pipeline/opportunity_form.html", context)


@login_required
@require_POST
def capture_save(request: MemberRequest) -> HttpResponse:
    form = CapturedOpportunityForm(request.POST, owner=request.user, full_menu_url="")
    if form.is_valid():
        try:
            with transaction.atomic():
                organization = employer_from_form(request, form)
                opportunity, added = create_captured_opportunity(
                    owner=request.user,
                    organization=organization,
                    add_requirements=form.cleaned_data["add_requirements"],
                    **form.opportunity_fields(),
                    **people_from_form(request, form, organization),
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            lines = f" with {added} requirement line{'s' if added != 1 else ''}" if added else ""
            messages.success(request, f"Added “{opportunity.title}”{lines}.")
            return redirect("pipeline:detail", pk=opportunity.pk)
    # The duplicate warning follows what the member has typed by now (unchecked, so without
    # the NUL characters no saved text holds and PostgreSQL refuses in a query).
    typed = {key: form.data.get(key, "").replace("\x00", "") for key in TYPED_FIELDS}
    posting = CapturedPosting(
        url=typed["posting_url"], title=typed["title"], employer=typed["organization_name"]
    )
    return _review(request, posting, source="", form=form)


@csrf_exempt  # the bookmarklet posts from the posting's own site; nothing is written here
@require_http_methods(["GET", "POST"])
def capture_from_page(request: HttpRequest) -> HttpResponse:
    """The bookmarklet's landing: the review form, prefilled from what the page sent.

    Browsers hold back the session cookie on a cross-site POST (SameSite=Lax), so the first
    arrival hands the data on through a form on this site; that second POST carries it."""
    if request.method == "GET":
        return redirect("pipeline:bookmarklet")
    fields = _bookmarklet_fields(request)
    if request.user.is_authenticated:
        posting = posting_from_page(**fields)
        return _review(request, posting, source="the page you were on")  # type: ignore[arg-type]
    if request.POST.get("handoff"):
        return render(request, "pipeline/capture_handoff.html", {"signed_out": True}, status=403)
    return render(request, "pipeline/capture_handoff.html", {"fields": fields})


def _bookmarklet_fields(request: HttpRequest) -> dict[str, Any]:
    def sent(name: str, limit: int) -> str:
        return request.POST.get(name, "")[:limit].replace("\x00", "")  # NUL: never text

    blocks = [b[:BOOKMARKLET_MAX_CHARS] for b in request.POST.getlist("jsonld")]
    return {
        "url": sent("url", 1000),
        "title": sent("title", 500),
        "selection": sent("selection", MAX_DESCRIPTION_CHARS),
        "jsonld": blocks[:BOOKMARKLET_MAX_BLOCKS],
    }


@login_required
@require_GET
def bookmarklet(request: MemberRequest) -> HttpResponse:
    landing = request.build_absolute_uri(reverse("pipeline:capture-from-page"))
    return render(request, "pipeline/bookmarklet.html", {"bookmarklet": bookmarklet_code(landing)})
