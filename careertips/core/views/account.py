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
    RestoreForm,
    SettingsForm,
    add_service_errors,
)
from careertips.core.http import MemberRequest, client_redirect, safe_next
from careertips.core.models import AccountRestore
from careertips.core.restore import services as restoring

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
    return _your_data_page(request, form=form, restore_form=RestoreForm())


def _your_data_page(
    request: MemberRequest, *, form: DeleteAccountForm, restore_form: RestoreForm
) -> HttpResponse:
    user = request.user
    context = {
        "form": form,
        "restore_form": restore_form,
        "exports": account_data.declared_exports(),
        "sections": account_data.your_data_sections(user),
        "blocked": account_data.why_not_delete(user),
        "restore_blocked": restoring.why_not_restore(user),
        "last_restore": AccountRestore.objects.filter(owner=user).defer("archive").first(),
    }
    failed = form.errors or restore_form.errors
    if request.htmx and restore_form.errors:
        # The upload form posted through htmx: only its card, so htmx swaps the errors in.
        return render(request, "core/your_data.html#restore-card", context)
    return render(request, "core/your_data.html", context, status=400 if failed else 200)


@login_required
@require_POST
def restore_data(request: MemberRequest) -> HttpResponse:
    """Upload an archive to restore into this (empty) account; the worker restores it."""
    form = RestoreForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            restore = restoring.start_restore(
                user=request.user, upload=form.cleaned_data["archive"]
            )
        except ValidationError as error:
            form.add_error("archive", error)
        else:
            return client_redirect(request, f"/settings/data/restore/{restore.pk}/")
    blank = DeleteAccountForm(user=request.user)
    return _your_data_page(request, form=blank, restore_form=form)


@login_required
@never_cache
@require_GET
def restore_status(request: MemberRequest, pk: int) -> HttpResponse:
    """Where a restore stands; htmx polls it while the worker works."""
    restore = restoring.get_restore_for(request.user, pk)
    template = "core/restore.html#restore-status" if request.htmx else "core/restore.html"
    context = {"restore": restore, "poll_seconds": 2}
    return render(request, template, context)


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
