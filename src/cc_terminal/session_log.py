"""The workstation's log: ``cc-terminal.log`` in the data folder, readable by its owner
only, rotated at 1 MB (three kept). It says what the terminal did (started, who signed in
and out, storage and sync trouble, a failed worker's error type) and never whom about: no
customer's name, phone or address is ever passed to it. Nothing here imports Textual."""

from __future__ import annotations

import io
import logging
import os
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_NAME = "cc-terminal.log"
LOGGER = "cc_terminal"
MAX_BYTES = 1_000_000
KEPT = 3

log = logging.getLogger(LOGGER)


class PrivateFileHandler(RotatingFileHandler):
    """Each log file, the rotated ones too, is created 0600."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
        os.chmod(self.baseFilename, 0o600)
        return io.TextIOWrapper(io.FileIO(fd, "a"), encoding=self.encoding or "utf-8")


def start_log(data_dir: Path) -> Path | None:
    """Log to the data folder from now on (once per process); None if it cannot be written
    (the workstation runs without a log rather than not at all)."""
    path = data_dir / LOG_NAME
    if any(isinstance(handler, PrivateFileHandler) for handler in log.handlers):
        return path
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = PrivateFileHandler(path, maxBytes=MAX_BYTES, backupCount=KEPT, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    return path


def log_failure(what: str, error: BaseException) -> None:
    """An unexpected error with its traceback: where it happened (files, lines, code) and
    the error's type, never its text, which may quote a customer's data."""
    log.error("%s failed: %s\n%s", what, type(error).__name__, traceback_of(error))


def traceback_of(error: BaseException) -> str:
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_list(traceback.extract_tb(current.__traceback__)))
        parts.append(f"Traceback (most recent call last):\n{frames}{type(current).__name__}")
        current = current.__cause__ or current.__context__
    return "\nwhich was raised while handling or from:\n".join(reversed(parts))
