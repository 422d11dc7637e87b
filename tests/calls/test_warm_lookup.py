"""The screen pop's statements are compiled before the first caller (CustomerService.
warm_lookup, run with today's figures' while the person at the sign-in screen types): the
first pop then compiles nothing, and the warming reads nothing of a person."""

from __future__ import annotations

from cc_terminal.services.workstation import Workstation
from tests.tally.test_warm_today import statements_compiled


def test_a_first_pop_compiles_its_statements(ws: Workstation) -> None:
    with statements_compiled(ws) as compiled:
        found = ws.customers.lookup_phone("601123456")
    assert len(found.matches) == 1  # one customer: the card comes with its ledger
    assert len(compiled) >= 2  # the number's, the phones' (the ledger's on the driver's cursor)


def test_after_warming_the_first_pop_compiles_nothing(ws: Workstation) -> None:
    ws.customers.warm_lookup()
    with statements_compiled(ws) as compiled:
        found = ws.customers.lookup_phone("601123456")
        several = ws.customers.card(found.matches[0].id)
    assert compiled == []
    assert len(found.matches) == 1 and several.id == found.matches[0].id


def test_the_warming_finds_nobody(ws: Workstation) -> None:
    with statements_compiled(ws) as compiled:
        ws.customers.warm_lookup()
    assert compiled  # it ran the statements; what they found was nothing, and is dropped
