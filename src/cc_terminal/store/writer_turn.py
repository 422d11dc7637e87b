"""SQLite's one writer, taken in turn by every process on the file, not only this one's
threads.

SQLite lets a writer that finds the file locked wait in its busy handler, whose sleeps grow
to 100 ms a try: a process that comes late often wins, and one already waiting may wait
for seconds (the chat gateway beside the operators' terminals). So before ``BEGIN
IMMEDIATE`` a writer takes its turn here: this process's threads queue on a lock, then the
one whose turn it is takes an exclusive ``flock`` on a file beside the database
(``<database>-writer``), held until its transaction ends, polled every ``POLL_SECONDS``.
A writer waiting holds a shared ``flock`` on ``<database>-waiting``; a process about to
take the turn that sees someone else waiting there steps back for ``YIELD_SECONDS`` first,
so a busy process cannot chain its writes past a waiting one.

Never a deadlock: a turn not won within the busy timeout is left to SQLite's own wait, as
before (so is every turn while its files cannot be opened); a write begun inside another
in the same thread takes no second turn (it waits on SQLite). The kernel frees a crashed
holder's locks."""

from __future__ import annotations

import fcntl
import os
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

POLL_SECONDS = 0.0005
YIELD_SECONDS = 0.002
_sleep = time.sleep


class WriterTurn:
    """One writer at a time on one SQLite file, among threads and processes."""

    def __init__(self, database: Path | None, timeout: float) -> None:
        """``database`` None (an in-memory store): this process's threads only."""
        self.timeout = timeout
        self._threads = threading.RLock()
        self._depth = threading.local()
        self._files: tuple[int, int] | None = None
        self._freed: weakref.finalize[[tuple[int, int]], WriterTurn] | None = None
        self._database = database

    @contextmanager
    def turn(self) -> Iterator[None]:
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=self.timeout):
            yield  # a thread holding the turn waits on another: SQLite decides
            return
        depth = getattr(self._depth, "n", 0)
        self._depth.n = depth + 1
        try:
            held = self._take_file(deadline) if depth == 0 else None
            try:
                yield
            finally:
                if held is not None and held is self._files:  # not closed since (close)
                    fcntl.flock(held[0], fcntl.LOCK_UN)
        finally:
            self._depth.n = depth
            self._threads.release()

    def _take_file(self, deadline: float) -> tuple[int, int] | None:
        """The files, the writer's locked; None when the turn is left to SQLite."""
        if self._database is None:
            return None
        try:
            files = writer, waiting = self._open()
        except OSError:  # the turn orders writers; without its files SQLite alone does
            return None
        if _try(writer, fcntl.LOCK_EX):
            if not _others_wait(waiting):
                return files
            fcntl.flock(writer, fcntl.LOCK_UN)  # someone waits already: they go first
            _sleep(YIELD_SECONDS)
        fcntl.flock(waiting, fcntl.LOCK_SH)
        try:
            while not _try(writer, fcntl.LOCK_EX):
                if time.monotonic() >= deadline:
                    return None
                _sleep(POLL_SECONDS)
            return files
        finally:
            fcntl.flock(waiting, fcntl.LOCK_UN)

    def _open(self) -> tuple[int, int]:
        if self._files is None:
            assert self._database is not None
            writer = _lock_file(self._database, "writer")
            try:
                self._files = (writer, _lock_file(self._database, "waiting"))
            except OSError:
                os.close(writer)
                raise
            # a store never closed (its app ended without quitting) gives them back when
            # it is freed; close() below cancels this
            self._freed = weakref.finalize(self, _close_all, self._files)
        return self._files

    def close(self) -> None:
        """The files closed once no other thread of this process holds or waits for its
        turn (they use them); one that keeps it past the timeout: left open, never closed
        under it (a turn held by this thread ends with them)."""
        if not self._threads.acquire(timeout=self.timeout):
            return
        try:
            if self._files is not None:
                if self._freed is not None:
                    self._freed.detach()
                _close_all(self._files)
                self._files = None
        finally:
            self._threads.release()


def _close_all(files: tuple[int, int]) -> None:
    for fd in files:
        os.close(fd)


def lock_files(database: Path) -> tuple[Path, Path]:
    return Path(f"{database}-writer"), Path(f"{database}-waiting")


def _lock_file(database: Path, kind: str) -> int:
    return os.open(f"{database}-{kind}", os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)


def _try(fd: int, kind: int) -> bool:
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _others_wait(waiting: int) -> bool:
    """Whether another process holds the waiting file (we hold nothing on it now)."""
    if _try(waiting, fcntl.LOCK_EX):
        fcntl.flock(waiting, fcntl.LOCK_UN)
        return False
    return True
