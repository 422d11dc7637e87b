"""The floor board's read (services/phone/floor_board.py) on both databases: operators in
different states from work sessions, pauses, chats and phone calls, since when, the
alerts past the floor's limits, today's campaign figures; a lead's alone."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from cc_terminal.models.tally import PauseReason
from cc_terminal.services.channels.visitors import VisitorChats
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.services.phone.floor_views import FloorState
from tests.channels.conftest import form, gateway_account
from tests.conftest import PASSWORDS
from tests.phone.phone_rows import phone_call, saved_call
from tests.tally.tally_records import add_attempts


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


def test_ready_again_counts_from_the_pause_end_and_signing_out_is_kept(ws, lead, jana, petr, clock):
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
    limits = ws.floor_settings.limits()
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


def test_three_operators_ringing_on_a_call_and_in_wrap_up(ws, lead, jana, petr, clock):
    eva = _another(ws, lead, "eva", "Eva Nová")
    for person in (jana, petr, eva, lead):
        ws.work_clock.begin(person)
    start = clock()
    clock.advance(120)
    phone_call(ws, start + timedelta(seconds=100), operator_id=jana.operator_id)
    phone_call(ws, start, operator_id=petr.operator_id, answered_after=5)
    phone_call(ws, start, operator_id=eva.operator_id, answered_after=30, ended_after=90)
    board = _board(ws, lead)
    assert (board["jana"].state, board["jana"].since) == (
        FloorState.RINGING,
        start + timedelta(seconds=100),
    )
    assert (board["petr"].state, board["petr"].since) == (
        FloorState.ON_CALL,
        start + timedelta(seconds=5),
    )
    assert (board["eva"].state, board["eva"].since) == (
        FloorState.WRAP_UP,
        start + timedelta(seconds=90),
    )
    assert board["lead"].state is FloorState.READY


def test_a_saved_call_ends_the_wrap_up_and_a_pause_after_it_wins(ws, lead, jana, petr, clock):
    for person in (jana, petr):
        ws.work_clock.begin(person)
    start = clock()
    phone_call(ws, start, operator_id=jana.operator_id, answered_after=2, ended_after=60)
    clock.advance(70)
    ws.work_clock.pause(jana, PauseReason.TECHNICAL)
    call_id = saved_call(ws, petr, start + timedelta(seconds=60))
    phone_call(
        ws, start, operator_id=petr.operator_id, answered_after=2, ended_after=60, call_id=call_id
    )
    board = _board(ws, lead)
    assert (board["jana"].state, board["jana"].pause_reason) == (FloorState.PAUSED, "technical")
    assert (board["petr"].state, board["petr"].since) == (
        FloorState.READY,
        start + timedelta(seconds=60),
    )


def test_a_wrap_up_past_the_limit_alerts(ws, lead, jana, clock):
    ws.work_clock.begin(jana)
    phone_call(ws, clock(), operator_id=jana.operator_id, answered_after=2, ended_after=60)
    view = ws.floor_board.view(lead)
    wrap_limit = ws.floor_settings.limits().wrap_seconds
    assert view.alerts(clock() + timedelta(seconds=60 + wrap_limit)) == 0
    assert view.alerts(clock() + timedelta(seconds=61 + wrap_limit)) == 1


def test_calls_waiting_abandoned_and_the_service_level_today(ws, lead, clock):
    start = clock()
    yesterday = start - timedelta(days=1)
    phone_call(ws, yesterday, ended_after=5, end_reason="abandoned")  # not today
    phone_call(ws, start, answered_after=10, ended_after=60, end_reason="answered")
    phone_call(ws, start, answered_after=20, ended_after=60, end_reason="answered")
    phone_call(ws, start, answered_after=21, ended_after=60, end_reason="answered")
    phone_call(ws, start, ended_after=15, end_reason="abandoned")
    phone_call(ws, start, ended_after=30, end_reason="unanswered")
    phone_call(ws, start + timedelta(seconds=40))  # still ringing
    phone_call(ws, start + timedelta(seconds=50))
    phone_call(ws, start, direction="out", answered_after=3, ended_after=9, end_reason="answered")
    phone = ws.floor_board.view(lead).phone
    assert (phone.waiting, phone.longest_wait_since) == (2, start + timedelta(seconds=40))
    assert (phone.offered, phone.answered, phone.answered_in_time) == (5, 3, 2)
    assert (phone.abandoned, phone.unanswered) == (1, 1)
    assert phone.service_level == pytest.approx(0.4)


def test_todays_figures_per_campaign(ws, lead, jana, clock):
    add_attempts(ws, jana, clock() - timedelta(days=1), ["SALE"], code="OLD")
    add_attempts(ws, jana, clock(), ["SALE", "NI", "NOANS"], code="MOB")
    (campaign,) = ws.floor_board.view(lead).campaigns
    assert (campaign.code, campaign.attempts, campaign.contacts, campaign.successes) == (
        "MOB",
        3,
        2,
        1,
    )


def _another(ws, lead, username, full_name):
    ws.auth.create_operator(
        lead, username, full_name, "operator", PASSWORDS["jana"], must_change=False
    )
    return ws.auth.login(username, PASSWORDS["jana"])


def test_today_starts_at_the_floors_midnight(ws, lead, jana, clock):
    local = clock().astimezone(ws.floor_board.zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    clock.now = midnight + timedelta(hours=9, minutes=30, seconds=15, microseconds=500)
    phone_call(ws, midnight, ended_after=5, end_reason="abandoned")  # today's first moment
    phone_call(ws, midnight - timedelta(microseconds=1), ended_after=5, end_reason="abandoned")
    add_attempts(ws, jana, midnight + timedelta(days=1), ["SALE"], code="NEXT")  # tomorrow
    view = ws.floor_board.view(lead)
    assert (view.phone.offered, view.phone.abandoned) == (1, 1)
    assert view.campaigns == ()
    assert view.at == clock()


def test_a_row_names_its_operator_and_is_empty_until_signed_in(ws, lead, jana):
    row = _board(ws, lead)["jana"]
    assert (row.operator_id, row.full_name, row.username) == (
        jana.operator_id,
        "Jana Svobodová",
        "jana",
    )
    assert (row.state, row.since, row.pause_reason, row.chats) == (
        FloorState.SIGNED_OUT,
        None,
        "",
        0,
    )


def test_an_operator_is_told_the_floor_is_a_leads(ws, jana):
    with pytest.raises(PermissionDenied) as refused:
        ws.floor_board.view(jana)
    assert str(refused.value) == "Only a team lead sees the floor."


def test_ties_at_the_same_moment(ws, lead, jana, petr, clock):
    start = clock()
    phone_call(ws, start - timedelta(minutes=5), operator_id=petr.operator_id, answered_after=1,
               ended_after=60, end_reason="answered")  # fmt: skip
    ws.work_clock.begin(petr)  # the call ended before Petr signed in: no wrap-up of his
    ended = start + timedelta(seconds=60)
    phone_call(ws, start, operator_id=jana.operator_id, answered_after=1, ended_after=60,
               end_reason="answered")  # fmt: skip
    clock.now = ended
    ws.work_clock.begin(jana)  # signed in as the call ended: its wrap-up is hers
    board = _board(ws, lead)
    assert board["petr"].state is FloorState.READY
    assert (board["jana"].state, board["jana"].since) == (FloorState.WRAP_UP, ended)
    ws.work_clock.pause(jana, PauseReason.BREAK)  # a pause as the call ended wins
    assert _board(ws, lead)["jana"].state is FloorState.PAUSED
    ws.presence.started(jana, uuid.uuid4(), ended)  # a typed call as the pause began wins
    assert _board(ws, lead)["jana"].state is FloorState.ON_CALL
