from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careertips.core import account_data, outbound, services
from careertips.core.backup import backup_status
from careertips.core.csp import mail_preview_csp
from careertips.core.decorators import role_required
from careertips.core.forms import (
    DeleteAccountForm,
    RolesForm,
    SendLinkForm,
    SettingsForm,
    add_service_errors,
)
from careertips.core.health import health_problem
from careertips.core.http import MemberRequest, safe_next, search_text
from careertips.core.models import CapturedEmail, InboundMessage, User
from careertips.core.roles import Role
from careertips.pages.abuse import client_ip, hit_limit

# Password checks before deleting an account, per account.
DELETE_ATTEMPTS, DELETE_WINDOW = 5, 15 * 60
ACCOUNTS_PER_PAGE = 50


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: 200 "ok" when the database answers and the task worker
    has beaten recently (or never: a web-only setup); 503 with the reason otherwise."""
    problem = health_problem()
    if problem:
        return HttpResponse(problem, content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@never_cache
def healthz_proxy(request: HttpRequest) -> JsonResponse:
    """What the app sees of this request through the proxy: the requester's own address and
    scheme, so an operator (and `careertips doctor`) can tell the forwarded headers arrive."""
    return JsonResponse(
        {
            "client_ip": client_ip(request),
            "scheme": request.scheme,
            "host": request.get_host(),
            "forwarded_for": "HTTP_X_FORWARDED_FOR" in request.META,
            "forwarded_proto": "HTTP_X_FORWARDED_PROTO" in request.META,
        }
    )


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


@role_required(Role.ADMINISTRATOR)
def mailbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(CapturedEmail.objects.defer("raw", "html_body", "headers"), 50).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "backups": backup_status()}
    return render(request, "core/mailbox.html", context)


@role_required(Role.ADMINISTRATOR)
@mail_preview_csp
def mailbox_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(CapturedEmail, pk=pk)
    return render(request, "core/mailbox_message.html", {"message": message})


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


@role_required(Role.ADMINISTRATOR)
def inbound_mail(request: HttpRequest) -> HttpResponse:
    """Mail that came back: what was done with each, and everything kept for staff to read."""
    rows = InboundMessage.objects.defer("raw")
    if request.GET.get("kind") in InboundMessage.Kind.values:
        rows = rows.filter(kind=request.GET["kind"])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"page": page, "kinds": InboundMessage.Kind.choices, "kind": request.GET.get("kind")}
    return render(request, "core/inbound_mail.html", context)


@role_required(Role.ADMINISTRATOR)
def inbound_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(InboundMessage, pk=pk)
    return render(request, "core/inbound_message.html", {"message": message})


# Accounts, for administrators: roles and addresses, never a member's search ----------------


@role_required(Role.ADMINISTRATOR)
@require_GET
def accounts(request: MemberRequest) -> HttpResponse:
    query = search_text(request)
    rows = services.accounts()
    if query:
        rows = rows.filter(Q(email__icontains=query) | Q(display_name__icontains=query))
    page = Paginator(rows, ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "core/accounts.html", {"page": page, "query": query})


def _account_page(
    request: MemberRequest, account: User, *, form: RolesForm | None = None, status: int = 200
) -> HttpResponse:
    initial = {"roles": sorted(group.name for group in account.groups.all())}
    context = {
        "account": account,
        "form": form or RolesForm(initial=initial),
        "addresses": list(account.emailaddress_set.all()),  # type: ignore[attr-defined]
    }
    return render(request, "core/account.html", context, status=status)


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def account(request: MemberRequest, pk: int) -> HttpResponse:
    """One account: its addresses and its roles, which this page changes."""
    account = services.get_account_for(request.user, pk)
    if request.method != "POST":
        return _account_page(request, account)
    form = RolesForm(request.POST)
    if form.is_valid():
        try:
            services.set_roles(user=account, roles=form.cleaned_data["roles"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Roles of {account.email} saved.")
            return redirect("core:account", pk=account.pk)
    return _account_page(request, account, form=form, status=400)


@role_required(Role.ADMINISTRATOR)
@require_POST
def confirm_address(request: MemberRequest, pk: int) -> HttpResponse:
    account = services.get_account_for(request.user, pk)
    try:
        services.confirm_address(user=account)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{account.email} is confirmed: they can sign in.")
    return redirect("core:account", pk=account.pk)


@role_required(Role.ADMINISTRATOR)
@require_POST
def send_link(request: MemberRequest, pk: int) -> HttpResponse:
    """A fresh confirmation or password-reset link, mailed to the account's own address."""
    account = services.get_account_for(request.user, pk)
    form = SendLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a confirmation or a password-reset link.")
        return redirect("core:account", pk=account.pk)
    send = (
        services.send_confirmation
        if form.cleaned_data["link"] == "confirmation"
        else (services.send_password_reset)
    )
    try:
        send(request=request, user=account)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"A fresh link is on its way to {account.email}.")
    return redirect("core:account", pk=account.pk)
