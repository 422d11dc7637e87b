"""Offers from the knowledge base: accepted, or refused with a reason from the list."""

import uuid

import pytest

from cc_terminal.models.base import new_id
from cc_terminal.services.calls.catalog import ProductItem
from cc_terminal.services.calls.offers import OfferDraft
from cc_terminal.services.common.errors import ValidationFailed
from tests.conftest import KNOWN_PHONE
from tests.helpers import count_rows, max_seq, ops_since


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
    ("draft", "field", "message"),
    [
        ({"accepted": None}, "accepted", "Say whether the customer accepted or refused."),
        ({"accepted": False}, "refusal_reason", "Choose why they refused."),
        (
            {"accepted": False, "refusal_reason": "moon_phase"},
            "refusal_reason",
            "Unknown refusal reason: moon_phase.",
        ),
        (
            {"accepted": False, "refusal_reason": "other"},
            "refusal_note",
            "Say in a few words why they refused.",
        ),
        (
            {"accepted": False, "refusal_reason": "other", "refusal_note": "bell \x07"},
            "refusal_note",
            "A control character (U+0007) cannot be stored; remove it.",
        ),
        ({"accepted": True, "price_minor": -1}, "price", "A price cannot be negative."),
        ({"accepted": True, "product_code": "NOPE"}, "product", "No such product: NOPE."),
        ({"accepted": True, "product_code": "OLD"}, "product", "Old tariff is not on offer today."),
        ({"accepted": True, "customer_id": new_id()}, "customer", "No such customer."),
    ],
)
def test_an_incomplete_offer_is_refused_and_nothing_is_stored(
    ws, jana, customer_id, draft, field, message
):
    fields = {"customer_id": customer_id, "product_code": "MOB-M", **draft}
    before = count_rows(ws, "offer")
    with pytest.raises(ValidationFailed) as failed:
        ws.offers.record(jana, OfferDraft(**fields))
    assert failed.value.errors == {field: message}
    assert count_rows(ws, "offer") == before


def test_other_with_words_is_accepted(ws, jana, customer_id):
    draft = OfferDraft(
        customer_id, "MOB-M", False, refusal_reason="other", refusal_note="moving abroad"
    )
    assert ws.offers.record(jana, draft).refusal_note == "moving abroad"


def test_an_offer_on_the_last_day_of_its_product_and_free_of_charge_is_stored(
    ws, lead, jana, customer_id, clock
):
    today = clock.now.date()
    ws.catalog.add(lead, [ProductItem("LAST", "Last day", "promotion", 100, "CZK", today, today)])
    offer = ws.offers.record(jana, OfferDraft(customer_id, "LAST", True, price_minor=0))
    assert (offer.product_name, offer.price_minor) == ("Last day", 0)


def test_an_accepted_offer_drops_a_reason_picked_before_and_keeps_its_call(ws, jana, customer_id):
    call_id = new_id()
    draft = OfferDraft(
        customer_id,
        "MOB-M",
        True,
        refusal_reason="too_expensive",
        refusal_note="thought about it",
        call_id=call_id,
    )
    before = max_seq(ws)
    offer = ws.offers.record(jana, draft)
    assert (offer.refusal_reason, offer.refusal_note) == ("", "")
    [op] = [op for op in ops_since(ws, before) if op["entity"] == "offer"]
    assert uuid.UUID(str(op["actor_id"])) == jana.operator_id
    assert uuid.UUID(str(op["row_id"])) == offer.id
    assert uuid.UUID(str(op["changes"]["call_id"])) == call_id
    assert ws.customers.card(customer_id).timeline[0].record_id == offer.id
