"""A ring to the caller's name on screen, in a real terminal (tmux): the workstation signed
in on extension 101, a ring written to its socket as `cc-terminal ring` or the webhook
would, timed until the card's "Phones:" is on the tmux screen; beside it, in the same run
and the same terminal, the typed pop (Enter on a number to the same line)."""

from __future__ import annotations

import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.generate import sample_phones
from bench.startup import DRAFTS, _pop_and_end, sign_in
from bench.table import Row, median_ms, p99_ms
from bench.terminal import Terminal, end_call
from cc_terminal.config import Settings
from cc_terminal.services.phone.events import PhoneEvent, PhoneEventKind
from cc_terminal.services.phone.local_socket import forward, socket_path

EXTENSION = "101"
POPS = 30


@dataclass(frozen=True)
class RingTimes:
    rings: list[float]
    typed: list[float]

    def summary(self, seconds: list[float]) -> tuple[float, float]:
        return median_ms(seconds), p99_ms(seconds)


def _command(path: Path) -> list[str]:
    return [
        "env",
        f"CC_TERMINAL_DB=sqlite:///{path}",
        f"CC_TERMINAL_DATA_DIR={DRAFTS}",
        f"CC_TERMINAL_PHONE_EXTENSION={EXTENSION}",
        sys.executable,
        "-m",
        "cc_terminal",
    ]


def _ring_and_end(terminal: Terminal, phone: str) -> float:
    path = socket_path(Settings(data_dir=DRAFTS), EXTENSION)
    event = PhoneEvent(
        PhoneEventKind.RING, f"bench:{uuid.uuid4().hex}", EXTENSION, phone, datetime.now(UTC)
    )
    started = time.perf_counter()
    refused = forward(path, event)
    assert not refused, refused
    terminal.wait_for("Phones:")
    popped = time.perf_counter() - started
    _end(terminal)
    return popped


def _end(terminal: Terminal) -> None:
    end_call(terminal)
    terminal.keys("Escape")  # the find field empty again (the ring wrote its number there)


def measure(path: Path, pops: int = POPS) -> RingTimes:
    terminal = Terminal(_command(path))
    try:
        sign_in(terminal)
        phones = sample_phones(path, pops * 2, seed=28)
        rings, typed = [], []
        for ring_phone, typed_phone in zip(phones[::2], phones[1::2], strict=False):
            rings.append(_ring_and_end(terminal, ring_phone))
            typed.append(_pop_and_end(terminal, typed_phone))
        return RingTimes(rings, typed)
    finally:
        terminal.close()


def rows(path: Path, n: str) -> list[Row]:
    times = measure(path)
    rang, typed = times.summary(times.rings), times.summary(times.typed)
    return [
        Row(
            f"ring to the caller's name on screen (tmux, the terminal's socket), {n}",
            f"median {rang[0]:.1f} ms, p99 {rang[1]:.1f} ms",
            f"typed pop in the same run (Enter to the name) "
            f"median {typed[0]:.1f} ms, p99 {typed[1]:.1f} ms",
            "p99 <= 150 ms",
        )
    ]
