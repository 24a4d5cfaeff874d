"""`careertips seed_demo`: a believable search, loaded once, never touching existing data."""

import datetime as dt
import types
import zoneinfo
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import CommandError, call_command

from careertips.core import demo
from careertips.core.checks import demo_accounts_present
from careertips.core.models import User
from careertips.core.testing import make_user
from careertips.debriefs import demo as debriefs_demo
from careertips.debriefs.models import Debrief
from careertips.network import demo as network_demo
from careertips.network.models import Contact, Organization
from careertips.pipeline import demo as pipeline_demo
from careertips.pipeline.models import Interview, Opportunity, Stage

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"core", "account", "pipeline", "debriefs", "network"}
    }


def test_it_loads_the_demo_accounts_with_verified_addresses():
    assert _seed().strip() == "Demo data loaded."

    coach = User.objects.get(email=demo.COACH_EMAIL)
    editor = User.objects.get(email=demo.EDITOR_EMAIL)
    administrator = User.objects.get(email=demo.ADMINISTRATOR_EMAIL)
    member = User.objects.get(email=demo.MEMBER_EMAIL)
    assert coach.check_password(demo.COACH_PASSWORD)
    assert coach.role_names == {"coach"} and coach.is_staff
    assert editor.role_names == {"editor"} and editor.check_password(demo.EDITOR_PASSWORD)
    assert administrator.role_names == {"administrator"}
    assert administrator.check_password(demo.ADMINISTRATOR_PASSWORD)
    assert not User.objects.filter(is_superuser=True).exists()
    assert not member.is_staff and member.check_password(demo.MEMBER_PASSWORD)
    assert member.display_name == "Jordan Avery"
    assert EmailAddress.objects.filter(user__in=[coach, member], verified=True).count() == 2
    assert EmailAddress.objects.filter(verified=True).count() == 4


def test_it_refuses_to_load_the_demo_on_an_https_install_unless_forced(settings):
    settings.HTTPS = True

    with pytest.raises(CommandError, match="HTTPS"):
        _seed()
    assert not User.objects.exists()

    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert out.getvalue().strip() == "Demo data loaded."


def test_it_warns_on_check_deploy_while_a_demo_account_exists():
    assert not [m for m in demo_accounts_present() if m.id == "careertips.W001"]
    _seed()

    [warning] = demo_accounts_present()

    assert warning.id == "careertips.W001"
    assert demo.ADMINISTRATOR_EMAIL in warning.msg and demo.COACH_EMAIL in warning.msg
    User.objects.filter(email__in=[e for _, e, _ in demo.DEMO_LOGINS]).update(is_active=False)
    assert demo_accounts_present() == []


def test_it_runs_the_demo_account_warning_with_check_deploy():
    _seed()
    out, err = StringIO(), StringIO()

    call_command("check", "--deploy", "--fail-level", "CRITICAL", stdout=out, stderr=err)

    assert "careertips.W001" in err.getvalue() + out.getvalue()


def test_it_prints_every_demo_login_when_serving():
    from careertips.core.management.commands.serve import Command

    out = StringIO()
    command = Command(stdout=out)
    command._announce("127.0.0.1:8000")

    for _, email, password in demo.DEMO_LOGINS:
        assert f"{email} / {password}" in out.getvalue()


def test_it_loads_a_search_in_line_with_published_funnels():
    _seed()
    member = User.objects.get(email=demo.MEMBER_EMAIL)
    opportunities = Opportunity.objects.owned_by(member)
    applied = opportunities.exclude(applied_on=None)
    reached = {
        stage: applied.filter(stage_changes__to_stage=stage).distinct().count()
        for stage in (Stage.SCREENING, Stage.INTERVIEWING)
    }

    assert 40 <= applied.count() <= 50
    assert 6 <= reached[Stage.SCREENING] <= 10
    assert 4 <= reached[Stage.INTERVIEWING] <= 7
    assert opportunities.filter(stage=Stage.OFFER).count() == 1
    assert opportunities.filter(stage=Stage.NO_RESPONSE).count() >= 10
    oldest = min(applied.values_list("applied_on", flat=True))
    assert (member.local_today() - oldest).days <= 75
    assert 12 <= Contact.objects.owned_by(member).count() <= 20
    kinds = set(Organization.objects.owned_by(member).values_list("kind", flat=True))
    assert {"employer", "association", "recruiter"} <= kinds


def test_it_loads_debriefs_in_every_state():
    _seed()
    debriefs = Debrief.objects.filter(owner__email=demo.MEMBER_EMAIL)

    assert debriefs.count() == Opportunity.objects.filter(stage=Stage.TURNED_DOWN).count()
    just_opened = debriefs.filter(status="open", attempts__isnull=True)
    assert just_opened.exists()
    assert debriefs.filter(attempts__outcome="left_message").exists()
    with_feedback = debriefs.exclude(feedback="").filter(
        themes__isnull=False, actions__isnull=False
    )
    assert with_feedback.exists()
    assert debriefs.filter(status="open", thank_you_sent_at__isnull=False).exists()
    closed = debriefs.get(status="closed")
    assert closed.contact.meet_at.kind == Organization.Kind.ASSOCIATION
    assert closed.contact.next_touch_on > closed.owner.local_today()
    assert debriefs.filter(status="dismissed").exists()


