"""Who is calling the API and what they may do: a personal access token (Bearer) or the
signed-in session (same-site calls, with CSRF), scopes, and the per-caller rate limit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from careertips.api.errors import Forbidden
from careertips.core.pagecache import SAFE_METHODS

if TYPE_CHECKING:
    from careertips.api.models import ApiToken
    from careertips.core.models import User

READ, WRITE, EDITOR = "read", "write", "editor"


def is_editor(user: Any) -> bool:
    """The one place the API decides who edits the newsletter and its subscribers."""
    return bool(getattr(user, "is_authenticated", False) and user.is_editor)


@dataclass
class Caller:
    user: User
    scopes: set[str] = field(default_factory=set)
    token: ApiToken | None = None

    @property
    def rate_identity(self) -> str:
        return f"token:{self.token.pk}" if self.token else f"session:{self.user.pk}"


def _admit(request: HttpRequest, caller: Caller) -> Caller:
    from careertips.api import writes

    # The services, the page cache's data version and the access log all read request.user.
    request.user = caller.user
    if request.method in SAFE_METHODS:
        writes.charge(caller.rate_identity)
    else:  # counted inside the write's own transaction (api/writes.py)
        setattr(request, writes.PENDING, caller.rate_identity)
    return caller


class TokenAuth(HttpBearer):
    openapi_description = "A personal access token from Settings → API tokens."

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        from careertips.api.services.tokens import token_for_secret

        found = token_for_secret(token)
        if found is None:
            return None
        return _admit(request, Caller(user=found.owner, scopes=set(found.scopes), token=found))


class SessionAuth(APIKeyCookie):
    """The browser's own session, for pages of this site calling the API (CSRF checked)."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "The signed-in session; write calls need the X-CSRFToken header."

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        scopes = {READ, WRITE} | ({EDITOR} if is_editor(user) else set())
        return _admit(request, Caller(user=user, scopes=scopes))


def _caller(request: HttpRequest) -> Caller:
    caller = getattr(request, "auth", None)
    if not isinstance(caller, Caller):  # every operation sits behind TokenAuth or SessionAuth
        raise Forbidden("Sign in or send a token.")
    return caller


def reader(request: HttpRequest) -> User:
    return _require(request, READ)


def writer(request: HttpRequest) -> User:
    return _require(request, WRITE)


def editor_reader(request: HttpRequest) -> User:
    _require(request, READ)
    return _require(request, EDITOR)


def editor_writer(request: HttpRequest) -> User:
    _require(request, WRITE)
    return _require(request, EDITOR)


def _require(request: HttpRequest, scope: str) -> User:
    caller = _caller(request)
    if scope not in caller.scopes:
        raise Forbidden(f"This token does not have the {scope} scope.")
    if scope == EDITOR and not is_editor(caller.user):
        raise Forbidden("Only editors may use the newsletter and subscribers.")
    return caller.user
