from careertips.core.testing import AccessCase
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_interview, make_opportunity


def _opportunity(user):
    return {"pk": make_opportunity(owner=user, stage=Stage.APPLIED).pk}


def _interview(user):
    return {"pk": make_interview(opportunity=make_opportunity(owner=user)).pk}


CASES = [
    AccessCase("/opportunities/{pk}/", _opportunity),
    AccessCase("/opportunities/{pk}/edit/", _opportunity),
    AccessCase("/opportunities/{pk}/delete/", _opportunity),
    AccessCase("/opportunities/{pk}/delete/", _opportunity, method="post", owner_status=302),
    AccessCase("/opportunities/{pk}/move/", _opportunity, "post", {"stage": "screening"}, 302),
    AccessCase("/opportunities/{pk}/follow-up/", _opportunity, "post", owner_status=302),
    AccessCase("/opportunities/{pk}/interviews/new/", _opportunity),
    AccessCase("/opportunities/interviews/{pk}/edit/", _interview),
    AccessCase("/opportunities/interviews/{pk}/delete/", _interview),
    AccessCase("/opportunities/interviews/{pk}/delete/", _interview, "post", owner_status=302),
    AccessCase("/opportunities/interviews/{pk}/thank-you/", _interview, "post", owner_status=302),
]


# Offers and negotiation


def _offer(user):
    from careertips.pipeline.tests.offers_helpers import make_offer

    return {"pk": make_offer(owner=user).pk}


def _figure(user):
    from careertips.pipeline.offers import add_market_figure, negotiation_of
    from careertips.pipeline.tests.offers_helpers import make_offer

    negotiation = negotiation_of(make_offer(owner=user))
    figure = add_market_figure(negotiation=negotiation, source="Survey", low=90_000, high=120_000)
    return {"pk": figure.pk}


def _rate(user):
    from careertips.pipeline.tests.offers_helpers import make_rate

    return {"pk": make_rate(owner=user, source="EUR", target="USD", rate="1.08").pk}


_FIGURE = {"source": "Survey", "low": "90000", "high": "120000", "currency": "USD",
           "observed_on": "2020-01-01"}  # fmt: skip
_STEP = {"happened_on": "{today}", "asked": "A higher base?", "outcome": "waiting"}


def _offer_today(user):
    return {**_offer(user), "today": user.local_today().isoformat()}


CASES += [
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
