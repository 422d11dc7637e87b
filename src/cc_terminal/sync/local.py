"""This terminal's own sync bookkeeping in the local store: short transactions only, and
never one held open while the share is being read or written."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from cc_terminal.models import FieldVersion, OutboxOp, SyncPeer, SyncTerminal
from cc_terminal.store.database import Database
from cc_terminal.store.db import DURABLE_OPTION

TERMINAL = SyncTerminal.__table__  # type: ignore[attr-defined]
PEER = SyncPeer.__table__  # type: ignore[attr-defined]
OUTBOX = OutboxOp.__table__  # type: ignore[attr-defined]


@contextmanager
def writing(db: Database, durable: bool = True) -> Iterator[Connection]:
    """One local write transaction (it takes SQLite's write lock at its start, in turn
    with the other writers: store/writer_turn.py). ``durable=False``: its commit does not
    wait for the disk (``Database.write``'s), for what the share holds again if a power
    cut takes it back."""
    options = {"cc_write": True, DURABLE_OPTION: durable}
    with (
        db.writer_turn(),
        db.engine.connect().execution_options(**options) as connection,
        connection.begin(),
    ):
        if not durable and connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
        yield connection


def terminal_row(connection: Connection) -> Any:
    return connection.execute(select(TERMINAL).where(TERMINAL.c.id == 1)).first()


def ensure_terminal(db: Database) -> str:
    """This terminal's id on the floor, made at its first start and kept in its store."""
    with db.connect() as connection:
        row = terminal_row(connection)
    if row is not None:
        return str(row.terminal_id)
    with writing(db) as connection:
        row = terminal_row(connection)
        if row is None:
            # a store restored from a snapshot: its clocks start after everything in it
            seen = connection.execute(select(func.max(FieldVersion.__table__.c.hlc))).scalar() or 0  # type: ignore[attr-defined]
            connection.execute(
                TERMINAL.insert(), [{"id": 1, "terminal_id": uuid.uuid4(), "seen_hlc": seen}]
            )
            row = terminal_row(connection)
    return str(row.terminal_id)


def peers(connection: Connection) -> dict[str, Any]:
    return {str(row.terminal_id): row for row in connection.execute(select(PEER))}


def cursors(connection: Connection) -> dict[str, int]:
    return {terminal: int(row.applied_seq) for terminal, row in peers(connection).items()}


def set_peer(connection: Connection, terminal: str, **values: Any) -> None:
    key = uuid.UUID(terminal)
    done = connection.execute(update(PEER).where(PEER.c.terminal_id == key).values(**values))
    if done.rowcount == 0:
        connection.execute(PEER.insert(), [{"terminal_id": key, **_peer_defaults(), **values}])


def _peer_defaults() -> dict[str, Any]:
    return {"applied_seq": 0, "last_hash": "", "waiting": "", "skew_seconds": 0}


def unpublished_count(connection: Connection, unsigned: bool = False) -> int:
    """Ops not yet shared (``unsigned``: of those, the ones no key signed, which a signed
    floor will refuse)."""
    row = terminal_row(connection)
    published = int(row.published_outbox_seq) if row is not None else 0
    query = select(func.count()).select_from(OUTBOX).where(OUTBOX.c.seq > published)
    if unsigned:  # a wrong password's event is written with nobody signed in, and taken so
        anonymous = OUTBOX.c.changes.like('%"kind": "login.%')
        query = query.where(
            OUTBOX.c.run_id.is_(None), ~(anonymous & (OUTBOX.c.entity == "audit_event"))
        )
    return int(connection.execute(query).scalar() or 0)


def open_conflicts(connection: Connection) -> int:
    from cc_terminal.sync.conflicts import open_conflicts as listed

    return len(listed(connection))
