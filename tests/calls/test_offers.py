"""Offers from the knowledge base: accepted, or refused with a reason from the list."""

import pytest

from cc_terminal.services.calls.catalog import ProductItem
from cc_terminal.services.calls.offers import OfferDraft
from cc_terminal.services.common.errors import ValidationFailed
from tests.conftest import KNOWN_PHONE
from tests.helpers import count_rows


@pytest.fixture
def customer_id(ws, lead, clock):
    ws.catalog.add(
        lead,
        [
            ProductItem("MOB-M", "Mobil M", "tariff", 59900, "CZK", clock.now.date()),
            ProductItem(
                "OLD",
                "Old tariff",
                "tariff",
                100,
                "CZK",
                clock.now.date().replace(year=2020),
                clock.now.date().replace(year=2021),
            ),
        ],
    )
    return ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id


def test_an_accepted_offer_is_stored_at_the_catalogue_price(ws, jana, customer_id, clock):
    offer = ws.offers.record(jana, OfferDraft(customer_id, "MOB-M", accepted=True))
    assert (offer.product_name, offer.price_minor, offer.currency) == ("Mobil M", 59900, "CZK")
    assert offer.accepted and offer.refusal_reason == "" and offer.offered_at == clock.now


def test_a_refusal_keeps_its_reason_and_a_special_price(ws, jana, customer_id):
    draft = OfferDraft(customer_id, "MOB-M", False, 49900, "too_expensive")
    offer = ws.offers.record(jana, draft)
    assert (offer.accepted, offer.price_minor, offer.refusal_reason) == (
        False,
        49900,
        "too_expensive",
    )


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        ({"accepted": None}, "accepted"),
        ({"accepted": False}, "refusal_reason"),
        ({"accepted": False, "refusal_reason": "moon_phase"}, "refusal_reason"),
        ({"accepted": False, "refusal_reason": "other"}, "refusal_note"),
        ({"accepted": True, "price_minor": -1}, "price"),
        ({"accepted": True, "product_code": "NOPE"}, "product"),
        ({"accepted": True, "product_code": "OLD"}, "product"),
    ],
)
def test_an_incomplete_offer_is_refused_and_nothing_is_stored(ws, jana, customer_id, draft, field):
    fields = {"customer_id": customer_id, "product_code": "MOB-M", **draft}
    before = count_rows(ws, "offer")
    with pytest.raises(ValidationFailed) as failed:
        ws.offers.record(jana, OfferDraft(**fields))
    assert field in failed.value.errors
    assert count_rows(ws, "offer") == before


def test_other_with_words_is_accepted(ws, jana, customer_id):
    draft = OfferDraft(
        customer_id, "MOB-M", False, refusal_reason="other", refusal_note="moving abroad"
    )
    assert ws.offers.record(jana, draft).refusal_note == "moving abroad"
