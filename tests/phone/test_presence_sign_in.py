"""A typed call left open at another terminal (its operator quit with it open and signed in
elsewhere) ends when she signs in: the floor board no longer shows her "on a call" she is
not on. The call this terminal's draft keeps stays on the board; restored at a terminal
after a sign-in elsewhere ended it, it is on a call again from its first start."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from cc_terminal.models import OutboxOp
from cc_terminal.services.phone.floor_views import FloorState


def _state(ws, lead, username):
    row = next(r for r in ws.floor_board.view(lead).operators if r.username == username)
    return row.state, row.since


def _sign_in(ws, actor, kept=None):
    """What the sign-in worker does after the password (screens/session/login.py), at a
    terminal whose draft holds the call ``kept``."""
    ws.work_clock.begin(actor)
    ws.presence.left_elsewhere(actor, kept)


def test_signing_in_elsewhere_ends_a_typed_call_left_open(ws, lead, jana, clock):
    _sign_in(ws, jana)
    ws.presence.started(jana, uuid.uuid4(), clock())
    ws.work_clock.end(jana)  # quit with the call open: its draft stays at that terminal
    clock.advance(600)
    _sign_in(ws, jana)
    assert ws.presence.open_calls(jana.operator_id) == []
    assert _state(ws, lead, "jana") == (FloorState.READY, clock())
    with ws.db.read() as session:  # ended in her name, as the floor's rules ask (sync/roles.py)
        query = select(OutboxOp).where(OutboxOp.entity == "call_presence")
        ops = [(op.kind, op.actor_id) for op in session.scalars(query)]
    assert ops == [("insert", jana.operator_id), ("update", jana.operator_id)]


def test_the_call_this_terminals_draft_keeps_stays_on_the_board(ws, lead, jana, clock):
    _sign_in(ws, jana)
    started = clock()
    call_id = uuid.uuid4()
    ws.presence.started(jana, call_id, started)
    ws.presence.started(jana, uuid.uuid4(), started)  # a second one: never kept by a draft
    ws.work_clock.end(jana)
    clock.advance(60)
    _sign_in(ws, jana, kept=call_id)
    assert ws.presence.open_calls(jana.operator_id) == [call_id]
    assert _state(ws, lead, "jana") == (FloorState.ON_CALL, started)


def test_a_call_restored_after_a_sign_in_elsewhere_is_on_a_call_from_its_start(
    ws, lead, jana, clock
):
    _sign_in(ws, jana)
    started = clock()
    call_id = uuid.uuid4()
    ws.presence.started(jana, call_id, started)
    ws.work_clock.end(jana)
    clock.advance(60)
    _sign_in(ws, jana)  # at another terminal: the call ends
    ws.work_clock.end(jana)
    clock.advance(60)
    _sign_in(ws, jana, kept=call_id)  # back at the first: its draft restored
    ws.presence.started(jana, call_id, clock())
    assert ws.presence.open_calls(jana.operator_id) == [call_id]
    assert _state(ws, lead, "jana") == (FloorState.ON_CALL, started)


def test_another_operators_call_is_not_opened_in_her_name(ws, jana, petr, clock):
    _sign_in(ws, jana)
    call_id = uuid.uuid4()
    ws.presence.started(jana, call_id, clock())
    ws.presence.ended(jana)
    ws.presence.started(petr, call_id, clock())  # a row of hers: not taken over
    assert ws.presence.open_calls(jana.operator_id) == []
    assert ws.presence.open_calls(petr.operator_id) == []
