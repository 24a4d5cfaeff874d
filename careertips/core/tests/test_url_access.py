"""Every URL that takes an id has an access case: owner 200, other member 404, anonymous
redirected to log in. Apps declare their cases in `<app>/tests/access.py` as `CASES`."""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

import careertips
from careertips.core.roles import Role
from careertips.core.testing import AccessCase, check_access

OUR_NAMESPACES = {
    "core", "pipeline", "offers", "debriefs", "network", "agenda", "pages", "newsletter",
    "stories", "insights", "coaching", "api", "resumes",
}  # fmt: skip


def _all_cases() -> list[AccessCase]:
    cases: list[AccessCase] = []
    for app in pkgutil.iter_modules(careertips.__path__):
        try:
            module = importlib.import_module(f"careertips.{app.name}.tests.access")
        except ModuleNotFoundError:
            continue
        cases.extend(module.CASES)
    return cases


class _Ones(dict):
    def __missing__(self, key: str) -> int:
        return 1


def _patterns_with_ids(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            names |= _patterns_with_ids(entry, entry.namespace or namespace)
        elif (
            isinstance(entry, URLPattern)
            and namespace in OUR_NAMESPACES
            and entry.pattern.converters
        ):
            names.add(f"{namespace}:{entry.name}")
    return names


def test_it_covers_every_url_that_takes_an_id():
    covered = {resolve(case.path.format_map(_Ones())).view_name for case in _all_cases()}
    missing = _patterns_with_ids(get_resolver()) - covered
    assert not missing, f"URLs without an access case in <app>/tests/access.py: {sorted(missing)}"


@pytest.mark.parametrize("case", _all_cases(), ids=str)
def test_it_guards_each_url(case, alice, bob, coach, editor, administrator):
    """A member's page: the owner only. A practice page: holders of its role only; members
    and the holders of every other role get 404. No role reaches a member's pages."""
    holders = {Role.COACH: coach, Role.EDITOR: editor, Role.ADMINISTRATOR: administrator}
    if case.role:
        others = [user for role, user in holders.items() if role != case.role]
        check_access(case, owner=holders[Role(case.role)], other=alice, refused=others)
    else:
        check_access(case, owner=alice, other=bob, refused=holders.values())
