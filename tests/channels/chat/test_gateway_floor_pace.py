"""The gateway's sync rounds on a folder floor (channels/chat/floor.py): a round every
tick, one more right after writes (many writes during a round make one round, not one
each), the hub told when a round brought chat changes, a failing round said and retried,
and one last round when the gateway stops."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cc_terminal.channels.chat.floor import FloorPace
from cc_terminal.sync.engine import SyncState
from tests.channels.chat.process import eventually


@dataclass
class FakeFloor:
    """Counts rounds; each takes ``seconds``; the first ``failing`` raise."""

    seconds: float = 0.05
    failing: int = 0
    entities: frozenset[str] = frozenset()
    started: int = 0
    rounds: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def round(self) -> SyncState:
        with self.lock:
            self.started += 1
        time.sleep(self.seconds)  # the round's own work
        with self.lock:
            self.rounds += 1
            if self.rounds <= self.failing:
                raise OSError("the share hiccuped")
        return SyncState("gw", datetime.now(UTC), entities=self.entities)


def test_writes_during_a_round_make_one_more_round_not_one_each() -> None:
    floor = FakeFloor(seconds=0.2)
    pace = FloorPace(floor, every=60.0, ingested=lambda: None, gap=0.0)  # type: ignore[arg-type]
    pace.start()
    try:
        pace.wake()
        eventually(lambda: floor.started == 1, within=10)
        for _ in range(100):  # a hundred visitors' writes while the round runs
            pace.wake()
        eventually(lambda: floor.rounds == 2, within=10)
    finally:
        pace.stop()
    assert floor.rounds == 3  # and one last round at the stop: what was written is shared


def test_a_round_with_chat_changes_tells_the_hub_and_a_failed_round_is_tried_again() -> None:
    told: list[int] = []
    floor = FakeFloor(failing=1, entities=frozenset({"conversation_message"}))
    pace = FloorPace(floor, every=0.05, ingested=lambda: told.append(1), gap=0.0)  # type: ignore[arg-type]
    pace.start()
    try:
        eventually(lambda: told, within=10)
    finally:
        pace.stop()
    assert floor.rounds >= 2 and pace.last is not None


def test_rounds_without_chat_changes_leave_the_hub_alone() -> None:
    told: list[int] = []
    floor = FakeFloor(entities=frozenset({"customer"}))
    pace = FloorPace(floor, every=0.05, ingested=lambda: told.append(1), gap=0.0)  # type: ignore[arg-type]
    pace.start()
    try:
        eventually(lambda: floor.rounds >= 3, within=10)
    finally:
        pace.stop()
    assert told == []
