"""SQLite's one writer taken in turn across processes (store/writer_turn.py): two processes
writing in a loop share the turns and neither waits long; a holder killed frees the turn at
once; a turn held past the busy timeout is left to SQLite's own wait, never a deadlock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from cc_terminal.store import writer_turn
from cc_terminal.store.database import Database

ROOT = Path(__file__).resolve().parents[2]


def _database(tmp_path: Path) -> Path:
    path = tmp_path / "turns.sqlite3"
    db = Database(f"sqlite:///{path}")
    with db.write(None) as session:
        session.execute(text("CREATE TABLE turn (n INTEGER PRIMARY KEY, who TEXT NOT NULL)"))
    db.dispose()
    return path


def _writer(database: Path, name: str, *rest: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tests.store.turn_writer", str(database), name, *rest]
    process = subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    assert first in ("ready", "holding"), first
    return process


def test_two_processes_writing_in_a_loop_take_turns(tmp_path):
    """Each write holds the lock 5 ms; both write as fast as they can for 3 s. SQLite's
    busy handler alone let one wait for hundreds of milliseconds at a time; in turn each
    gets a fair share and none waits long."""
    database = _database(tmp_path)
    writers = [_writer(database, name, "3", "5") for name in ("a", "b")]
    for process in writers:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results = [json.loads(process.communicate(timeout=60)[0]) for process in writers]
    counts = [result["count"] for result in results]
    assert min(counts) >= 0.3 * sum(counts), counts
    # a bound for a loaded machine: the busy timeout is 10 s, the turns come in milliseconds
    assert max(result["longest"] for result in results) < 1.0, results


def test_a_killed_holder_frees_the_turn_at_once(tmp_path):
    database = _database(tmp_path)
    holder = _writer(database, "held", "hold")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    db = Database(f"sqlite:///{database}")
    asked = time.monotonic()
    with db.write(None) as session:
        waited = time.monotonic() - asked
        session.execute(text("INSERT INTO turn (who) VALUES ('after')"))
    db.dispose()
    assert waited < 5.0  # the kernel freed the lock; no busy timeout (10 s) waited out


def test_a_turn_not_won_in_time_is_left_to_sqlite(tmp_path, monkeypatch):
    """Another process holds the turn's file but not the database: past the timeout the
    write goes on through SQLite's own lock, which is free."""
    database = _database(tmp_path)
    writer_file, _waiting = writer_turn.lock_files(database)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_FILE, str(writer_file)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    try:
        db = Database(f"sqlite:///{database}")
        db._one_writer.timeout = 0.3  # type: ignore[union-attr]
        with db.write(None) as session:
            session.execute(text("INSERT INTO turn (who) VALUES ('anyway')"))
        db.dispose()
    finally:
        holder.kill()
        holder.wait(timeout=30)


_HOLD_FILE = """
import fcntl, os, sys, threading
fd = os.open(sys.argv[1], os.O_CREAT | os.O_RDWR, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
threading.Event().wait()
"""
