"""The chat bench's operator side reads as the terminals do (bench/chat_operators.py): an
operator in full at a line of its own chat, at its chat given, handed over or closed, on
its timer; the waiting queue alone (and its badge's count) at a colleague's chat; never
fewer than the terminals would."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from bench.chat_operators import REFRESH, OperatorSide, Reader

from cc_terminal.services.common.views import Actor
from cc_terminal.store.change_notice import Notice
from tests.channels.conftest import form

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
    assert side.readers([Notice("conversation_message", frozenset({MINE}))]) == [
        Reader(one, full=True, count=False)
    ]
    assert side.readers([]) == []


def test_a_chat_given_reads_its_holders_in_full_and_the_others_queue_and_badge(ws):
    side, one, two = _side(ws)
    given_to_two = Notice("conversation", frozenset({uuid.uuid4()}), frozenset({two.operator_id}))
    assert side.readers([given_to_two]) == [
        Reader(one, full=False, count=True),
        Reader(two, full=True, count=True),
    ]
    closed_mine = Notice("conversation", frozenset({MINE}), frozenset())
    assert side.readers([closed_mine]) == [
        Reader(one, full=True, count=True),
        Reader(two, full=False, count=True),
    ]
    assert side.readers([Notice("conversation_message")]) == [  # which chats not said: all
        Reader(one, full=True, count=True),
        Reader(two, full=True, count=True),
    ]
    assert side.seen.reads == {
        "its chat given, handed over or closed": 4,
        "a colleague's chat or one waiting (the queue alone)": 2,
    }


def test_each_timer_reads_its_operator(ws):
    side, _one, two = _side(ws)
    side.tick[two.operator_id] = time.monotonic() - 0.01
    assert side.readers([]) == [Reader(two, full=True, count=False)]
    assert side.tick[two.operator_id] > time.monotonic()  # the next tick set
    assert side.readers([]) == []


def test_a_timer_after_a_notices_full_read_reads_nothing(ws):
    side, one, _two = _side(ws)
    assert side.readers([Notice("conversation_message", frozenset({MINE}))]) == [
        Reader(one, full=True, count=False)
    ]
    side.tick[one.operator_id] = time.monotonic() - 0.01
    assert side.readers([]) == []  # read since its last tick
    side.tick[one.operator_id] = time.monotonic() - 0.01
    assert side.readers([]) == [Reader(one, full=True, count=False)]


def test_a_line_arriving_while_the_open_chat_is_shown_is_answered(ws, chats, jana, monkeypatch):
    """The area shows its open chat's lines on every read, which marks them read: a line
    that came after the list of one's chats was read is seen there and answered, not lost
    (one answer of 5,000 went missing at 500 sockets)."""
    started = chats.start(form())
    chats.post(started.token, "v1", f"visitor m0 {time.time()}")
    assert ws.chats.take_next(jana) == started.conversation_id
    side = OperatorSide(ws.chats, [jana], limit=3)
    side.serve(Reader(jana, full=True, count=False))
    assert side.seen.answered == 1
    listed = ws.chats.mine

    def listed_then_a_line(actor: Actor) -> object:
        mine = listed(actor)
        chats.post(started.token, "v2", f"visitor m1 {time.time()}")
        return mine

    monkeypatch.setattr(ws.chats, "mine", listed_then_a_line)
    side.serve(Reader(jana, full=True, count=False))
    assert side.seen.answered == 2


def _until(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "never came"
        time.sleep(0.01)


def _one_read_held(side: OperatorSide, first: Reader):
    """``serve`` recorded; ``first`` asked for, and its read held until released."""
    served: list[Reader] = []
    release, holding = threading.Event(), threading.Event()

    def serve(reader: Reader) -> None:
        served.append(reader)
        if reader == first and not holding.is_set():
            holding.set()
            assert release.wait(10)

    side.serve = serve  # type: ignore[method-assign]
    side.want(first)
    assert holding.wait(10)
    return served, release


def test_reads_asked_while_an_area_reads_follow_it_as_one_of_the_widest_kind(ws):
    side, one, _two = _side(ws)
    served, release = _one_read_held(side, Reader(one, full=False, count=True))
    side.want(Reader(one, full=False, count=False))
    side.want(Reader(one, full=True, count=False))
    release.set()
    _until(lambda: side.seen.done == 2)
    side.pool.shutdown(wait=True)
    assert served == [Reader(one, full=False, count=True), Reader(one, full=True, count=False)]
    assert len(side.seen.waits) == 2 and not side.areas[one.operator_id].reading


def test_an_area_never_waits_for_another_areas_read(ws):
    side, one, two = _side(ws)
    served, release = _one_read_held(side, Reader(one, full=True, count=False))
    side.want(Reader(two, full=True, count=False))
    _until(lambda: side.seen.done == 1)  # two's read ended while one's still runs
    assert served == [Reader(one, full=True, count=False), Reader(two, full=True, count=False)]
    release.set()
    side.pool.shutdown(wait=True)


def test_a_read_that_fails_ends_the_run_with_its_error(ws):
    side, _one, _two = _side(ws)

    def broken(reader: Reader) -> None:
        raise RuntimeError("the bench's own fault")

    side.serve = broken  # type: ignore[method-assign]
    side.tick = dict.fromkeys(side.tick, time.monotonic() - 0.01)  # both timers due
    with pytest.raises(RuntimeError, match="the bench's own fault"):
        side.run(expected=1, seconds=10)
