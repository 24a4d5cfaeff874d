"""Offers moved from the pipeline app with their tables: a database that holds offers in the
old layout migrates forward (and back) with every row where it was."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from careertips.offers.models import ExchangeRate, MarketFigure, Negotiation, NegotiationStep, Offer

# Migrating a schema cannot happen inside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)

# The last state before the move: the offers app has no migration applied, so pipeline's
# state-only 0006 is unapplied too and the pipeline owns the models again.
BEFORE_THE_MOVE = [("offers", None)]


def _migrate(targets):
    """Migrates to `targets` (latest when None) and returns the apps of the state reached."""
    executor = MigrationExecutor(connection)
    state = executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    return state.apps


@pytest.fixture
def before_the_move():
    apps = _migrate(BEFORE_THE_MOVE)
    try:
        yield apps
    finally:
        _migrate(None)


def _old_search(apps):
    """A member's offer, its worksheet and a rate, written through the pipeline's models."""
    owner = apps.get_model("core", "User").objects.create(email="old@example.com")
    organization = apps.get_model("network", "Organization").objects.create(
        owner=owner, name="Globex"
    )
    opportunity = apps.get_model("pipeline", "Opportunity").objects.create(
        owner=owner, organization=organization, title="Ops Director", stage="offer"
    )
    offer = apps.get_model("pipeline", "Offer").objects.create(
        opportunity=opportunity,
        received_on=dt.date(2026, 3, 9),
        currency="EUR",
        base_salary=95_000,
        bonus_kind="percent",
        bonus_percent=Decimal("12.50"),
        decision_deadline=dt.date(2026, 3, 20),
    )
    story = apps.get_model("stories", "Story").objects.create(
        owner=owner, title="Cut vendor costs", challenge="c", action="a", result="r"
    )
    negotiation = apps.get_model("pipeline", "Negotiation").objects.create(
        offer=offer, basis="annual", target=120_000, walk_away=100_000
    )
    negotiation.stories.add(story)
    apps.get_model("pipeline", "MarketFigure").objects.create(
        negotiation=negotiation, source="Survey", low=90_000, high=130_000, currency="EUR"
    )
    apps.get_model("pipeline", "NegotiationStep").objects.create(
        negotiation=negotiation, asked="A higher base?", outcome="countered"
    )
    apps.get_model("pipeline", "ExchangeRate").objects.create(
        owner=owner, from_currency="EUR", to_currency="USD", rate=Decimal("1.08")
    )
    return offer, story


def test_it_keeps_every_offer_row_when_the_models_move(before_the_move):
    old_offer, story = _old_search(before_the_move)

    _migrate(None)

    offer = Offer.objects.select_related("opportunity", "negotiation").get(pk=old_offer.pk)
    assert offer.base_salary == 95_000 and offer.currency == "EUR"
    assert offer.bonus_value == 11_875
    assert offer.opportunity.title == "Ops Director"
    negotiation = offer.negotiation
    assert (negotiation.basis, negotiation.target, negotiation.walk_away) == (
        "annual",
        120_000,
        100_000,
    )
    assert list(negotiation.stories.values_list("pk", flat=True)) == [story.pk]
    figure = MarketFigure.objects.get(negotiation=negotiation)
    assert (figure.source, figure.low, figure.high) == ("Survey", 90_000, 130_000)
    assert NegotiationStep.objects.get(negotiation=negotiation).outcome == "countered"
    rate = ExchangeRate.objects.get(owner_id=offer.opportunity.owner_id)
    assert rate.rate_text == "1.08"
    # The database still enforces what it did: deleting the opportunity takes the rest along.
    offer.opportunity.delete()
    assert not Negotiation.objects.exists() and not MarketFigure.objects.exists()


def test_it_moves_the_content_types_with_their_permissions():
    content_type = ContentType.objects.get_for_model(Offer)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="add_offer", defaults={"name": "Can add offer"}
    )
    try:
        _migrate(BEFORE_THE_MOVE)
        content_type.refresh_from_db()
        assert content_type.app_label == "pipeline"
    finally:
        _migrate(None)

    content_type.refresh_from_db()
    assert (content_type.app_label, content_type.model) == ("offers", "offer")
    assert Permission.objects.get(pk=permission.pk).content_type_id == content_type.pk


def test_it_leaves_no_model_change_without_a_migration():
    call_command("makemigrations", "offers", "pipeline", check=True, dry_run=True, verbosity=0)
