"""Chats started at the same moment on many connections (several gateways, or one's
worker threads): each goes round-robin once, nobody past their limit, and no start fails.
On PostgreSQL two starts' round-robins lock operators in different orders and may
deadlock; the store's busy error (a deadlock is one) makes the start try again
(store/database.py ``retry_when_busy``). SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter

from tests.channels.conftest import form, on_shift
from tests.channels.test_conversations import _state

THREADS, EACH = 8, 6


def test_chats_started_at_once_go_out_once_each_within_the_limits(ws, chats, jana, petr, lead):
    on_shift(ws, jana, petr, lead)
    for person in (jana, petr, lead):
        ws.chats.set_limit(lead, person.operator_id, 5)
    together = threading.Barrier(THREADS)
    started, failures = [], []

    def start(number: int) -> None:
        try:
            together.wait(30)
            for each in range(EACH):
                started.append(chats.start(form(name=f"Visitor {number}-{each}")))
        except BaseException as error:  # reported by the test
            failures.append(error)

    threads = [threading.Thread(target=start, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    assert len(started) == THREADS * EACH
    states = [_state(ws, chat.conversation_id) for chat in started]
    owners = Counter(owner for state, owner in states if state == "assigned")
    assert sum(owners.values()) == 15  # every place filled, once
    assert set(owners.values()) == {5}
    assert sum(1 for state, _owner in states if state == "waiting") == THREADS * EACH - 15
