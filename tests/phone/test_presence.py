"""Calls typed on F2 without a phone link on the floor board (services/phone/presence.py)
on both databases: "on a call" from the call's start on every terminal, ready again once
it is saved or thrown away; a ringing phone and a later pause still win; the write is
idempotent and through the write path."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from cc_terminal.models import OutboxOp
from cc_terminal.models.tally import PauseReason
from cc_terminal.services.phone.floor_views import FloorState
from cc_terminal.services.workstation import open_workstation
from tests.phone.phone_rows import phone_call
from tests.sync.kit import Floor, two_terminals


def _state(ws, lead, username):
    row = next(r for r in ws.floor_board.view(lead).operators if r.username == username)
    return row.state, row.since


def test_a_typed_call_shows_on_a_call_until_it_ends(ws, lead, jana, clock):
    ws.work_clock.begin(jana)
    clock.advance(30)
    started = clock()
    call_id = uuid.uuid4()
    ws.presence.started(jana, call_id, started)
    ws.presence.started(jana, call_id, started + timedelta(seconds=9))  # restored: the same
    clock.advance(45)
    assert _state(ws, lead, "jana") == (FloorState.ON_CALL, started)
    ws.presence.ended(jana)
    assert _state(ws, lead, "jana")[0] is FloorState.READY
    assert ws.presence.open_calls(jana.operator_id) == []
    with ws.db.read() as session:
        ops = list(session.scalars(select(OutboxOp).where(OutboxOp.entity == "call_presence")))
    assert [op.kind for op in ops] == ["insert", "update"]


def test_another_terminal_sees_it(ws, lead, jana, settings, clock):
    ws.work_clock.begin(jana)
    ws.presence.started(jana, uuid.uuid4(), clock())
    other = open_workstation(settings, clock=clock)
    try:
        assert _state(other, lead, "jana")[0] is FloorState.ON_CALL
    finally:
        other.close()


def test_ending_with_no_typed_call_open_writes_nothing(ws, jana):
    ws.presence.ended(jana)
    with ws.db.read() as session:
        query = select(OutboxOp).where(OutboxOp.entity == "call_presence")
        assert list(session.scalars(query)) == []


def test_the_phones_ring_and_a_later_pause_win(ws, lead, jana, clock):
    ws.work_clock.begin(jana)
    ws.presence.started(jana, uuid.uuid4(), clock())
    clock.advance(10)
    ws.work_clock.pause(jana, PauseReason.BREAK)  # paused with the call still open
    assert _state(ws, lead, "jana")[0] is FloorState.PAUSED
    ws.work_clock.resume(jana)
    assert _state(ws, lead, "jana")[0] is FloorState.ON_CALL
    phone_call(ws, clock(), operator_id=jana.operator_id)  # ringing, nobody answered
    assert _state(ws, lead, "jana")[0] is FloorState.RINGING


def test_a_signed_out_operators_open_call_is_not_shown(ws, lead, jana, clock):
    ws.work_clock.begin(jana)
    ws.presence.started(jana, uuid.uuid4(), clock())
    ws.work_clock.end(jana)
    assert _state(ws, lead, "jana")[0] is FloorState.SIGNED_OUT


def test_a_floor_folders_sync_carries_it_to_the_leads_terminal(tmp_path):
    floor = Floor(tmp_path)
    try:
        two_terminals(floor)
        desk, leads = floor.terminals
        jana = desk.actor("jana")
        desk.ws.work_clock.begin(jana)
        desk.ws.presence.started(jana, uuid.uuid4(), desk.ws.presence.clock())
        floor.settle()
        lead = leads.actor("lead")
        assert _state(leads.ws, lead, "jana")[0] is FloorState.ON_CALL
        desk.ws.presence.ended(jana)
        floor.settle()
        assert _state(leads.ws, lead, "jana")[0] is FloorState.READY
    finally:
        floor.close()


def test_one_operators_end_leaves_anothers_call_open(ws, jana, petr, clock):
    janas, petrs = uuid.uuid4(), uuid.uuid4()
    ws.presence.started(jana, janas, clock())
    ws.presence.started(petr, petrs, clock())
    ws.presence.ended(jana)
    assert ws.presence.open_calls(jana.operator_id) == []
    assert ws.presence.open_calls(petr.operator_id) == [petrs]
