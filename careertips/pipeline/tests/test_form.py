import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from careertips.network.tests.helpers import make_contact, make_organization
from careertips.pipeline.forms import InterviewForm, ListFilterForm, MoveForm, OpportunityForm
from careertips.pipeline.models import Opportunity, Stage
from careertips.pipeline.tests.helpers import make_opportunity

NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _data(**overrides):
    data = {
        "title": "Operations Manager",
        "organization_name": "Acme Analytics",
        "posting_url": "https://jobs.example.com/42",
        "location": "Dayton, OH",
        "work_mode": "hybrid",
        "source": "referral",
        "pay_min": "80000",
        "pay_max": "95000",
        "currency": "USD",
        "found_on": "2026-03-01",
        "applied_on": "",
        "stage": "interested",
        "description": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def _errors(owner, instance=None, **overrides):
    form = OpportunityForm(_data(**overrides), owner=owner, instance=instance)
    form.is_valid()
    return form.errors


def test_it_accepts_a_complete_opportunity(alice):
    form = OpportunityForm(_data(), owner=alice)

    assert form.is_valid(), form.errors
    fields = form.opportunity_fields()
    assert fields["stage"] == "interested"
    assert fields["pay_min"] == 80_000
    assert "organization" not in fields


def test_it_requires_an_employer(alice):
    errors = _errors(alice, organization_name="  ")

    assert errors["organization"] == ["Choose an employer, or type a new employer's name."]


def test_it_accepts_a_chosen_employer(alice):
    org = make_organization(owner=alice, name="Globex")
    form = OpportunityForm(_data(organization=org.pk, organization_name=""), owner=alice)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["organization"] == org


def test_it_refuses_a_chosen_and_a_different_typed_employer(alice):
    org = make_organization(owner=alice, name="Globex")

    errors = _errors(alice, organization=org.pk, organization_name="Initech")

    assert errors["organization_name"] == ["Choose an employer or type a new one, not both."]


def test_it_refuses_another_members_employer(alice, bob):
    org = make_organization(owner=bob, name="Bob's Employer")

    errors = _errors(alice, organization=org.pk, organization_name="")

    assert "Select a valid choice" in errors["organization"][0]


def test_it_refuses_a_pay_range_upside_down(alice):
    errors = _errors(alice, pay_min="90000", pay_max="80000")

    assert errors["pay_max"] == ["The top of the range is below the bottom."]


@pytest.mark.parametrize("field", ["pay_min", "pay_max"])
def test_it_refuses_negative_pay(alice, field):
    errors = _errors(alice, **{field: "-5"})

    assert errors[field] == ["Pay cannot be negative."]


def test_it_refuses_absurd_pay(alice):
    errors = _errors(alice, pay_max="10000000000")

    assert errors["pay_max"] == ["Enter at most 999,999,999."]


@pytest.mark.parametrize("currency", ["XYZ", "usd", "DOLLARS", ""])
def test_it_refuses_a_currency_not_in_the_list(alice, currency):
    errors = _errors(alice, currency=currency)

    assert "currency" in errors


def test_it_refuses_applying_before_finding(alice):
    errors = _errors(alice, stage="applied", found_on="2026-03-05", applied_on="2026-03-04")

    assert errors["applied_on"] == ["You cannot apply before you found the opportunity."]


@pytest.mark.parametrize("field", ["found_on", "applied_on"])
def test_it_refuses_dates_after_today(alice, field):
    errors = _errors(alice, stage="applied", **{field: "2026-03-11"})

    assert errors[field] == ["This date is in the future; use today or earlier."]


def test_it_uses_the_members_own_today(alice):
    alice.time_zone = "Pacific/Kiritimati"  # UTC+14: already March 11 there
    form = OpportunityForm(_data(found_on="2026-03-11"), owner=alice)

    assert form.is_valid(), form.errors


def test_it_refuses_dates_long_ago(alice):
    errors = _errors(alice, found_on="0202-03-01")

    assert errors["found_on"] == ["Check the year: this date is too far in the past."]


def test_it_refuses_an_applied_date_while_only_interested(alice):
    errors = _errors(alice, stage="interested", applied_on="2026-03-02")

    assert errors["applied_on"] == [
        "Leave this empty until you apply, or choose the stage “Applied”."
    ]


def test_it_refuses_an_applied_date_on_an_opportunity_not_applied_for(alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERESTED)

    errors = _errors(alice, instance=opportunity, applied_on="2026-03-02", found_on="2026-03-01")

    assert errors["applied_on"] == [
        "Leave this empty until you apply: moving it to “Applied” records the date."
    ]


def test_it_keeps_the_applied_date_of_an_application(alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.APPLIED)

    errors = _errors(alice, instance=opportunity, applied_on="", found_on="2026-03-01")

    assert errors["applied_on"] == ["Give the date you applied."]


@pytest.mark.parametrize("url", ["not a url", "javascript:alert(1)", "ftp://example.com/x"])
def test_it_refuses_a_bad_posting_url(alice, url):
    errors = _errors(alice, posting_url=url)

    assert errors["posting_url"] == ["Enter a web address (https://…)."]


@pytest.mark.parametrize(
    ("field", "size", "limit"),
    [("title", 201, 200), ("location", 201, 200), ("notes", 20_001, 20_000),
     ("description", 50_001, 50_000), ("organization_name", 201, 200)],
)  # fmt: skip
def test_it_refuses_oversized_text(alice, field, size, limit):
    errors = _errors(alice, **{field: "x" * size})

    assert errors[field] == [f"Ensure this value has at most {limit} characters (it has {size})."]


def test_it_offers_no_stage_when_editing(alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.SCREENING)

    form = OpportunityForm(instance=opportunity, owner=alice)

    assert "stage" not in form.fields
    assert form.initial["organization"] == opportunity.organization_id


def test_it_offers_only_the_allowed_moves(alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERESTED)

    form = MoveForm(opportunity=opportunity)

    values = [value for value, _ in form.fields["stage"].widget.choices]
    assert values == ["", "applied", "screening", "interviewing", "withdrawn"]


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        ("", "Choose the stage to move to."),
        ("hired", "Choose one of the listed stages."),
        ("applied", "“Operations Manager” is already at the Applied stage."),
        ("accepted", "An opportunity that is applied cannot move to accepted."),
    ],
)
def test_it_explains_a_refused_move(alice, stage, message):
    opportunity = make_opportunity(owner=alice, stage=Stage.APPLIED)

    form = MoveForm({"stage": stage}, opportunity=opportunity)

    assert not form.is_valid()
    assert form.errors["stage"] == [message]


