"""Accounts and their roles: what an administrator does on the Accounts page and what
`careertips create_account` does."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet
from django.http import HttpRequest

from careertips.core import account_data
from careertips.core.models import User
from careertips.core.roles import Role, role_groups


@transaction.atomic
def set_roles(*, user: User, roles: Iterable[str], by: User | None) -> set[Role]:
    """Gives `user` exactly these roles; returns the roles taken away. Apps hear of a
    removed role (coaching ends a demoted coach's sharings) in the same transaction.
    `by` is the administrator making the change (None from the command line)."""
    wanted = {Role(role) for role in roles}
    held = {
        Role(name) for name in user.groups.values_list("name", flat=True) if name in Role.values
    }
    removed = held - wanted
    if Role.ADMINISTRATOR in removed:
        _keep_one_administrator(user)
    user.groups.remove(*role_groups(removed))
    user.groups.add(*role_groups(wanted - held))
    if user.is_staff != bool(wanted):
        user.is_staff = bool(wanted)
        user.save(update_fields=["is_staff"])
    # Cached pages carry the menu of the roles they were drawn with.
    User.objects.filter(pk=user.pk).update(data_version=F("data_version") + 1)
    user.__dict__.pop("role_names", None)
    if removed:
        for module in account_data.app_modules():
            if hook := getattr(module, "roles_removed", None):
                hook(user=user, roles=removed)
    return removed


def _keep_one_administrator(user: User) -> None:
    others = administrators().exclude(pk=user.pk)
    if not others.exists():
        raise ValidationError(
            {"roles": "This is the only administrator: make someone else one first."}
        )


def administrators() -> QuerySet[User]:
    return User.objects.filter(is_active=True, is_staff=True, groups__name=Role.ADMINISTRATOR)


def holders_of(role: Role) -> QuerySet[User]:
    """Active accounts with the role."""
    return User.objects.filter(is_active=True, is_staff=True, groups__name=role).distinct()


def accounts() -> QuerySet[User]:
    """Every account with its roles and addresses, for the Accounts page (three queries)."""
    return User.objects.order_by("email").prefetch_related(
        "groups", Prefetch("emailaddress_set", queryset=EmailAddress.objects.order_by("pk"))
    )


def get_account_for(user: Any, pk: Any) -> User:
    from careertips.core.access import owned_or_404, require_role

    require_role(user, Role.ADMINISTRATOR, "account")
    return owned_or_404(accounts(), pk, "account")


@transaction.atomic
def confirm_address(*, user: User) -> EmailAddress:
    """Marks the account's address confirmed, as its confirmation link would."""
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    if not address.set_verified():
        raise ValidationError("Another account has already confirmed this address.")
    return address


def send_confirmation(*, request: HttpRequest, user: User) -> None:
    """A fresh confirmation link to the account's address."""
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    if address.verified:
        raise ValidationError("This address is already confirmed.")
    address.send_confirmation(request)


def send_password_reset(*, request: HttpRequest, user: User) -> None:
    """A fresh password-reset link, exactly as the site's own form sends it."""
    from allauth.account.forms import ResetPasswordForm

    form = ResetPasswordForm(data={"email": user.email})
    if not form.is_valid():
        raise ValidationError(form.errors.get("email") or "No link could be sent.")
    form.save(request)


@transaction.atomic
def create_account(
    *, email: str, roles: Iterable[str], password: str | None, display_name: str = ""
) -> User:
    """An account with its address confirmed and these roles. Without a password it has
    none usable: its owner sets one through "Forgot your password?"."""
    email = User.objects.normalize_email(email.strip()).lower()
    validate_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": f"An account with {email} already exists."})
    user = User(email=email, display_name=display_name)
    if password is not None:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    set_roles(user=user, roles=roles, by=None)
    return user
