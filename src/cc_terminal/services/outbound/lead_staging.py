"""A lead import staged (issue 29): its batches are written out of sight under an import
id, each batch a short transaction of its own so the floor's other writers (a sign-in, a
saved call) take their turn between them, and one short step shows them all.

Out of sight: its leads are stored ``staged`` (the pick, the lists and the counts read
``open``); the floor publishes no op from the import's ``first_seq`` on (sync/publish_rows),
so no other terminal sees half of it. Its ops say ``open``: once shown, the rows are what
the ops say. New customers and consents are written down in ``staged_row``. Showing it is
one short step that writes ``shown_at`` (the import is decided: it is never taken away
after it), then its leads set ``open`` in transactions of at most ``SHOWN_AT_ONCE`` (each
as short as a batch of notes, whatever the import's size: a sign-in beside it waits for
one of them, not for all), the last of which deletes the ``staged_import`` row, so the
floor is given the import's ops whole, after all of its leads are open; the notes are
cleared after it, in batches. While its leads are opened this terminal's readers may see
some of them ``open`` and the rest ``staged``: each lead is whole (its customer, phones
and consents were visible before), and the rest follow within the second. An import
whose process is gone (a crash, kill -9) is taken away at the next start, rows, index,
ops and all, or, when it was decided shown, its showing finished (``discard_left_behind``)."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta

from sqlalchemy import delete, select, text, tuple_, update
from sqlalchemy.engine import Connection
from sqlmodel import col

from cc_terminal.models import (
    Consent,
    Customer,
    CustomerPhone,
    Lead,
    LeadList,
    OutboxOp,
    OutboxRun,
    StagedImport,
    StagedRow,
)
from cc_terminal.models.base import utcnow
from cc_terminal.store import search_index
from cc_terminal.store.database import Database

STAGED = "staged"  # a lead's status while its import is not shown
SILENT_FOR = timedelta(minutes=10)  # an import writing no batch this long was left behind
_CHUNK = 900  # ids in one IN (...), below SQLite's variable limit
NOTES_AT_ONCE = 5000  # notes of a shown import one transaction deletes
SHOWN_AT_ONCE = 5000  # leads of a shown import one transaction opens


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _chunks(ids: list[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


class LeadStaging:
    """One import's staging: begun, touched by each batch, shown or discarded."""

    def __init__(self, db: Database, clock: Callable[[], datetime], actor: uuid.UUID) -> None:
        self.db, self.clock, self.actor = db, clock, actor
        self.id = uuid.uuid4()
        with self.db.write(actor) as session:
            connection = session.connection()
            last = connection.execute(text("SELECT coalesce(max(seq), 0) FROM outbox_op"))
            now = clock()
            connection.execute(
                StagedImport.__table__.insert(),  # type: ignore[attr-defined]
                {
                    "id": self.id,
                    "kind": "leads",
                    "list_id": None,
                    "first_seq": int(last.scalar_one()) + 1,
                    "actor_id": actor,
                    "started_at": now,
                    "owner": _owner(),
                    "touched_at": utcnow(),
                },
            )

    def touched(self, connection: Connection, list_id: uuid.UUID | None) -> None:
        """A batch was written (in its transaction): the list its leads are in."""
        connection.execute(
            update(StagedImport)
            .where(col(StagedImport.id) == self.id)
            .values(list_id=list_id, touched_at=utcnow())
        )

    def show(self) -> None:
        """The one short step that decides the import shown, then its leads opened."""
        with self.db.write(self.actor) as session:
            session.connection().execute(
                update(StagedImport)
                .where(col(StagedImport.id) == self.id)
                .values(shown_at=utcnow(), touched_at=utcnow())
            )
        finish_showing(self.db, self.id)

    def discard(self) -> None:
        discard(self.db, self.id)


class Checkpoints:
    """SQLite: the pages each staged batch wrote moved into the database file (its commit
    leaves that: ``Database.write``) in a thread of their own while the next batch is
    prepared; the checkpoint holds no write lock, and waits in the database, not in
    Python. One at a time; ``close`` waits for the last."""

    def __init__(self, db: Database) -> None:
        self.db = db
        sqlite = db.engine.dialect.name == "sqlite"
        self.pool = ThreadPoolExecutor(1, "checkpoint") if sqlite else None
        self.running: Future[None] | None = None

    def after_batch(self) -> None:
        if self.pool is not None:
            self._wait()
            self.running = self.pool.submit(self.db.checkpoint)

    def close(self) -> None:
        if self.pool is not None:
            self._wait()
            self.pool.shutdown()

    def _wait(self) -> None:
        running, self.running = self.running, None
        if running is not None:
            running.result()


def finish_showing(db: Database, import_id: uuid.UUID) -> None:
    """The leads of an import decided shown set ``open``, up to ``SHOWN_AT_ONCE`` in each
    transaction; the one that finds no more deletes the import's row (the floor is given
    its ops then), and the notes are cleared after it."""
    mine = col(StagedImport.id) == import_id
    while True:
        with db.write(None) as session:
            connection = session.connection()
            list_id = connection.execute(select(col(StagedImport.list_id)).where(mine)).scalar()
            opened = 0
            if list_id is not None:
                some = (
                    select(col(Lead.id))
                    .where(col(Lead.list_id) == list_id, col(Lead.status) == STAGED)
                    .limit(SHOWN_AT_ONCE)
                )
                opened = connection.execute(
                    update(Lead).where(col(Lead.id).in_(some)).values(status="open")
                ).rowcount
            if opened < SHOWN_AT_ONCE:
                connection.execute(delete(StagedImport).where(mine))
                break
            connection.execute(update(StagedImport).where(mine).values(touched_at=utcnow()))
    _clear_notes(db, import_id)


