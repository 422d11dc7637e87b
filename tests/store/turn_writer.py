"""A process writing to a SQLite file in a loop through ``Database.write``, for the writer
turn's tests (tests/store/test_writer_turn.py).

``python -m tests.store.turn_writer DATABASE NAME SECONDS HOLD_MS``: prints ``ready``,
waits for a line on stdin, then writes rows named NAME for SECONDS, each transaction held
HOLD_MS (a write's own work), and prints the longest wait for a turn and the count as
JSON. ``... DATABASE NAME hold``: takes a turn, prints ``holding`` and keeps it until killed."""

from __future__ import annotations

import json
import sys
import threading
import time

from sqlalchemy import text

from cc_terminal.store.database import Database


def loop(db: Database, name: str, seconds: float, hold: float) -> dict[str, float]:
    longest, count = 0.0, 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        asked = time.monotonic()
        with db.write(None) as session:
            longest = max(longest, time.monotonic() - asked)
            session.execute(text("INSERT INTO turn (who) VALUES (:who)"), {"who": name})
            time.sleep(hold)  # the write's own work
        count += 1
    return {"longest": longest, "count": count}


def main(database: str, name: str, *rest: str) -> None:
    db = Database(f"sqlite:///{database}")
    if rest == ("hold",):
        with db.write(None) as session:
            session.execute(text("INSERT INTO turn (who) VALUES (:who)"), {"who": name})
            print("holding", flush=True)
            threading.Event().wait()
    print("ready", flush=True)
    sys.stdin.readline()
    print(json.dumps(loop(db, name, float(rest[0]), float(rest[1]) / 1000)), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
