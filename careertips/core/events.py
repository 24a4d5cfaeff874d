"""What happened, announced by the services that did it: an opportunity moved, a debrief
closed, an issue went out. Receivers (the API's outgoing webhooks) register themselves when
their app is ready; `core` knows none of them. Events are passed on only once the
transaction that caused them commits, so a rolled-back write announces nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

# kind, the owner's id (None for practice-wide events such as an issue sent), payload
Receiver = Callable[[str, int | None, dict[str, Any]], None]
_receivers: list[Receiver] = []


def register(receiver: Receiver) -> None:
    if receiver not in _receivers:
        _receivers.append(receiver)


def emit(kind: str, owner: Any, payload: dict[str, Any]) -> None:
    """Announces `kind` for `owner` (a user, a user id, or None) after the current commit."""
    if not _receivers:
        return
    owner_id = getattr(owner, "pk", owner)
    transaction.on_commit(lambda: _dispatch(kind, owner_id, payload))


def _dispatch(kind: str, owner_id: int | None, payload: dict[str, Any]) -> None:
    for receiver in _receivers:
        try:
            receiver(kind, owner_id, payload)
        except Exception:
            # An event nobody could take must never undo or fail the write that caused it.
            logger.exception("Event receiver %r failed on %s", receiver, kind)
