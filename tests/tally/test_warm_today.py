"""Today's figures' statements are compiled before anyone signs in (Workstation.warm_reads,
run by the terminal while the person types), for nobody: the sign-in's own read of them
then compiles nothing, and the warming reads nothing of a person and writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine.interfaces import CacheStats

from cc_terminal.services.workstation import Workstation
from tests.conftest import login
from tests.helpers import count_rows
from tests.tally.tally_records import save_mix_plan


@contextmanager
def statements_compiled(ws: Workstation) -> Iterator[list[str]]:
    """The statements executed meanwhile that SQLAlchemy compiled (not found cached)."""
    compiled: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:
        if context.cache_hit is CacheStats.CACHE_MISS:
            compiled.append(statement)

    event.listen(ws.db.engine, "after_cursor_execute", seen)
    try:
        yield compiled
    finally:
        event.remove(ws.db.engine, "after_cursor_execute", seen)


def test_a_first_read_of_todays_figures_compiles_statements(ws: Workstation) -> None:
    jana = login(ws, "jana")
    with statements_compiled(ws) as compiled:
        ws.today(jana)
    assert compiled  # what the warming saves: without it the sign-in compiles these


def test_after_warming_the_sign_ins_read_compiles_nothing(ws: Workstation) -> None:
    jana = login(ws, "jana")
    ws.warm_reads()
    with statements_compiled(ws) as compiled:
        figures = ws.today(jana)
    assert compiled == []
    assert figures.calls == 0


def test_warming_writes_nothing(ws: Workstation) -> None:
    tables = ("audit_event", "outbox_op", "work_session", "operator")
    before = {table: count_rows(ws, table) for table in tables}
    ws.warm_reads()
    assert {table: count_rows(ws, table) for table in tables} == before


def test_after_warming_a_person_with_a_pay_plan_compiles_nothing(ws: Workstation) -> None:
    """Their figures read the plan and its pay too: the warming's nobody has a plan id."""
    lead, jana = login(ws, "lead"), login(ws, "jana")
    ws.pay_plans.assign(lead, jana.operator_id, save_mix_plan(ws, lead))
    ws.warm_reads()
    with statements_compiled(ws) as compiled:
        figures = ws.today(jana)
    assert compiled == []
    assert figures.currency == "CZK" and figures.earned_minor == 0
