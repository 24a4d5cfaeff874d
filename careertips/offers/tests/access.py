from careertips.core.testing import AccessCase
from careertips.offers.services.negotiation import add_market_figure, negotiation_of
from careertips.offers.tests.factories import make_offer, make_rate
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_opportunity


def _opportunity(user):
    return {"pk": make_opportunity(owner=user, stage=Stage.APPLIED).pk}


def _offer(user):
    return {"pk": make_offer(owner=user).pk}


def _figure(user):
    negotiation = negotiation_of(make_offer(owner=user))
    figure = add_market_figure(negotiation=negotiation, source="Survey", low=90_000, high=120_000)
    return {"pk": figure.pk}


def _rate(user):
    return {"pk": make_rate(owner=user, source="EUR", target="USD", rate="1.08").pk}


_FIGURE = {"source": "Survey", "low": "90000", "high": "120000", "currency": "USD",
           "observed_on": "2020-01-01"}  # fmt: skip
_STEP = {"happened_on": "{today}", "asked": "A higher base?", "outcome": "waiting"}


def _offer_today(user):
    return {**_offer(user), "today": user.local_today().isoformat()}


CASES = [
    AccessCase("/opportunities/{pk}/offer/new/", _opportunity),
    AccessCase("/opportunities/offers/{pk}/edit/", _offer),
    AccessCase("/opportunities/offers/{pk}/delete/", _offer),
    AccessCase("/opportunities/offers/{pk}/delete/", _offer, "post", owner_status=302),
    AccessCase("/opportunities/offers/{pk}/negotiate/", _offer),
    AccessCase(
        "/opportunities/offers/{pk}/negotiate/", _offer, "post",
        {"basis": "base", "target": "120000", "walk_away": "100000"}, 302,
    ),
    AccessCase("/opportunities/offers/{pk}/negotiate/figures/", _offer, "post", _FIGURE, 302),
    AccessCase("/opportunities/offers/{pk}/negotiate/case/", _offer, "post", owner_status=302),
    AccessCase("/opportunities/offers/{pk}/negotiate/log/", _offer_today, "post", _STEP, 302),
    AccessCase("/opportunities/offers/{pk}/accept/", _offer),
    AccessCase("/opportunities/offers/{pk}/accept/", _offer, "post", owner_status=302),
    AccessCase("/opportunities/offers/figures/{pk}/delete/", _figure, "post", owner_status=302),
    AccessCase("/opportunities/offers/rates/{pk}/delete/", _rate, "post", owner_status=302),
]  # fmt: skip
