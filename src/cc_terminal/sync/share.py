"""The shared folder as files: list, read, publish a new file, remove one of ours.

Publishing follows one rule: write a temp file, flush, fsync, close, then rename it to a
name never used before, and fsync the folder. Nothing is rewritten and nothing is locked,
because locks on network shares cannot be trusted. Tests put a fault-injecting layer with
the same methods in place of ``DiskShare``.
"""

from __future__ import annotations

import builtins
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

TEMP_PREFIX = ".tmp-"
# No wider than the floor's group, whatever the umask (where the share honours modes;
# the encryption is the protection where it does not).
FILE_MODE = 0o640
FOLDER_MODE = 0o750


@dataclass(frozen=True)
class Entry:
    name: str
    size: int
    mtime: float


class ShareFiles(Protocol):
    def list(self, folder: Path) -> builtins.list[Entry]: ...

    def folders(self, folder: Path) -> builtins.list[str]: ...

    def read(self, path: Path) -> bytes: ...

    def publish(self, path: Path, data: bytes) -> None: ...

    def remove(self, path: Path) -> None: ...

    def makedirs(self, folder: Path) -> None: ...


class DiskShare:
    """The real files. Every failure is an ``OSError`` for the caller to report."""

    def list(self, folder: Path) -> builtins.list[Entry]:
        entries = []
        with os.scandir(folder) as listing:
            for item in listing:
                if item.name.startswith(TEMP_PREFIX) or not item.is_file():
                    continue
                stat = item.stat()
                entries.append(Entry(item.name, stat.st_size, stat.st_mtime))
        return entries

    def folders(self, folder: Path) -> builtins.list[str]:
        with os.scandir(folder) as listing:
            return [item.name for item in listing if item.is_dir()]

    def read(self, path: Path) -> bytes:
        return path.read_bytes()

    def publish(self, path: Path, data: bytes) -> None:
        temp = path.with_name(f"{TEMP_PREFIX}{secrets.token_hex(6)}")
        try:
            descriptor = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
            with os.fdopen(descriptor, "wb") as handle:
                os.fchmod(handle.fileno(), FILE_MODE)
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            self.after_temp(temp)
            os.rename(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        self.after_rename(path)
        _sync_folder(path.parent)

    def after_temp(self, temp: Path) -> None:
        """Between the sealed temp file and its rename (a crash point the tests use)."""

    def after_rename(self, path: Path) -> None:
        """Right after the rename (a crash point the tests use)."""

    def remove(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def makedirs(self, folder: Path) -> None:
        """One folder in a parent that must be there: a floor folder that went away
        (an unmounted share) is never made again here, only by ``floor create``."""
        if not folder.is_dir():
            folder.mkdir(exist_ok=True)
            os.chmod(folder, FOLDER_MODE)


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # some shares cannot open a folder; the rename is still atomic there
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
