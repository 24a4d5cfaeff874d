"""The shared pieces of every app's `get_<thing>_for(user, pk)` access helpers: a row the
user may see, or a 404 that says nothing about rows they may not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from careertips.core.prepared import Prepared

# The largest id a row can have (a bigint): past it no row matches, as with the ORM's lookups.
MAX_ID = 2**63 - 1


def owned_or_404[T: Model](qs: QuerySet[T], pk: Any, what: str) -> T:
    """The row `pk` of `qs` (already narrowed to what the user may see), else 404."""
    try:
        return qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(f"No such {what}.") from None


def row_id_or_none(value: Any) -> int | None:
    """A primary key as a lookup takes it (a URL's number, a posted string), or None when no
    row can have it: not written in the digits 0-9 alone (int() also takes "1_0", " 5" and
    other scripts' digits), zero, or past what an id column holds."""
    text = str(value)
    if not (text.isascii() and text.isdigit()):
        return None
    key = int(text)
    return key if 0 < key <= MAX_ID else None


def prepared_or_404(query: Prepared, user: Any, pk: Any, what: str) -> Any:
    """As owned_or_404, for a query compiled once (core.prepared) of the rows of `owner`
    (an id) with the id `pk`, read as model instances: for helpers that run on every write."""
    member, key = member_or_none(user), row_id_or_none(pk)
    found = query.instances(owner=member.pk, pk=key) if member and key else []
    if not found:
        raise Http404(f"No such {what}.")
    return found[0]


def member_or_none(user: Any) -> Any:
    """The signed-in user, or None, which matches no owner in a filter."""
    return user if getattr(user, "is_authenticated", False) else None


def require_staff(user: Any, what: str) -> None:
    """Staff only; anyone else gets the 404 a missing row would."""
    if not (getattr(user, "is_authenticated", False) and user.is_staff):
        raise Http404(f"No such {what}.")


def require_role(user: Any, role: str, what: str) -> None:
    """Holders of `role` only; anyone else gets the 404 a missing row would."""
    if not (getattr(user, "is_authenticated", False) and user.has_role(role)):
        raise Http404(f"No such {what}.")
