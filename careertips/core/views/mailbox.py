"""The Mailbox, for administrators: mail the embedded backend captured, read in the browser."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from careertips.core.decorators import role_required
from careertips.core.http import paginate
from careertips.core.models import CapturedEmail
from careertips.core.roles import Role


@role_required(Role.ADMINISTRATOR)
def mailbox(request: HttpRequest) -> HttpResponse:
    page = paginate(request, CapturedEmail.objects.defer("raw", "html_body", "headers"), 50)
    return render(request, "core/mailbox.html", {"page": page})


@role_required(Role.ADMINISTRATOR)
def mailbox_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(CapturedEmail, pk=pk)
    return render(request, "core/mailbox_message.html", {"message": message})