def _clear_notes(db: Database, import_id: uuid.UUID) -> None:
    """The shown import's notes of new rows, deleted in bounded transactions: up to the
    ``NOTES_AT_ONCE``-th note in key order each."""
    entity, row_id = col(StagedRow.entity), col(StagedRow.row_id)
    mine = col(StagedRow.import_id) == import_id
    while True:
        with db.write(None) as session:
            connection = session.connection()
            edge = connection.execute(
                select(entity, row_id)
                .where(mine)
                .order_by(entity, row_id)
                .offset(NOTES_AT_ONCE - 1)
                .limit(1)
            ).first()
            upto = () if edge is None else (tuple_(entity, row_id) <= tuple_(*edge),)
            connection.execute(delete(StagedRow).where(mine, *upto))
        if edge is None:
            return


def discard_left_behind(db: Database) -> int:
    """Take away every staged import whose process is gone or silent too long (a crash
    left it), or finish showing it when it was decided shown; how many. A live one
    (another process importing now) is left alone. Its silence is read on the wall
    clock, as it was written, whatever the services' clock."""
    now = utcnow()
    with db.connect() as connection:
        staged = connection.execute(select(StagedImport)).all()
    gone = [row for row in staged if _left_behind(row.owner, row.touched_at, now)]
    for row in gone:
        if row.shown_at is None:
            discard(db, row.id)
        else:
            finish_showing(db, row.id)
    return len(gone)


def _left_behind(owner: str, touched_at: datetime, now: datetime) -> bool:
    host, _, pid = owner.rpartition(":")
    if touched_at.tzinfo is None or now - touched_at > SILENT_FOR:
        return True
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's: only its silence tells
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def discard(db: Database, import_id: uuid.UUID) -> None:
    """Every row the import stored, their index, ops and signed runs, and the import;
    nothing when it was decided shown."""
    with db.write(None) as session:
        connection = session.connection()
        staged = connection.execute(
            select(StagedImport).where(col(StagedImport.id) == import_id)
        ).first()
        if staged is None or staged.shown_at is not None:
            return  # a shown import is never taken away: its showing is finished
        rows = _staged_rows(connection, import_id, staged.list_id)
        _drop_ops(connection, int(staged.first_seq), rows)
        _drop_rows(connection, rows)
        connection.execute(delete(StagedRow).where(col(StagedRow.import_id) == import_id))
        connection.execute(delete(StagedImport).where(col(StagedImport.id) == import_id))
        if staged.list_id is not None and _drop_empty_list(
            connection, staged.list_id, staged.started_at
        ):
            _drop_ops(connection, int(staged.first_seq), {"lead_list": [staged.list_id]})


def _staged_rows(
    connection: Connection, import_id: uuid.UUID, list_id: uuid.UUID | None
) -> dict[str, list[uuid.UUID]]:
    """The ids of every row the import stored, by table."""
    noted = connection.execute(
        select(col(StagedRow.entity), col(StagedRow.row_id)).where(
            col(StagedRow.import_id) == import_id
        )
    ).all()
    customers = [row_id for entity, row_id in noted if entity == "customer"]
    phones: list[uuid.UUID] = []
    for chunk in _chunks(customers):
        phones += connection.execute(
            select(col(CustomerPhone.id)).where(col(CustomerPhone.customer_id).in_(chunk))
        ).scalars()
    leads = []
    if list_id is not None:
        leads = list(
            connection.execute(
                select(col(Lead.id)).where(col(Lead.list_id) == list_id, col(Lead.status) == STAGED)
            ).scalars()
        )
    consents = [row_id for entity, row_id in noted if entity == "consent"]
    return {"lead": leads, "consent": consents, "customer_phone": phones, "customer": customers}


def _drop_ops(connection: Connection, first_seq: int, rows: dict[str, list[uuid.UUID]]) -> None:
    """The import's ops (none published: the floor waits for it) and their runs."""
    ops, runs = OutboxOp.__table__, OutboxRun.__table__  # type: ignore[attr-defined]
    for entity, ids in rows.items():
        for chunk in _chunks(ids):
            mine = (ops.c.seq >= first_seq, ops.c.entity == entity)
            where = (*mine, ops.c.row_id.in_([str(row_id) for row_id in chunk]))
            signed = {
                run for run in connection.execute(select(ops.c.run_id).where(*where)).scalars()
            }
            connection.execute(ops.delete().where(*where))
            signed.discard(None)
            if signed:
                connection.execute(runs.delete().where(runs.c.run_id.in_(list(signed))))


def _drop_rows(connection: Connection, rows: dict[str, list[uuid.UUID]]) -> None:
    """The rows, those that point at others first; the customers' index with them."""
    for model in (Lead, Consent, CustomerPhone):
        table = model.__table__  # type: ignore[union-attr]
        for chunk in _chunks(rows[table.name]):
            connection.execute(table.delete().where(table.c.id.in_(chunk)))
    customers = rows["customer"]
    search_index.index_customers(connection, ((customer, set()) for customer in customers))
    for chunk in _chunks(customers):
        connection.execute(delete(Customer).where(col(Customer.id).in_(chunk)))


def _drop_empty_list(connection: Connection, list_id: uuid.UUID, since: datetime) -> bool:
    """The list the import made, when no lead is left in it; whether it was dropped."""
    if connection.execute(select(col(Lead.id)).where(col(Lead.list_id) == list_id)).first():
        return False
    dropped = connection.execute(
        delete(LeadList).where(col(LeadList.id) == list_id, col(LeadList.created_at) >= since)
    )
    return bool(dropped.rowcount)
