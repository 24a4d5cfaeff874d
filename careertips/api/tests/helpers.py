"""Calling the API in tests: tokens, JSON requests and the resources each case needs."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from careertips.api.services.tokens import create_token
from careertips.core.models import User


def make_token(user: User, scopes: tuple[str, ...] = ("read", "write"), **kw: Any) -> str:
    return create_token(owner=user, name=kw.pop("name", "Test"), scopes=scopes, **kw)[1]


def call(
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: Any = None,
    client: Client | None = None,
) -> Any:
    client = client or Client()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None and method != "get":
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(path, **kwargs)