def test_it_refuses_a_long_move_note(alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.APPLIED)

    form = MoveForm({"stage": "screening", "note": "x" * 501}, opportunity=opportunity)

    assert "at most 500 characters" in form.errors["note"][0]


def test_it_ignores_unknown_list_filters(alice):
    make_opportunity(owner=alice)
    form = ListFilterForm({"stage": "bogus", "source": "<script>", "sort": "password"})

    rows = form.filter(Opportunity.objects.owned_by(alice))

    assert rows.count() == 1
    assert not form.is_filtered


def _interview_data(**overrides):
    data = {
        "scheduled_at": "2026-03-12T10:30",
        "duration_minutes": "45",
        "kind": "video",
        "prep_notes": "",
        "new_interviewers": "",
    }
    data.update(overrides)
    return data


def test_it_accepts_an_interview_with_new_interviewers(alice):
    dana = make_contact(owner=alice)
    form = InterviewForm(
        _interview_data(interviewers=[dana.pk], new_interviewers="Sam Ortiz, , Kim  Lee"),
        owner=alice,
    )

    assert form.is_valid(), form.errors
    fields = form.interview_fields()
    assert fields["interviewers"] == [dana]
    assert fields["new_interviewer_names"] == ["Sam Ortiz", "Kim Lee"]
    assert fields["scheduled_at"] == dt.datetime(
        2026, 3, 12, 10, 30, tzinfo=timezone.get_current_timezone()
    )


def test_it_refuses_another_members_contact_as_interviewer(alice, bob):
    stranger = make_contact(owner=bob, name="Eve")

    form = InterviewForm(_interview_data(interviewers=[stranger.pk]), owner=alice)

    assert not form.is_valid()
    assert "Select a valid choice" in form.errors["interviewers"][0]


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("2027-04-01T10:00", "That is more than a year away; check the date."),
        ("2019-01-01T10:00", "That is years ago; check the date."),
        ("tomorrow", "Enter a valid date/time."),
        ("", "This field is required."),
    ],
)
def test_it_refuses_interview_times_that_make_no_sense(alice, when, message):
    form = InterviewForm(_interview_data(scheduled_at=when), owner=alice)

    assert form.errors["scheduled_at"] == [message]


@pytest.mark.parametrize("minutes", ["0", "4", "601", "-30"])
def test_it_refuses_odd_interview_lengths(alice, minutes):
    form = InterviewForm(_interview_data(duration_minutes=minutes), owner=alice)

    assert form.errors["duration_minutes"] == ["Enter a length between 5 and 600 minutes."]


def test_it_refuses_too_many_or_too_long_interviewer_names(alice):
    many = InterviewForm(
        _interview_data(new_interviewers=",".join(f"P{i}" for i in range(11))), owner=alice
    )
    long = InterviewForm(_interview_data(new_interviewers="x" * 201), owner=alice)

    assert many.errors["new_interviewers"] == ["Add at most 10 interviewers at a time."]
    assert long.errors["new_interviewers"] == ["Each name can have at most 200 characters."]


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "-1"])
def test_it_refuses_junk_interviewer_ids(alice, value):
    form = InterviewForm(_interview_data(interviewers=[value]), owner=alice)

    assert not form.is_valid()
    assert "interviewers" in form.errors


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999"])
def test_it_refuses_junk_employer_ids(alice, value):
    errors = _errors(alice, organization=value, organization_name="")

    assert "organization" in errors
