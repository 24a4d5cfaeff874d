"""Accounts, for administrators: roles and addresses, never a member's search."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careertips.core import services
from careertips.core.decorators import role_required
from careertips.core.forms import (
    RolesForm,
    SendLinkForm,
    add_service_errors,
)
from careertips.core.http import MemberRequest, paginate, search_text
from careertips.core.models import User
from careertips.core.roles import Role

ACCOUNTS_PER_PAGE = 50


@role_required(Role.ADMINISTRATOR)
@require_GET
def accounts(request: MemberRequest) -> HttpResponse:
    query = search_text(request)
    rows = services.accounts()
    if query:
        rows = rows.filter(Q(email__icontains=query) | Q(display_name__icontains=query))
    page = paginate(request, rows, ACCOUNTS_PER_PAGE)
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
