"""The writer turn's files closed (``Database.dispose``, as the TUI's quit does) while
another thread of the process waits for its turn: the close waits for that write to end,
the waiting write goes on with no closed file under it, and no lock file stays open after
(store/writer_turn.py). Turn files that cannot be opened leave each write to SQLite's
own lock."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import text

from cc_terminal.store import writer_turn
from cc_terminal.store.database import Database
from tests.store.test_writer_turn import _HOLD_FILE, _database


def _open_lock_files(database: Path) -> list[str]:
    names = {str(path) for path in writer_turn.lock_files(database)}
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target in names:
            found.append(target)
    return found


def _someone_waits(database: Path) -> bool:
    _writer, waiting = writer_turn.lock_files(database)
    fd = os.open(waiting, os.O_RDWR)
    try:
        return writer_turn._others_wait(fd)
    finally:
        os.close(fd)


def test_a_close_while_a_thread_waits_for_its_turn_waits_for_that_write(tmp_path):
    database = _database(tmp_path)
    writer_file, _waiting = writer_turn.lock_files(database)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_FILE, str(writer_file)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    db = Database(f"sqlite:///{database}")
    db._one_writer.timeout = 60  # type: ignore[union-attr]  # the turn comes when the holder goes
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with db.write(None) as session:
                session.execute(text("INSERT INTO turn (who) VALUES ('waited')"))
        except BaseException as error:  # reported by the test
            failures.append(error)

    writing = threading.Thread(target=write)
    disposing = threading.Thread(target=db.dispose)
    try:
        writing.start()
        while not _someone_waits(database) and writing.is_alive():
            threading.Event().wait(0.001)
        disposing.start()
        disposing.join(timeout=1.0)  # before the fix it closed at once, under the wait
    finally:
        holder.kill()
        holder.wait(timeout=30)
    writing.join(timeout=60)
    disposing.join(timeout=60)
    assert not writing.is_alive() and not disposing.is_alive()
    assert failures == []
    assert _open_lock_files(database) == []
    check = Database(f"sqlite:///{database}")
    with check.connect() as connection:
        assert connection.execute(text("SELECT who FROM turn")).scalars().all() == ["waited"]
    check.dispose()


def test_turn_files_that_cannot_be_opened_leave_the_write_to_sqlite(tmp_path):
    """The turn is an order among writers, not a condition of writing: when its files
    cannot be opened (here the waiting file's name is taken by a folder) each write goes
    on through SQLite's own lock, as after a turn not won in time, and leaves no
    descriptor open behind it."""
    database = _database(tmp_path)
    _writer, waiting = writer_turn.lock_files(database)
    waiting.unlink()
    waiting.mkdir()
    db = Database(f"sqlite:///{database}")
    for n in range(3):
        with db.write(None) as session:
            session.execute(text("INSERT INTO turn (who) VALUES (:who)"), {"who": f"w{n}"})
    assert _open_lock_files(database) == []
    db.dispose()


def test_a_store_never_closed_gives_its_turn_files_back_when_freed(tmp_path):
    """An app that ends without quitting (a test's Pilot, a crash handled above it) never
    disposes its store: its turn's two descriptors are closed when the store is freed, so a
    process that runs many apps does not gather them (a test process held 14,000)."""
    database = _database(tmp_path)
    db = Database(f"sqlite:///{database}")
    with db.write(None) as session:
        session.execute(text("INSERT INTO turn (who) VALUES ('once')"))
    assert len(_open_lock_files(database)) == 2
    db.engine.dispose()
    del db, session
    gc.collect()
    assert _open_lock_files(database) == []