def test_it_schedules_an_interview_tomorrow_with_prep_notes():
    _seed()
    member = User.objects.get(email=demo.MEMBER_EMAIL)
    tomorrow = member.local_today() + dt.timedelta(days=1)
    interviews = Interview.objects.filter(opportunity__owner=member)

    upcoming = [i for i in interviews if not i.is_past]
    past = [i for i in interviews if i.is_past]
    assert past and len(upcoming) >= 2
    zone = zoneinfo.ZoneInfo(member.time_zone)
    tomorrows = [i for i in upcoming if i.scheduled_at.astimezone(zone).date() == tomorrow]
    assert len(tomorrows) == 1
    assert "Questions to ask" in tomorrows[0].prep_notes


def test_it_creates_nothing_on_a_second_run():
    _seed()
    before = _row_counts()

    assert _seed().strip() == "Demo data already present."

    assert _row_counts() == before


def test_it_never_clobbers_what_the_member_changed():
    _seed()
    member = User.objects.get(email=demo.MEMBER_EMAIL)
    member.display_name = "Jordan A."
    member.set_password("my own password 123")
    member.save()
    Opportunity.objects.owned_by(member).filter(stage=Stage.INTERESTED).delete()
    remaining = Opportunity.objects.owned_by(member).count()

    _seed()

    member.refresh_from_db()
    assert member.display_name == "Jordan A."
    assert member.check_password("my own password 123")
    assert Opportunity.objects.owned_by(member).count() == remaining


def test_it_leaves_an_existing_coach_account_alone():
    coach = make_user(demo.COACH_EMAIL, display_name="The Real Coach")

    _seed()

    coach.refresh_from_db()
    assert coach.display_name == "The Real Coach"
    assert not coach.check_password(demo.COACH_PASSWORD)
    assert User.objects.filter(email=demo.MEMBER_EMAIL).exists()


def test_it_repeats_the_same_search_every_time():
    _seed()
    twin = make_user("twin@example.com", time_zone=demo.MEMBER_TIME_ZONE)

    for part in (network_demo, pipeline_demo, debriefs_demo):
        part.seed(member=twin)

    def search(email: str) -> list[tuple[str, str, str]]:
        rows = Opportunity.objects.filter(owner__email=email)
        return sorted(rows.values_list("organization__name", "title", "stage"))

    assert search("twin@example.com") == search(demo.MEMBER_EMAIL)
    assert len(search(demo.MEMBER_EMAIL)) >= 45  # the demo search, not two empty lists


def test_it_calls_app_seeders_with_only_the_accounts_they_accept(monkeypatch):
    calls: dict[str, dict] = {}

    def staff_only(*, staff):
        calls["staff_only"] = {"staff": staff.email}

    def both(*, staff, member):
        calls["both"] = {"staff": staff.email, "member": member.email}

    def anything(**kwargs):
        calls["anything"] = {k: v.email for k, v in kwargs.items()}

    monkeypatch.setattr(
        demo,
        "_demo_modules",
        lambda: {
            "staff_only": types.SimpleNamespace(seed=staff_only),
            "both": types.SimpleNamespace(seed=both),
            "anything": types.SimpleNamespace(seed=anything),
            "no_seed": types.SimpleNamespace(),
        },
    )

    _seed()

    assert calls == {
        "staff_only": {"staff": demo.COACH_EMAIL},
        "both": {"staff": demo.COACH_EMAIL, "member": demo.MEMBER_EMAIL},
        "anything": {"staff": demo.COACH_EMAIL, "member": demo.MEMBER_EMAIL},
    }


def test_it_seeds_an_app_after_the_apps_it_builds_on():
    modules = {
        "debriefs": types.SimpleNamespace(SEED_AFTER=("network", "pipeline")),
        "pipeline": types.SimpleNamespace(SEED_AFTER=("network",)),
        "pages": types.SimpleNamespace(),
        "network": types.SimpleNamespace(SEED_AFTER=("absent",)),
    }

    ordered = demo.in_seeding_order(modules)

    labels = {id(module): label for label, module in modules.items()}
    assert [labels[id(m)] for m in ordered] == ["network", "pipeline", "debriefs", "pages"]


def test_it_refuses_demo_parts_that_wait_for_each_other():
    modules = {
        "a": types.SimpleNamespace(SEED_AFTER=("b",)),
        "b": types.SimpleNamespace(SEED_AFTER=("a",)),
    }

    with pytest.raises(ValueError, match="wait for each other"):
        demo.in_seeding_order(modules)


def test_it_finds_every_apps_demo_part_through_the_registry():
    seeders = demo.app_seeders()

    order = [seed.__module__ for seed in seeders]
    assert order.index("careertips.network.demo") < order.index("careertips.pipeline.demo")
    assert order.index("careertips.pipeline.demo") < order.index("careertips.debriefs.demo")
    assert {"careertips.pages.demo", "careertips.newsletter.demo"} <= set(order)
