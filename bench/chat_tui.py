"""One real TUI among the chat bench's sockets (issue 26): the installed command in tmux
(bench/terminal.py) on the same store, signed in as an operator whose name comes first in
the round-robin's turn and whose limit is one, so the first chat started is hers; F8 is
open on it. A thread watches her screen: each of her visitor's lines is timed from the
moment its text says it was sent to the first capture of the screen that shows it (the
screen is read every ``POLL`` seconds, which bounds the precision), and answered from the
keyboard, the answer's text ending with the moment it was typed as the operator side's do.

After the exchange, ``queue_delays``: every other operator takes no more chats and she
holds her one, so chats started now wait; each of ``QUEUE_PROBES`` visitors starts one
(and writes its first message) while the gateway still serves, and is timed from its start
sent to the first capture of her screen whose queue pane shows it."""

from __future__ import annotations

import asyncio
import json
import re
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col
from websockets.asyncio.client import connect

from bench.chat_store import PASSWORD
from bench.terminal import Terminal
from cc_terminal.config import Settings
from cc_terminal.models import Operator
from cc_terminal.services.workstation import open_workstation

USERNAME = "op-tui"  # sorts before op000: the first chat started is hers
POLL = 0.02
QUEUE_PROBES = 20
QUEUE_WITHIN = 30.0  # seconds a probe's chat may take to show before it counts as unseen
LINE = re.compile(r"\b(v\d+) (m\d+) (\d{10}\.\d{6})\b")


def add_operator(url: str, folder: Path) -> None:
    """Her account, limit one, made by the bench's lead (bench/chat_store.py)."""
    ws = open_workstation(Settings(db_url=url, data_dir=folder), migrate=False)
    try:
        lead = ws.auth.login("lead", PASSWORD)
        made = ws.auth.create_operator(
            lead, USERNAME, "Tereza Terminálová", "operator", PASSWORD, must_change=False
        )
        ws.chats.set_limit(lead, made.id, 1)
    finally:
        ws.close()


def fill_the_floor(url: str, folder: Path) -> None:
    """Every operator but her takes no more chats (limit 0): a chat started now waits."""
    ws = open_workstation(Settings(db_url=url, data_dir=folder), migrate=False)
    try:
        lead = ws.auth.login("lead", PASSWORD)
        with ws.db.read() as session:
            query = select(col(Operator.id)).where(
                col(Operator.username).like("op%"), col(Operator.username) != USERNAME
            )
            others = list(session.scalars(query))
        for operator_id in others:
            ws.chats.set_limit(lead, operator_id, 0)
    finally:
        ws.close()


class TuiOperator:
    """The TUI signed in with F8 open; ``watch`` from when the visitors write."""

    def __init__(self, url: str, folder: Path, messages: int) -> None:
        (folder / "tui").mkdir(exist_ok=True)
        self.messages = messages
        self.delays: list[float] = []
        self.seen: set[tuple[str, str]] = set()
        self.stop = threading.Event()
        self.terminal = Terminal(
            ["env", f"CC_TERMINAL_DB={url}", f"CC_TERMINAL_DATA_DIR={folder / 'tui'}",
             sys.executable, "-m", "cc_terminal"]
        )  # fmt: skip
        self._thread = threading.Thread(target=self._watch, name="bench-tui", daemon=True)

    def sign_in(self) -> None:
        terminal = self.terminal
        terminal.wait_for("Sign in to your workstation")
        terminal.type(USERNAME)
        terminal.keys("Enter")
        terminal.type(PASSWORD)
        terminal.keys("Enter")
        terminal.wait_for("Today: ")
        terminal.keys("F8")
        terminal.wait_for("open chats of mine")

    def watch(self) -> None:
        """Her chat has started: to the message box, then watch the screen."""
        self.terminal.wait_for("1 open chat of mine")
        self.terminal.keys("m")
        self._thread.start()

    def _watch(self) -> None:
        while not self.stop.is_set() and len(self.seen) < self.messages:
            screen = self.terminal.screen()
            at = time.time()
            for found in LINE.finditer(screen):
                visitor, message, sent = found.groups()
                if (visitor, message) in self.seen:
                    continue
                self.seen.add((visitor, message))
                self.delays.append(at - float(sent))
                self.terminal.type(f"re {visitor} {message} {time.time():.6f}")
                self.terminal.keys("Enter")
            self.stop.wait(POLL)

    def queue_delays(self, ws_url: str, origin: str, probes: int = QUEUE_PROBES) -> list[float]:
        """Each probe's chat: from its start sent to on her queue pane (none unseen)."""
        return asyncio.run(self._probes(ws_url, origin, probes))

    async def _probes(self, ws_url: str, origin: str, probes: int) -> list[float]:
        delays = []
        for index in range(probes):
            name = f"Qprobe{index:02d}"
            async with connect(ws_url, origin=origin, open_timeout=60) as socket:  # type: ignore[arg-type]
                form = {"name": name, "contact": f"{name.lower()}@example.cz", "topic": "",
                        "consent": True, "language": "en"}  # fmt: skip
                sent = time.time()
                await socket.send(json.dumps({"type": "start", "form": form}))
                while (frame := json.loads(await socket.recv()))["type"] != "started":
                    if frame["type"] in ("busy", "error"):
                        raise RuntimeError(f"{name} not started: {frame}")
                await socket.send(json.dumps({"type": "message", "client_id": name, "text": "?"}))
                seen = await asyncio.to_thread(self._on_screen, name, sent)
                delays.append(seen - sent)
                await socket.send(json.dumps({"type": "close"}))  # out of the queue: the next
                await asyncio.to_thread(self.terminal.wait_gone, name)  # shows where it did
        return delays

    def _on_screen(self, text: str, since: float) -> float:
        while time.time() - since < QUEUE_WITHIN:
            if text in self.terminal.screen():
                return time.time()
            time.sleep(POLL)
        raise TimeoutError(f"{text} never showed in the queue:\n{self.terminal.screen()}")

    def close(self) -> list[float]:
        self.stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self.terminal.close()
        return self.delays
