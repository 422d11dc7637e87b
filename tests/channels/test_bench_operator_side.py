"""The chat bench's operator side reads as the terminals do (bench/chat_operators.py): an
operator at a line of its own chat, everyone at any other chat notice, each on its timer;
never fewer than the terminals would."""

from __future__ import annotations

import time
import uuid

from bench.chat_operators import REFRESH, OperatorSide

from cc_terminal.services.common.views import Actor
from cc_terminal.store.change_notice import Notice

MINE, THEIRS = uuid.UUID(int=1), uuid.UUID(int=2)


def _side(ws) -> tuple[OperatorSide, Actor, Actor]:
    one = Actor(uuid.uuid4(), "one", "One", "operator", "billing")
    two = Actor(uuid.uuid4(), "two", "Two", "operator", "billing")
    side = OperatorSide(ws.chats, [one, two], limit=3)
    side.held = {one.operator_id: {MINE}, two.operator_id: {THEIRS}}
    later = time.monotonic() + REFRESH
    side.tick = dict.fromkeys(side.held, later)  # no timer due
    return side, one, two


def test_a_line_reads_only_its_holder(ws):
    side, one, _two = _side(ws)
    assert side.readers([Notice("conversation_message", frozenset({MINE}))]) == [one]
    assert side.readers([]) == []


def test_a_chat_given_or_a_notice_of_all_reads_everyone(ws):
    side, one, two = _side(ws)
    assert side.readers([Notice("conversation", frozenset({MINE}))]) == [one, two]
    assert side.readers([Notice("conversation_message")]) == [one, two]
    assert side.seen.reads == {"chat given, started or closed": 4}


def test_each_timer_reads_its_operator(ws):
    side, _one, two = _side(ws)
    side.tick[two.operator_id] = time.monotonic() - 0.01
    assert side.readers([]) == [two]
    assert side.tick[two.operator_id] > time.monotonic()  # the next tick set
    assert side.readers([]) == []
