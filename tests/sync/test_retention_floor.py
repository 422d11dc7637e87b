"""Retention on a signed floor: the lead's days reach every terminal, an operator's
terminal that runs the daily erasure erases everywhere, and days set in an operator's
name are refused on arrival."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from cc_terminal.models import Call, Operator
from cc_terminal.services.common.views import CallDraft
from cc_terminal.services.privacy.retention import Retention
from cc_terminal.store.keyring import open_key
from tests.conftest import KNOWN_PHONE, PASSWORDS
from tests.sync.forge import forge, op, signed_run
from tests.sync.kit import Floor, Terminal, assert_converged, customer_id_of, two_terminals


@pytest.fixture
def floor(tmp_path: Path):
    floor = Floor(tmp_path)
    two_terminals(floor)
    yield floor
    floor.close()


def _notes(terminal: Terminal) -> list[str]:
    with terminal.ws.db.read() as session:
        return sorted(session.scalars(select(Call.notes)))


def test_the_days_and_the_erasure_reach_every_terminal(floor: Floor) -> None:
    t1, t2 = floor.terminals
    customer = customer_id_of(t1)
    now = datetime.now(UTC)
    draft = CallDraft(
        customer, KNOWN_PHONE, now, now, now, "billing", "request_registered", "Wife Eva"
    )
    t1.ws.calls.record(t1.actor("jana"), draft)
    t1.ws.retention.set_days(t1.actor("lead"), {"notes": "60"})
    floor.settle()
    assert t2.ws.retention.settings()[0].days == 60
    later = Retention(t2.ws.db, clock=lambda: now + timedelta(days=61))
    done = later.run(t2.actor("petr"))  # an operator's terminal runs the day's erasure
    assert done.erased["notes"] == 1
    floor.settle()
    assert_converged(floor)
    assert _notes(t1) == [""]
    assert t1.ws.retention.last_run() == now + timedelta(days=61)


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed by jana"])
def test_days_set_by_an_operator_are_refused(floor: Floor, signed: bool) -> None:
    t1, t2 = floor.terminals
    with t1.ws.db.read() as session:
        jana = session.scalars(select(Operator).where(Operator.username == "jana")).one()
    changes = {"kind": "notes", "days": 3650, "set_by": str(jana.id), "set_at": "2026-12-04"}
    ops = [op("retention_rule", "notes", "insert", changes, actor=jana.id)]
    key = open_key(jana.signing_key, PASSWORDS["jana"], jana.id)
    forge(floor, ops, {0: signed_run(floor, ops, key, jana.id)} if signed else {})
    t2.round()
    assert t2.ws.retention.settings()[0].days == 365
    refused = [change.reason for change in t2.ws.conflicts.refused(t2.actor("lead"))]
    expected = "retention_rule is the team lead's" if signed else "not signed"
    assert len(refused) == 1 and expected in refused[0]
