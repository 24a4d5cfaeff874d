"""No page answers a hostile query string with a server error: every GET page of ours, as
its owner (or staff), with every filter, search and paging parameter set to nonsense."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from careertips.core.tests.test_url_access import OUR_NAMESPACES, _all_cases

# Names our pages read from the query string, each with a value no form would send.
HOSTILE = {
    "q": "<script>alert(1)</script>\x00' OR 1=1 --",
    "page": "99999999999999999999999",
    "stage": "nope",
    "status": "nope\x00",
    "kind": "../../etc/passwd",
    "source": "nope",
    "sort": "-password",
    "order": "nope",
    "year": "99999",
    "volume": "-1",
    "month": "13",
    "date": "2026-02-30",
    "week": "abc",
    "from": "yesterday",
    "to": "0000-00-00",
    "tag": "9" * 30,
    "organization": "9" * 30,  # digits, but beyond any database integer
    "other": "9" * 30,
    "theme": "9" * 30,
    "interview": "abc",
    "contact": "-5",
    "group": "nope",
    "days": "1e9",
    "currency": "ZZZ",
    "ids": "1,two,,3",
    "offers": ["x", "-1", "9" * 25],
    "next": "//evil.example/",
    "format": "exe",
    "sq": "\x00",
}
# Bytes that are not UTF-8 at all, as only a hand-made request sends them.
NOT_UTF8 = "preview=%ED%A0%80%FF"


def _plain_paths(resolver: URLResolver, prefix: str = "", namespace: str = "") -> set[str]:
    """Our URLs that take no id, as paths."""
    paths: set[str] = set()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            paths |= _plain_paths(entry, route, entry.namespace or namespace)
        elif (
            isinstance(entry, URLPattern)
            and namespace in OUR_NAMESPACES
            and not entry.pattern.converters
            and "<" not in route
            and not route.startswith("^")
        ):
            paths.add("/" + route)
    return paths


def _owner(case, alice, coach, editor, administrator):
    return {"coach": coach, "editor": editor, "administrator": administrator}.get(
        case.role or "", alice
    )


def _hostile(client: Client, path: str) -> int:
    return client.get(f"{path}?{urlencode(HOSTILE, doseq=True)}&{NOT_UTF8}").status_code


@pytest.mark.parametrize(
    "case",
    [c for c in _all_cases() if c.method == "get" and c.owner_status == 200],
    ids=str,
)
def test_it_answers_a_hostile_query_on_pages_with_an_id_without_error(
    case, alice, coach, editor, administrator
):
    owner = _owner(case, alice, coach, editor, administrator)
    path = case.path.format(**case.setup(owner))
    client = Client()
    client.force_login(owner)
    assert _hostile(client, path) < 500, path


@pytest.mark.parametrize("path", sorted(_plain_paths(get_resolver())))
def test_it_answers_a_hostile_query_on_pages_without_an_id_without_error(
    path, alice, coach, editor, administrator
):
    for user in (alice, coach, editor, administrator, None):
        client = Client()
        if user is not None:
            client.force_login(user)
        assert _hostile(client, path) < 500, (path, user)


# Field names our forms take, each with a value no form would send.
TEXT_FIELDS = """title name email notes body question text answer summary feedback note challenge
    action result topic positioning asked answered subject message introduction signed_as
    display_name organization_name role location description benefits slug url posting_url
    profile_url phone how_met payload posting hiring_manager_name referred_by_name time_zone"""
DATE_FIELDS = """found_on applied_on due_on happened_on decision_deadline received_on start_date
    until month observed_on as_of next_touch_on on"""
MOMENT_FIELDS = "starts_at ends_at scheduled_at when"
NUMBER_AND_ID_FIELDS = """base_salary pay_min pay_max target walk_away low high days position
    strength year follow_up_days bonus_amount equity_amount sign_on_bonus duration_minutes
    cadence_days warmth volume number organization contact opportunity story interview other
    theme hiring_manager referred_by meet_at event requirement goal"""
MANY_FIELDS = "stories interviewers competencies tags contacts ids themes"
CHOICE_FIELDS = """stage kind status source currency channel outcome metric basis bonus_kind
    equity_kind relationship work_mode direction state rate bonus_percent decision handled
    to_stage group"""
HOSTILE_FORM = {
    **dict.fromkeys(TEXT_FIELDS.split(), "Plant\x00Manager <script>"),
    **dict.fromkeys(DATE_FIELDS.split(), "2026-02-30"),
    **dict.fromkeys(MOMENT_FIELDS.split(), "2026-13-01T25:61"),
    **dict.fromkeys(NUMBER_AND_ID_FIELDS.split(), "9" * 30),
    # "²" is a digit to str.isdigit() that int() refuses.
    **dict.fromkeys(MANY_FIELDS.split(), ["9" * 30, "-1", "x", "²"]),
    **dict.fromkeys(CHOICE_FIELDS.split(), "nope\x00"),
    "next": "//evil.example/",
    "understood": "on",
    "password": "\x00",
}


@pytest.mark.parametrize("case", [c for c in _all_cases() if c.method == "post"], ids=str)
def test_it_answers_a_hostile_post_to_forms_with_an_id_without_error(
    case, alice, coach, editor, administrator
):
    owner = _owner(case, alice, coach, editor, administrator)
    path = case.path.format(**case.setup(owner))
    client = Client()
    client.force_login(owner)
    assert client.post(path, HOSTILE_FORM).status_code < 500, path


@pytest.mark.parametrize("path", sorted(_plain_paths(get_resolver())))
def test_it_answers_a_hostile_post_to_forms_without_an_id_without_error(
    path, alice, coach, editor, administrator
):
    for user in (alice, coach, editor, administrator, None):
        client = Client()
        if user is not None:
            client.force_login(user)
        assert client.post(path, HOSTILE_FORM).status_code < 500, (path, user)
