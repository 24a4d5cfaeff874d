"""Personal access tokens: made once, shown once, kept only as a SHA-256 hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from careertips.api.auth import is_editor
from careertips.api.models import ApiToken, Scope
from careertips.core.access import owned_or_404
from careertips.core.models import User
from careertips.core.prepared import Prepared

TOKEN_PREFIX = "ctk_"  # noqa: S105 - a marker that tells a token apart, not a secret
VISIBLE_CHARS = 12  # "ctk_" and 8 characters of the secret: enough to tell tokens apart
MAX_TOKENS_PER_OWNER = 50
# last_used_at is written at most this often per token: a busy script must not write per call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def get_token_for(user: Any, pk: int) -> ApiToken:
    return owned_or_404(ApiToken.objects.owned_by(user), pk, "token")


def clean_scopes(*, owner: User, scopes: Iterable[str]) -> list[str]:
    chosen = sorted(set(scopes))
    if not chosen:
        raise ValidationError({"scopes": "Choose at least one scope."})
    if unknown := [s for s in chosen if s not in Scope.values]:
        raise ValidationError({"scopes": f"Unknown scope: {', '.join(unknown)[:60]}."})
    if Scope.EDITOR in chosen and not is_editor(owner):
        raise ValidationError({"scopes": "Only editors can give a token the editor scope."})
    return chosen


@transaction.atomic
def create_token(
    *, owner: User, name: str, scopes: Iterable[str], expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is never stored and cannot be shown again."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Name the token after what will use it."})
    if len(name) > 100:
        raise ValidationError({"name": "Keep the name under 100 characters."})
    chosen = clean_scopes(owner=owner, scopes=scopes)
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "Choose an expiry date in the future."})
    if ApiToken.objects.owned_by(owner).usable().count() >= MAX_TOKENS_PER_OWNER:
        raise ValidationError({"name": "You have too many tokens: revoke some first."})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        owner=owner,
        name=name,
        prefix=raw[:VISIBLE_CHARS],
        token_hash=hash_token(raw),
        scopes=chosen,
        expires_at=expires_at,
    )
    return token, raw


@transaction.atomic
def revoke_token(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


# One row by its unique hash, with its owner, its usability checked in Python rather than in
# SQL; compiled once per process (core.prepared): the lookup runs on every request, and
# building the query cost more than running it.
_BY_HASH = Prepared(
    lambda digest: ApiToken.objects.filter(token_hash=digest).select_related("owner").order_by(),
    digest=str,
)


def token_for_secret(raw: str) -> ApiToken | None:
    """The usable token this secret belongs to, with its owner; None for anything else."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    found = _BY_HASH.instances(digest=hash_token(raw))
    if not found:
        return None
    token = found[0]
    if not token.is_usable or not token.owner.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
