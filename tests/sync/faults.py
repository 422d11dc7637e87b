"""A share that fails on purpose: away, full, read-only, slow to list new files, listing
them in any order, or dying between the steps of a publish."""

from __future__ import annotations

import errno
import random
from pathlib import Path

from cc_terminal.sync.share import DiskShare, Entry


class Crash(BaseException):
    """The process died here (in-process stand-in; the subprocess tests use kill -9)."""


class FaultyShare(DiskShare):
    def __init__(self, seed: int = 0) -> None:
        self.away = False
        self.full = False
        self.read_only = False
        self.late: set[str] = set()  # names the listing does not show yet
        self.shuffle = False
        self.crash_after_temp = False
        self.crash_after_rename = False
        self.random = random.Random(seed)

    def _check(self) -> None:
        if self.away:
            raise OSError(errno.EHOSTDOWN, "Host is down")

    def list(self, folder: Path) -> list[Entry]:
        self._check()
        entries = [e for e in super().list(folder) if e.name not in self.late]
        if self.shuffle:
            self.random.shuffle(entries)
        return entries

    def folders(self, folder: Path) -> list[str]:
        self._check()
        names = super().folders(folder)
        if self.shuffle:
            self.random.shuffle(names)
        return names

    def read(self, path: Path) -> bytes:
        self._check()
        return super().read(path)

    def publish(self, path: Path, data: bytes) -> None:
        self._check()
        if self.read_only:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        if self.full:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        super().publish(path, data)

    def after_temp(self, temp: Path) -> None:
        if self.crash_after_temp:
            self.crash_after_temp = False
            raise Crash

    def after_rename(self, path: Path) -> None:
        if self.crash_after_rename:
            self.crash_after_rename = False
            raise Crash

    def remove(self, path: Path) -> None:
        self._check()
        super().remove(path)
