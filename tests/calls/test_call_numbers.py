"""The stored call carries the number its caller was identified by, or the card's: the
F2 screen's call in progress (OpenCall) saved through the service, on both stores."""

from datetime import timedelta

import pytest

from cc_terminal.screens.calls.open_call import OpenCall
from tests.conftest import KNOWN_PHONE, SHARED_PHONE
from tests.helpers import rows


def save(ws, jana, clock, call: OpenCall) -> str:
    clock.advance(60)
    ws.calls.record(jana, call.finished(clock(), "billing", "resolved", ""))
    [(phone,)] = rows(ws, "SELECT phone_e164 FROM call")  # the seeded floor has no calls
    return phone


def test_a_caller_found_by_a_shared_number_is_filed_under_that_number(ws, jana, clock):
    found = ws.customers.lookup_phone("602 000 111")
    call = OpenCall.start(found.matches[1], clock(), found.e164)
    assert save(ws, jana, clock, call) == SHARED_PHONE


def test_a_caller_found_by_name_is_filed_under_the_cards_number(ws, jana, clock):
    ws.customers.lookup_phone("777 000 111")  # a stranger's number looked up first
    hit = ws.search.search("novak praha")[0]
    call = OpenCall.start(ws.customers.card(hit.id), clock())
    assert save(ws, jana, clock, call) == KNOWN_PHONE


def test_a_restored_draft_keeps_its_number_and_a_reload_keeps_it_too(ws, jana, clock):
    found = ws.customers.lookup_phone(SHARED_PHONE)
    opened = OpenCall.start(found.matches[0], clock() - timedelta(minutes=2), found.e164)
    ws.drafts.save(jana.operator_id, opened.draft_state("billing", "Two bills"))
    draft = ws.drafts.load(jana.operator_id)
    assert draft is not None
    call = OpenCall.restore(ws.customers.card(draft.customer_id), draft)
    call = call.with_card(ws.customers.card(call.card.id))
    assert (call.call_id, call.started_at) == (opened.call_id, opened.started_at)
    assert save(ws, jana, clock, call) == SHARED_PHONE


def test_another_customers_card_cannot_replace_the_card_of_a_call(ws, clock):
    jan = ws.customers.lookup_phone(KNOWN_PHONE).matches[0]
    marie = ws.customers.lookup_phone(SHARED_PHONE).matches[0]
    with pytest.raises(ValueError):
        OpenCall.start(jan, clock(), KNOWN_PHONE).with_card(marie)


def test_a_number_the_card_does_not_have_gives_way_to_the_cards(ws, jana, clock):
    jan = ws.customers.lookup_phone(KNOWN_PHONE).matches[0]
    call = OpenCall.start(jan, clock(), "+420777000111")
    assert save(ws, jana, clock, call) == KNOWN_PHONE
