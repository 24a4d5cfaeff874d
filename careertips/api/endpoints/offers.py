"""Offers, read only: they are made and negotiated on the offer pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from careertips.api.auth import reader
from careertips.api.endpoints.common import Cursor, Limit, Page, PathId
from careertips.offers.models import Offer
from careertips.offers.services import get_offer_for

router = Router(tags=["Offers"])


class OfferOut(Schema):
    id: int
    opportunity_id: int
    received_on: dt.date
    currency: str
    base_salary: int
    bonus_kind: str
    bonus_amount: int | None
    bonus_percent: Decimal | None
    equity_kind: str
    equity_amount: int | None
    vesting_years: int | None
    sign_on_bonus: int
    benefits: str
    benefits_value: int | None
    start_date: dt.date | None
    decision_deadline: dt.date | None
    notes: str


class OfferPage(Page):
    items: list[OfferOut]


@router.get("", response=OfferPage, operation_id="listOffers")
def list_offers(request: HttpRequest, cursor: str | None = None, limit: Limit = 50) -> dict:
    rows = Offer.objects.owned_by(reader(request))
    items, next_cursor = Cursor().page(rows, cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{pk}", response=OfferOut, operation_id="getOffer")
def get_offer(request: HttpRequest, pk: PathId) -> Offer:
    return get_offer_for(reader(request), pk)
