"""The screen pop's statements are compiled before the first caller (CustomerService.
warm_lookup, run with today's figures' while the person at the sign-in screen types): the
first pop then compiles nothing, and the warming reads nothing of a person."""

from __future__ import annotations

from cc_terminal.services.calls import ledger
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


def test_the_warming_compiles_the_ledgers_reads_on_the_drivers_cursor(
    ws: Workstation, monkeypatch
) -> None:
    for read in ledger._STORED:  # as in a terminal's new process
        monkeypatch.setattr(read, "_compiled", {})
    ws.customers.warm_lookup()
    dialect = ws.db.engine.dialect.name
    assert all(dialect in read._compiled for read in ledger._STORED)


def test_the_warming_finds_nobody(ws: Workstation) -> None:
    with statements_compiled(ws) as compiled:
        ws.customers.warm_lookup()
    assert compiled  # it ran the statements; what they found was nothing, and is dropped
