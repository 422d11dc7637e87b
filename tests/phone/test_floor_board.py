"""The floor board's read (services/phone/floor_board.py) on both databases: operators in
different states from work sessions, pauses, chats and phone calls, since when, the
alerts past the floor's limits, today's campaign figures; a lead's alone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cc_terminal.models.tally import PauseReason
from cc_terminal.services.channels.visitors import VisitorChats
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.services.phone.floor_views import FloorState
from tests.channels.conftest import form, gateway_account
from tests.conftest import PASSWORDS


def _board(ws, lead):
    return {row.username: row for row in ws.floor_board.view(lead).operators}


def test_only_a_team_lead_sees_the_floor(ws, jana):
    with pytest.raises(PermissionDenied):
        ws.floor_board.view(jana)


def test_signed_out_ready_and_paused_with_the_reason(ws, lead, jana, petr, clock):
    start = clock()
    ws.work_clock.begin(jana)
    ws.work_clock.begin(petr)
    clock.advance(60)
    ws.work_clock.pause(petr, PauseReason.LUNCH)
    clock.advance(30)
    board = _board(ws, lead)
    assert board["lead"].state is FloorState.SIGNED_OUT and board["lead"].since is None
    assert (board["jana"].state, board["jana"].since) == (FloorState.READY, start)
    assert board["jana"].seconds(clock()) == 90
    paused = board["petr"]
    assert (paused.state, paused.pause_reason) == (FloorState.PAUSED, "lunch")
    assert paused.since == start + timedelta(seconds=60)


def test_ready_again_counts_from_the_pause_end_and_signing_out_is_kept(
    ws, lead, jana, petr, clock
):
    ws.work_clock.begin(jana)
    ws.work_clock.pause(jana, PauseReason.BREAK)
    clock.advance(300)
    ws.work_clock.resume(jana)
    back = clock()
    ws.work_clock.begin(petr)
    clock.advance(20)
    ws.work_clock.end(petr)
    gone = clock()
    clock.advance(40)
    board = _board(ws, lead)
    assert (board["jana"].state, board["jana"].since) == (FloorState.READY, back)
    assert (board["petr"].state, board["petr"].since) == (FloorState.SIGNED_OUT, gone)


def test_a_chat_held_puts_the_operator_on_a_chat(ws, lead, jana, petr, clock, tmp_path):
    chats = VisitorChats(ws.db, clock, gateway_account(ws, lead, tmp_path))
    ws.work_clock.begin(jana)
    ws.work_clock.begin(petr)
    ws.chats.set_limit(lead, jana.operator_id, 2)
    clock.advance(10)
    chats.start(form())  # round-robin gives it to Jana, the one with a place
    taken_at = clock()
    clock.advance(25)
    board = _board(ws, lead)
    assert (board["jana"].state, board["jana"].chats) == (FloorState.ON_CHAT, 1)
    assert board["jana"].since == taken_at
    assert board["petr"].state is FloorState.READY


def test_a_pause_past_the_floors_limit_alerts(ws, lead, jana, clock):
    limits = ws.floor_board.limits
    ws.work_clock.begin(jana)
    ws.work_clock.pause(jana, PauseReason.BREAK)
    clock.advance(limits.pause_minutes * 60)
    view = ws.floor_board.view(lead)
    assert view.alerts(clock()) == 0  # at the limit, not past it
    assert view.alerts(clock() + timedelta(seconds=1)) == 1


def test_the_operators_are_people_not_service_identities(ws, lead, tmp_path):
    gateway_account(ws, lead, tmp_path)
    ws.auth.create_operator(lead, "eva", "Eva Nová", "operator", PASSWORDS["jana"])
    names = [row.username for row in ws.floor_board.view(lead).operators]
    assert names == ["eva", "jana", "lead", "petr"]  # by full name
