"""The Mailbox, for administrators: mail the embedded backend captured, read in the browser,
the mail that came back (bounces, complaints, unsubscribe requests) and the last backup."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from careertips.core.backup import backup_status
from careertips.core.csp import mail_preview_csp
from careertips.core.decorators import role_required
from careertips.core.http import paginate
from careertips.core.models import CapturedEmail, InboundMessage
from careertips.core.roles import Role


@role_required(Role.ADMINISTRATOR)
def mailbox(request: HttpRequest) -> HttpResponse:
    page = paginate(request, CapturedEmail.objects.defer("raw", "html_body", "headers"), 50)
    context = {"page": page, "backups": backup_status()}
    return render(request, "core/mailbox.html", context)


@role_required(Role.ADMINISTRATOR)
@mail_preview_csp
def mailbox_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(CapturedEmail, pk=pk)
    return render(request, "core/mailbox_message.html", {"message": message})


@role_required(Role.ADMINISTRATOR)
def inbound_mail(request: HttpRequest) -> HttpResponse:
    """Mail that came back: what was done with each, and everything kept for staff to read."""
    rows = InboundMessage.objects.defer("raw")
    if request.GET.get("kind") in InboundMessage.Kind.values:
        rows = rows.filter(kind=request.GET["kind"])
    page = paginate(request, rows, 50)
    context = {"page": page, "kinds": InboundMessage.Kind.choices, "kind": request.GET.get("kind")}
    return render(request, "core/inbound_mail.html", context)


@role_required(Role.ADMINISTRATOR)
def inbound_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(InboundMessage, pk=pk)
    return render(request, "core/inbound_message.html", {"message": message})
