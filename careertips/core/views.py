from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from careertips.core.decorators import staff_required
from careertips.core.forms import SettingsForm
from careertips.core.models import CapturedEmail


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Settings saved.")
        return redirect("core:settings")
    return render(request, "core/settings.html", {"form": form})


@staff_required
def mailbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(CapturedEmail.objects.defer("raw", "html_body", "headers"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "core/mailbox.html", {"page": page})


@staff_required
def mailbox_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(CapturedEmail, pk=pk)
    return render(request, "core/mailbox_message.html", {"message": message})
