from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careertips.core.http import MemberRequest, paginate, swaps
from careertips.network import importers, services
from careertips.network.forms import ImportForm
from careertips.network.models import ImportBatch

ROW_FILTERS = {
    "all": ("All rows", lambda row: True),
    "problems": ("Errors and warnings", lambda row: row["action"] == "error" or _warned(row)),
    "create": ("New", lambda row: row["action"] == "create"),
    "update": ("Adds to existing", lambda row: row["action"] == "update"),
    "skip": ("Skipped", lambda row: row["action"] == "skip"),
}
ROWS_PER_PAGE = 100
POLL_SECONDS = 1  # how often a page watching an import asks whether it is done


def _warned(row: dict) -> bool:
    return any(p["level"] == "warning" for p in row["problems"])


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: MemberRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = importers.preview_import(
                owner=request.user, data=upload.read(), filename=upload.name or ""
            )
        except importers.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("network:import-batch", pk=batch.pk)
    recent = ImportBatch.objects.owned_by(request.user).defer("rows")[:10]
    return render(request, "network/import_upload.html", {"form": form, "recent": recent})


@login_required
@require_GET
def import_batch(request: MemberRequest, pk: int) -> HttpResponse:
    if swaps(request, "import-status"):
        return _import_status(request, pk)
    batch = services.get_import_batch_for(request.user, pk)
    show = request.GET.get("show", "")
    if show not in ROW_FILTERS:
        has_problems = any(ROW_FILTERS["problems"][1](r) for r in batch.rows)
        show = "problems" if has_problems and batch.is_pending else "all"
    rows = [r for r in batch.rows if ROW_FILTERS[show][1](r)]
    context = {
        "batch": batch,
        "counts": importers.summarize(batch.rows),
        "page": paginate(request, rows, ROWS_PER_PAGE),
        "show": show,
        "filters": [(key, label) for key, (label, _) in ROW_FILTERS.items()],
        "stale": importers.is_stale(batch),
        "poll_seconds": POLL_SECONDS,
    }
    return render(request, "network/import_batch.html", context)


def _import_status(request: MemberRequest, pk: int) -> HttpResponse:
    """What a page watching an import asks for every second: never the rows themselves."""
    batch = services.get_import_batch_for(request.user, pk, rows=False)
    if not batch.is_applying:
        # The import finished while the page watched: show its result in full.
        return HttpResponse(headers={"HX-Refresh": "true"})
    context = {
        "batch": batch,
        "counts": {"create": batch.created_count, "update": batch.updated_count},
        "stale": importers.is_stale(batch),
        "poll_seconds": POLL_SECONDS,
    }
    return render(request, "network/import_batch.html#import-status", context)


@login_required
@require_POST
def import_confirm(request: MemberRequest, pk: int) -> HttpResponse:
    """Starts writing the import in the task worker; the batch's page follows it."""
    batch = services.get_import_batch_for(request.user, pk)
    try:
        importers.queue_import(batch=batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("network:import-batch", pk=batch.pk)


@login_required
@require_POST
def import_discard(request: MemberRequest, pk: int) -> HttpResponse:
    batch = services.get_import_batch_for(request.user, pk, rows=False)
    try:
        importers.discard_import(batch=batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("network:import-batch", pk=batch.pk)
    messages.success(request, "Import discarded; nothing was changed.")
    return redirect("network:import")
