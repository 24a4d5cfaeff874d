"""The member's own account: settings, downloading their data, deleting the account."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careertips.core import account_data, outbound
from careertips.core.abuse import hit_limit
from careertips.core.forms import (
    DeleteAccountForm,
    SettingsForm,
    add_service_errors,
)
from careertips.core.http import MemberRequest, safe_next

# Password checks before deleting an account, per account.
DELETE_ATTEMPTS, DELETE_WINDOW = 5, 15 * 60


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Settings saved.")
        return redirect("core:settings")
    return render(request, "core/settings.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def your_data(request: MemberRequest) -> HttpResponse:
    """Download everything, or delete the account and everything with it."""
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST":
        limited = hit_limit(
            scope="delete-account", identity=str(user.pk), limit=DELETE_ATTEMPTS,
            window=DELETE_WINDOW,
        )  # fmt: skip
        if limited:
            form.add_error(None, "Too many attempts. Wait a quarter of an hour and try again.")
        elif form.is_valid():
            try:
                deleted = account_data.delete_account(user=user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                logout(request)
                messages.success(
                    request, f"Your account and its {deleted:,} records are deleted. Goodbye."
                )
                return redirect("/")
    context = {
        "form": form,
        "exports": account_data.declared_exports(),
        "sections": account_data.your_data_sections(user),
        "blocked": account_data.why_not_delete(user),
    }
    return render(request, "core/your_data.html", context, status=400 if form.errors else 200)


@login_required
@never_cache
@require_GET
def download_data(request: MemberRequest) -> StreamingHttpResponse:
    """The member's archive, streamed as it is written (nothing is stored)."""
    response = StreamingHttpResponse(
        account_data.stream_archive(request.user), content_type="application/zip"
    )
    name = account_data.archive_name()
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def retry_mail(request: MemberRequest, pk: int) -> HttpResponse:
    """ "Try again" on a message that was not sent; only the person who sent it may."""
    mail = outbound.get_outbound_mail_for(request.user, pk)
    try:
        outbound.retry_mail(mail=mail)
    except ValidationError as error:
        messages.info(request, error.messages[0])
    else:
        messages.success(request, "Sending it again.")
    return redirect(safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL)))
