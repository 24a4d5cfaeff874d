"""Importing opportunities from a CSV or XLSX file, and exporting them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careertips.core.http import MemberRequest, paginate, swaps
from careertips.pipeline import exports, importers
from careertips.pipeline.importers.forms import ImportMappingForm, OpportunityImportForm
from careertips.pipeline.models import (
    OpportunityImport,
)
from careertips.pipeline.services import (
    get_opportunity_import_for,
)

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- importing and exporting --------------------------------------------------------------------

IMPORT_ROWS_PER_PAGE = 100
IMPORT_POLL_SECONDS = 1  # how often a page watching an import asks whether it is done


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_import(request: MemberRequest) -> HttpResponse:
    form = OpportunityImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = importers.preview_import(
                owner=request.user, data=upload.read(), filename=upload.name or ""
            )
        except importers.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("pipeline:import-batch", pk=batch.pk)
    recent = OpportunityImport.objects.owned_by(request.user).defer("rows")[:10]
    context = {"form": form, "recent": recent, "presets": importers.PRESETS}
    return render(request, "pipeline/import_upload.html", context)


@login_required
@require_GET
def opportunity_import_batch(request: MemberRequest, pk: int) -> HttpResponse:
    if swaps(request, "import-status"):
        return _import_status(request, pk)
    batch = get_opportunity_import_for(request.user, pk)
    return _render_batch(request, batch, ImportMappingForm(batch=batch))


def _render_batch(
    request: MemberRequest, batch: OpportunityImport, form: ImportMappingForm, status: int = 200
) -> HttpResponse:
    show, rows = importers.rows_to_show(batch, request.GET.get("show", ""))
    page = paginate(request, rows, IMPORT_ROWS_PER_PAGE)
    importers.label_stages(page)
    context = {
        "batch": batch,
        "form": form,
        "counts": importers.summarize(batch.rows),
        "blockers": importers.blockers(batch) if batch.is_pending else [],
        "page": page,
        "show": show,
        "filters": importers.ROW_FILTER_LABELS,
        "stale": importers.is_stale(batch),
        "poll_seconds": IMPORT_POLL_SECONDS,
    }
    return render(request, "pipeline/import_batch.html", context, status=status)


def _import_status(request: MemberRequest, pk: int) -> HttpResponse:
    """What a page watching an import asks for every second: never the rows themselves."""
    batch = get_opportunity_import_for(request.user, pk, rows=False)
    if not batch.is_applying:
        # The import finished while the page watched: show its result in full.
        return HttpResponse(headers={"HX-Refresh": "true"})
    context = {
        "batch": batch,
        "stale": importers.is_stale(batch),
        "poll_seconds": IMPORT_POLL_SECONDS,
    }
    return render(request, "pipeline/import_batch.html#import-status", context)


@login_required
@require_POST
def opportunity_import_map(request: MemberRequest, pk: int) -> HttpResponse:
    """Saves what the columns hold and what unknown statuses mean, and checks the rows again."""
    batch = get_opportunity_import_for(request.user, pk)
    form = ImportMappingForm(request.POST, batch=batch)
    if not form.is_valid():
        return _render_batch(request, batch, form, status=422)
    try:
        importers.map_import(batch=batch, mapping=form.mapping, stages=form.stages)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("pipeline:import-batch", pk=batch.pk)


@login_required
@require_POST
def opportunity_import_confirm(request: MemberRequest, pk: int) -> HttpResponse:
    """Starts writing the import in the task worker; the batch's page follows it."""
    batch = get_opportunity_import_for(request.user, pk)
    try:
        importers.queue_import(batch=batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("pipeline:import-batch", pk=batch.pk)


@login_required
@require_POST
def opportunity_import_discard(request: MemberRequest, pk: int) -> HttpResponse:
    batch = get_opportunity_import_for(request.user, pk, rows=False)
    try:
        importers.discard_import(batch=batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("pipeline:import-batch", pk=batch.pk)
    messages.success(request, "Import discarded; nothing was changed.")
    return redirect("pipeline:import")


def _download(request: MemberRequest, response: HttpResponseBase, ext: str) -> HttpResponseBase:
    day = request.user.local_today()
    response["Content-Disposition"] = f'attachment; filename="opportunities-{day}.{ext}"'
    return response


@login_required
@require_GET
def export_csv(request: MemberRequest) -> HttpResponseBase:
    lines = exports.export_csv_lines(request.user)
    return _download(request, StreamingHttpResponse(lines, content_type=CSV_TYPE), "csv")


@login_required
@require_GET
def export_xlsx(request: MemberRequest) -> HttpResponseBase:
    body = exports.export_xlsx(request.user)
    return _download(request, HttpResponse(body, content_type=XLSX_TYPE), "xlsx")
