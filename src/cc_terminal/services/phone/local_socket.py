"""How a ring reaches the running TUI of an extension on this host: the TUI listens on a
Unix socket named by its extension in a private runtime folder (0700); ``cc-terminal
ring`` and the webhook store the event, then write it there as one JSON line and read one
line back ("ok" or "refused: why"). In server mode a webhook on another host reaches the
TUI through the store's NOTIFY instead (the TUI then reads the newest call itself).

``PhoneInbox`` is the reader's side of a ring storm: only the newest event of each kind
per call is kept until the applying thread takes a batch, and at most ``MAX_PENDING``
calls wait (the oldest are dropped): 1,000 events a second never pile up."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import socket
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from cc_terminal.config import APP_NAME, DATA_DIR_ENV, Settings
from cc_terminal.services.phone.events import MAX_FRAME, BadEvent, PhoneEvent, from_json, to_json

MAX_PENDING = 500
SOCKET_PATH_LIMIT = 100  # a Unix socket's path must fit in 108 bytes


def runtime_folder(settings: Settings) -> Path:
    """Private to this user: under the data folder when one was named (tests, a second
    floor on the host), else the user's runtime folder; a path too long for a socket
    moves to the runtime folder under a short name of the data folder."""
    named = os.environ.get(DATA_DIR_ENV) or settings.data_dir != _default_data_dir()
    folder = settings.data_dir / "run" if named else _user_runtime()
    if len(str(folder)) > SOCKET_PATH_LIMIT - len("/phone-.sock") - 16:
        short = hashlib.sha256(str(settings.data_dir).encode()).hexdigest()[:12]
        folder = _user_runtime() / short
    return folder


def _user_runtime() -> Path:
    """$XDG_RUNTIME_DIR/cc-terminal, or /tmp/cc-terminal-UID (``private_folder`` makes sure
    it is this user's own)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / APP_NAME
    return Path(tempfile.gettempdir()) / f"{APP_NAME}-{os.getuid()}"


def _default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def socket_path(settings: Settings, extension: str) -> Path:
    return runtime_folder(settings) / f"phone-{extension}.sock"


def private_folder(folder: Path) -> None:
    """``folder`` and its parent made 0700; ``PermissionError`` when another user owns one
    (a folder made in /tmp before us)."""
    for part in (folder.parent, folder):
        part.mkdir(mode=0o700, parents=True, exist_ok=True)
        if part.stat().st_uid != os.getuid():
            raise PermissionError(f"{part} is another user's")
    for part in (folder.parent, folder):
        if part.name.startswith(APP_NAME) or part == folder:  # never the data folder itself
            os.chmod(part, 0o700)


class PhoneInbox:
    """Events waiting for the applying thread, coalesced per call and kind."""

    def __init__(self, limit: int = MAX_PENDING) -> None:
        self.limit = limit
        self.dropped = 0
        self._lock = threading.Lock()
        self._pending: OrderedDict[tuple[str, str], PhoneEvent] = OrderedDict()
        self.ready = threading.Event()

    def put(self, event: PhoneEvent) -> None:
        with self._lock:
            self._pending[(event.call_key, event.kind.value)] = event
            self._pending.move_to_end((event.call_key, event.kind.value))
            while len(self._pending) > self.limit:
                self._pending.popitem(last=False)
                self.dropped += 1
        self.ready.set()

    def take(self) -> list[PhoneEvent]:
        """Everything waiting, oldest first (a ring before its answer before its end)."""
        with self._lock:
            batch = list(self._pending.values())
            self._pending.clear()
            self.ready.clear()
        order = {"ring": 0, "answer": 1, "hangup": 2}
        return sorted(batch, key=lambda event: order[event.kind.value])


async def listen(path: Path, on_event: Callable[[PhoneEvent], None]) -> asyncio.Server:
    """Serve the terminal's socket at ``path`` (a stale one is replaced)."""
    private_folder(path.parent)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()

    async def talk(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                writer.write(_answer(line, on_event))
                await writer.drain()
        except (OSError, ValueError, asyncio.LimitOverrunError):
            pass  # a line longer than a frame, or the writer went away
        finally:
            writer.close()

    server = await asyncio.start_unix_server(talk, path=str(path), limit=MAX_FRAME)
    os.chmod(path, 0o600)
    return server


def _answer(line: bytes, on_event: Callable[[PhoneEvent], None]) -> bytes:
    try:
        event = from_json(line)
    except BadEvent as refused:
        return f"refused: {refused}\n".encode()
    on_event(event)
    return b"ok\n"


def forward(path: Path, event: PhoneEvent, timeout: float = 2.0) -> str:
    """Hand ``event`` to the TUI listening at ``path``: "" when it took it, else its
    refusal; ``OSError`` when no terminal listens there."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(str(path))
        connection.sendall(to_json(event).encode() + b"\n")
        answer = connection.makefile("rb").readline(1024).decode("utf-8", "replace").strip()
    return "" if answer == "ok" else answer or "no answer"
