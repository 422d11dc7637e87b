from datetime import timedelta

import pytest

from cc_terminal import phase_marks
from cc_terminal.models.base import new_id
from cc_terminal.services.common.errors import ConflictError, NotFound, ValidationFailed
from cc_terminal.services.common.views import CallDraft, CustomerDraft, Phone
from tests.conftest import KNOWN_PHONE, SHARED_PHONE
from tests.helpers import count_rows


@pytest.mark.parametrize(
    "typed", ["+420 601 123 456", "601123456", "00420601123456", "(601) 12-34-56"]
)
def test_lookup_finds_the_customer_however_the_number_is_typed(ws, typed):
    found = ws.customers.lookup_phone(typed)
    assert found.e164 == KNOWN_PHONE
    assert [card.full_name for card in found.matches] == ["Jan Novák"]
    assert found.matches[0].address == "Dlouhá 12, 110 00 Praha"


def test_a_shared_number_returns_every_customer(ws):
    names = {card.full_name for card in ws.customers.lookup_phone(SHARED_PHONE).matches}
    assert names == {"Marie Nováková", "Josef Novák"}


def test_a_shared_number_brings_each_last_contact_and_no_ledger(ws, jana, clock):
    """Several cards are to choose from: each with when they last called, none with its
    ledger (only the chosen card's is read)."""
    found = ws.customers.lookup_phone(SHARED_PHONE).matches
    marie = next(card for card in found if card.full_name == "Marie Nováková")
    started = clock.now - timedelta(seconds=60)
    ws.calls.record(
        jana,
        CallDraft(marie.id, SHARED_PHONE, started, started, clock.now, "billing", "resolved", ""),
    )
    matches = ws.customers.lookup_phone(SHARED_PHONE).matches
    assert {(c.id == marie.id, c.last_contact) for c in matches} == {
        (True, started),
        (False, None),
    }
    assert [c.timeline for c in matches] == [(), ()]
    assert ws.customers.card(marie.id).timeline[0].at == started


def test_the_card_carries_its_numbers_as_shown_and_is_no_priority_at_first(ws):
    card = ws.customers.lookup_phone(KNOWN_PHONE).matches[0]
    assert card.phones == (Phone(KNOWN_PHONE, "+420 601 123 456"),)
    assert card.priority is False


def test_an_unknown_customer_has_no_card(ws):
    with pytest.raises(NotFound) as failed:
        ws.customers.card(new_id())
    assert str(failed.value) == "No such customer."


def test_the_screen_pop_marks_the_ledger_s_edges_for_the_benchmark(ws, monkeypatch):
    marks: list[str] = []
    monkeypatch.setattr(phase_marks, "listener", marks.append)
    ws.customers.lookup_phone(KNOWN_PHONE)
    assert marks == ["ledger start", "ledger done"]


def test_an_unknown_number_returns_no_match_but_its_normal_form(ws):
    found = ws.customers.lookup_phone("777 000 111")
    assert (found.e164, found.display, found.matches) == ("+420777000111", "+420 777 000 111", ())


def test_a_bad_number_is_a_field_error(ws):
    with pytest.raises(ValidationFailed) as failed:
        ws.customers.lookup_phone("12ab")
    assert "phone" in failed.value.errors


def test_create_normalises_every_phone(ws, jana):
    card = ws.customers.create(
        jana,
        CustomerDraft(full_name="Eva Malá", phones="777 000 111; +420 602 111 222", city="Plzeň"),
    )
    assert [p.e164 for p in card.phones] == ["+420777000111", "+420602111222"]
    assert ws.customers.lookup_phone("602111222").matches[0].id == card.id


def test_bad_input_names_every_field_and_saves_nothing(ws, jana):
    before = count_rows(ws, "customer"), count_rows(ws, "outbox_op")
    draft = CustomerDraft(full_name="", phones="601 12", email="not-an-address", city="x" * 81)
    with pytest.raises(ValidationFailed) as failed:
        ws.customers.create(jana, draft)
    assert set(failed.value.errors) == {"full_name", "phones", "email", "city"}
    assert "601 12" in failed.value.errors["phones"]
    assert (count_rows(ws, "customer"), count_rows(ws, "outbox_op")) == before


def test_a_customer_needs_a_phone(ws, jana):
    with pytest.raises(ValidationFailed, match="At least one phone"):
        ws.customers.create(jana, CustomerDraft(full_name="Eva Malá", phones=" , "))


def test_create_many_is_all_or_nothing(ws, jana):
    before = count_rows(ws, "customer")
    drafts = [
        CustomerDraft(full_name="Good One", phones="777 000 222"),
        CustomerDraft(full_name="Bad One", phones="nope"),
    ]
    with pytest.raises(ValidationFailed, match="row 2"):
        ws.customers.create_many(jana, drafts)
    assert count_rows(ws, "customer") == before


def test_update_uses_optimistic_versioning(ws, jana, petr):
    card = ws.customers.lookup_phone(KNOWN_PHONE).matches[0]
    draft = CustomerDraft.from_card(
        card, phones="601123456, 777 999 888", notes="Moved in with his son."
    )
    updated = ws.customers.update(jana, card.id, draft, card.version)
    assert updated.version == card.version + 1
    assert [p.e164 for p in updated.phones] == [KNOWN_PHONE, "+420777999888"]
    with pytest.raises(ConflictError):
        ws.customers.update(petr, card.id, draft, card.version)
