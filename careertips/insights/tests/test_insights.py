"""Insights add up the member's own search: the funnel, sources, weekly rhythm and themes."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careertips.debriefs.models import Theme
from careertips.debriefs.services import record_feedback
from careertips.debriefs.tests.helpers import make_debrief
from careertips.insights import charts
from careertips.insights.services import _STEP_RANKS, FUNNEL, REACHED, WEEKS, insights_for
from careertips.network.models import Touchpoint
from careertips.network.tests.helpers import make_contact
from careertips.pipeline.models import Source, Stage
from careertips.pipeline.services import move_opportunity
from careertips.pipeline.tests.helpers import make_interview, make_opportunity

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 17, 15, 0, tzinfo=dt.UTC)  # a Wednesday
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _applied(owner, days_ago, *path, source=Source.JOB_BOARD, title="Operations Manager"):
    """An application sent `days_ago`, then moved along `path`, a day between each move."""
    applied_on = TODAY - dt.timedelta(days=days_ago)
    opportunity = make_opportunity(
        owner=owner, title=title, source=source, applied_on=applied_on,
        found_on=applied_on - dt.timedelta(days=1),
    )  # fmt: skip
    when = timezone.now() - dt.timedelta(days=days_ago)
    for step, stage in enumerate(path, start=1):
        move_opportunity(
            opportunity=opportunity, to_stage=stage, when=when + dt.timedelta(days=2 * step)
        )
    return opportunity


@pytest.fixture
def search(alice, bob):
    _applied(alice, 10)  # no reply yet
    _applied(alice, 20, Stage.NO_RESPONSE)
    _applied(alice, 30, Stage.SCREENING, Stage.TURNED_DOWN, source=Source.REFERRAL)
    _applied(alice, 40, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.OFFER_DECLINED,
             source=Source.REFERRAL)  # fmt: skip
    _applied(alice, 50, Stage.INTERVIEWING, source=Source.NETWORK)
    _applied(alice, 200, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED)
    make_opportunity(owner=alice, stage=Stage.INTERESTED)  # never applied: not counted
    _applied(bob, 5, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER)  # someone else's


def test_it_counts_each_funnel_step_reached_in_the_period(alice, search):
    funnel = {step.stage: step for step in insights_for(alice, period="90").funnel}

    # Straight to interviewing (the 50-day one) got past screening too.
    assert [funnel[s].count for s in funnel] == [5, 3, 2, 1, 0]
    assert funnel[Stage.SCREENING].of_previous == pytest.approx(3 / 5)
    assert funnel[Stage.OFFER].of_previous == pytest.approx(1 / 2)
    assert funnel[Stage.OFFER].of_first == pytest.approx(1 / 5)
    assert funnel[Stage.APPLIED].of_previous is None
    whole = {step.stage: step.count for step in insights_for(alice, period="all").funnel}
    assert whole == {"applied": 6, "screening": 4, "interviewing": 3, "offer": 2, "accepted": 1}


def test_it_ranks_sources_by_how_often_they_answer(alice, search):
    rows = {row.source: row for row in insights_for(alice, period="90").sources}

    assert (rows["referral"].applications, rows["referral"].responses) == (2, 2)
    assert (rows["job_board"].applications, rows["job_board"].responses) == (2, 0)
    assert rows["network"].interviews == 1 and rows["recruiter"].applications == 0
    ranked = [row.source for row in insights_for(alice, period="90").sources]
    assert ranked[:2] == ["referral", "network"] and ranked.index("job_board") < ranked.index(
        "recruiter"
    )


def test_it_gives_the_middle_wait_for_a_reply(alice, search):
    found = insights_for(alice, period="90")
    # Replies came 2 days after applying each time (the first move of each path).
    assert (found.median_days_to_response, found.responses_timed) == (2, 3)


def test_it_covers_twelve_weeks_in_the_members_time_zone(alice):
    alice.time_zone = "America/Los_Angeles"
    alice.save()
    contact = make_contact(owner=alice)
    Touchpoint.objects.create(owner=alice, contact=contact, kind="call", happened_on=TODAY)
    Touchpoint.objects.create(
        owner=alice, contact=contact, kind="email", happened_on=TODAY - dt.timedelta(days=100)
    )
    _applied(alice, 0)
    _applied(alice, 7)
    # Monday 06:00 UTC is still Sunday in Los Angeles: last week, not this one.
    monday = dt.datetime(2026, 6, 15, 6, 0, tzinfo=dt.UTC)
    make_interview(opportunity=_applied(alice, 30), scheduled_at=monday)

    weeks = insights_for(alice).weeks

    assert len(weeks) == WEEKS and weeks[-1].starts_on == dt.date(2026, 6, 15)
    assert weeks[0].starts_on == dt.date(2026, 6, 15) - dt.timedelta(weeks=WEEKS - 1)
    assert (weeks[-1].applications, weeks[-1].touches, weeks[-1].interviews) == (1, 1, 0)
    assert (weeks[-2].applications, weeks[-2].interviews) == (1, 1)
    assert sum(w.touches for w in weeks) == 1


def test_it_counts_debrief_themes_most_frequent_first(alice, bob):
    for detail in ("budget", "scale"):
        debrief = make_debrief(owner=alice)
        record_feedback(debrief=debrief, feedback="…", themes=[(Theme.EXPERIENCE_GAP, detail)])
    record_feedback(debrief=make_debrief(owner=alice), feedback="…", themes=[(Theme.FIT, "")])
    record_feedback(debrief=make_debrief(owner=bob), feedback="…", themes=[(Theme.FIT, "")])

    assert insights_for(alice).themes == [("Perceived experience gap", 2), ("Fit", 1)]


def test_it_costs_the_same_queries_however_long_the_search(alice, bob, search):
    for n in range(30):
        _applied(bob, n, Stage.SCREENING, Stage.INTERVIEWING, source=Source.NETWORK)

    def queries(user):
        with CaptureQueriesContext(connection) as captured:
            insights_for(user)
        return len(captured.captured_queries)

    assert queries(alice) == queries(bob) <= 6


def test_it_draws_the_charts_with_the_numbers_beside_them(alice, alice_client, search):
    record_feedback(debrief=make_debrief(owner=alice), feedback="…", themes=[(Theme.FIT, "")])
    response = alice_client.get("/insights/?period=all")

    page = response.content.decode()
    assert response.status_code == 200
    # The weekly rhythm in SVG; funnel, sources and themes as bars that wrap on a phone.
    assert page.count('<svg class="chart"') == 1 and page.count('class="hbars"') == 3
    assert page.count('role="img"') == 1 and page.count("<figcaption") == 3
    assert "How far your applications got" in page and "Referral" in page
    # Six applications, and the one behind the debrief, in the table beside the funnel.
    assert response.context["insights"].applications == 7 and "<td>7</td>" in page
    assert "The whole search" in page


def test_it_explains_a_period_it_does_not_offer_at_the_field(alice_client, search):
    response = alice_client.get("/insights/?period=9999")

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert response.context["insights"].period == "90"


def test_it_gives_an_empty_search_a_hint_instead_of_empty_charts(client, bob):
    client.force_login(bob)
    page = client.get("/insights/").content.decode()
    assert "Nothing to add up yet" in page and "<svg" not in page and "hbars" not in page


def test_it_escapes_chart_labels_and_scales_bars_to_the_longest():
    bars = charts.bar_chart(
        [charts.Bar("<script>alert(1)</script>", 3, "3 & more"), charts.Bar("Two", 1.5, "x")],
        title="T <b>", description="D",
    )  # fmt: skip
    assert "<script>" not in bars and "&lt;script&gt;" in bars and "3 &amp; more" in bars
    assert "T &lt;b&gt;" in bars
    assert 'width="100.0"' in bars and 'width="50.0"' in bars and "style=" not in bars
    columns = charts.column_chart(
        [dt.date(2026, 6, 1)], [charts.Series("<i>", [2], "chart-series-1")],
        title="W", description="D",
    )  # fmt: skip
    assert "<i>" not in columns and "&lt;i&gt;: 2 in the week of Jun 1" in columns


def test_it_sends_visitors_to_sign_in(client):
    assert client.get("/insights/")["Location"].startswith("/accounts/login/")


def test_it_tells_referrals_apart_by_who_referred(alice, alice_client):
    jane = make_contact(owner=alice, name="Jane Doe")
    sam = make_contact(owner=alice, name="Sam Ortiz")
    for path in [(Stage.SCREENING,), (Stage.SCREENING, Stage.INTERVIEWING), ()]:
        opportunity = _applied(alice, 10, *path, source=Source.REFERRAL)
        opportunity.referred_by = jane
        opportunity.save(update_fields=["referred_by"])
    opportunity = _applied(alice, 12, source=Source.REFERRAL)
    opportunity.referred_by = sam
    opportunity.save(update_fields=["referred_by"])
    _applied(alice, 14, Stage.SCREENING, source=Source.REFERRAL)  # no one named
    _applied(alice, 16)  # a job board: no breakdown

    rows = {row.source: row for row in insights_for(alice).sources}
    referral = rows[Source.REFERRAL]

    assert (referral.applications, referral.responses, referral.interviews) == (5, 3, 1)
    assert [(r.label, r.applications, r.responses, r.interviews) for r in referral.referrers] == [
        ("Referral — Jane Doe", 3, 2, 1),
        ("Referral — Sam Ortiz", 1, 0, 0),
        ("Referral — no one named", 1, 1, 0),
    ]
    assert rows[Source.JOB_BOARD].referrers == ()
    page = alice_client.get("/insights/").content.decode()
    assert f'<a href="/network/contacts/{jane.pk}/">Referral — Jane Doe</a>' in page


def test_it_leaves_referrals_whole_when_no_referrer_is_named(alice):
    _applied(alice, 10, Stage.SCREENING, source=Source.REFERRAL)

    rows = {row.source: row for row in insights_for(alice).sources}

    assert rows[Source.REFERRAL].applications == 1
    assert rows[Source.REFERRAL].referrers == ()


def test_it_costs_the_same_queries_however_many_referrers(alice, bob, search):
    for n in range(12):
        opportunity = _applied(bob, n, Stage.SCREENING, source=Source.REFERRAL)
        opportunity.referred_by = make_contact(owner=bob, name=f"Referrer {n}")
        opportunity.save(update_fields=["referred_by"])

    def queries(user):
        with CaptureQueriesContext(connection) as captured:
            insights_for(user)
        return len(captured.captured_queries)

    assert queries(alice) == queries(bob) <= 6


def test_it_ranks_the_steps_so_that_reaching_one_is_reaching_its_rank():
    """The funnel counts an opportunity as far as the highest rank of its stages: each step's
    rank must pick out exactly the stages that count as having reached it."""
    for position, stage in enumerate(FUNNEL, start=1):
        at_or_past = {name for name, rank in _STEP_RANKS.items() if rank >= position}
        assert at_or_past == set(REACHED[stage]), stage
    assert set(_STEP_RANKS) <= set(Stage.values)
