"""A lead import staged (issue 29): its batches are written out of sight under an import id,
each batch a short transaction of its own so the floor's other writers (a sign-in, a saved
call) take their turn between them, and one short step shows them all.

Out of sight: its leads are stored ``staged`` (the pick, the lists and the counts read
``open``); the floor publishes no op from the import's ``first_seq`` on (sync/publish_rows),
so no other terminal sees half of it. Its ops say ``open``: once shown, the rows are what
the ops say. New customers and consents are written down in ``staged_row``. Showing it is
one short step that writes ``shown_at`` (the import is decided: it is never taken away after
it), then its leads set ``open`` in transactions of at most ``SHOWN_AT_ONCE`` (each as short
as a batch of notes, whatever the import's size: a sign-in beside it waits for one of them,
not for all), the last of which deletes the ``staged_import`` row, so the floor is given the
import's ops whole, after all of its leads are open; the notes are cleared after it, in
batches. While its leads are opened this terminal's readers may see some of them ``open``
and the rest ``staged``: each lead is whole (its customer, phones and consents were visible
before), and the rest follow within the second. An import whose process is gone (a crash,
kill -9) is taken away at the next start, rows, index, ops and all, or, when it was decided
shown, its showing finished (``discard_left_behind``)."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, text, tuple_, update
from sqlalchemy.engine import Connection
from sqlmodel import Session, col

from cc_terminal.i18n import _
from cc_terminal.models import (
    Campaign,
    Customer,
    CustomerPhone,
    Lead,
    LeadList,
    Objection,
    StagedImport,
    StagedRow,
)
from cc_terminal.models.base import utcnow
from cc_terminal.services.common.errors import ConflictError
from cc_terminal.services.outbound.consents import close_leads
from cc_terminal.services.outbound.lead_discard import STAGED, discard
from cc_terminal.store.bulk import among
from cc_terminal.store.database import Database

log = logging.getLogger(__name__)
SILENT_FOR = timedelta(minutes=10)  # an import writing no batch this long was left behind
NOTES_AT_ONCE = 5000  # notes of a shown import one transaction deletes
SHOWN_AT_ONCE = 2000  # leads of a shown import one transaction opens


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


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
        """A batch was written (in its transaction): the list its leads are in, which no
        other staged import may fill meanwhile (ConflictError)."""
        if list_id is not None:
            _only_import_into(connection, self.id, list_id)
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
        finish_showing(self.db, self.id, self.actor, self.clock)

    def discard(self) -> None:
        discard(self.db, self.id)


def _only_import_into(connection: Connection, import_id: uuid.UUID, list_id: uuid.UUID) -> None:
    """Refuse a second staged import into a list's campaign. A list's staged leads are
    shown and discarded together; an import into another list of the campaign would count
    this one's staged numbers as already there, and if this one failed, in neither list.
    PostgreSQL: the campaign's row locked first (no key update: rows naming it go on)."""
    campaign = select(col(LeadList.campaign_id)).where(col(LeadList.id) == list_id)
    if connection.dialect.name == "postgresql":
        lock = select(col(Campaign.id)).where(col(Campaign.id) == campaign.scalar_subquery())
        connection.execute(lock.with_for_update(key_share=True))
    other = connection.execute(
        select(col(StagedImport.id))
        .join(LeadList, col(LeadList.id) == col(StagedImport.list_id))
        .where(col(LeadList.campaign_id) == campaign.scalar_subquery())
        .where(col(StagedImport.id) != import_id)
    ).first()
    if other is not None:
        raise ConflictError(_("Another import is filling this campaign; import when it ends."))


def _objected(connection: Connection, numbers: list[str]) -> set[str]:
    """Those of these numbers (of staged leads just opened) that objected to calls, or
    whose customer is flagged "do not call", since their batch checked them (an objection
    closes open leads, not staged ones): each looked up by its index, in one statement
    whatever their count (``among``)."""
    dialect = connection.dialect
    objected = select(col(Objection.phone_e164)).where(
        among(col(Objection.phone_e164), numbers, dialect)
    )
    flagged = (
        select(col(CustomerPhone.e164))
        .join(Customer, col(Customer.id) == col(CustomerPhone.customer_id))
        .where(among(col(CustomerPhone.e164), numbers, dialect), col(Customer.do_not_call))
    )
    return set(connection.execute(objected.union(flagged)).scalars())


def finish_showing(
    db: Database,
    import_id: uuid.UUID,
    actor: uuid.UUID | None,
    clock: Callable[[], datetime],
) -> None:
    """The leads of an import decided shown set ``open``, up to ``SHOWN_AT_ONCE`` in each
    transaction, those whose number objected since their batch was checked closed as an
    objection closes them, each committed without waiting for the disk; once one finds
    fewer, a durable transaction deletes the import's row (the floor is given its ops
    then), and the notes are cleared after it."""
    mine = col(StagedImport.id) == import_id
    opened = SHOWN_AT_ONCE
    while opened == SHOWN_AT_ONCE:
        # not durable: a power cut takes back only opened leads, and the import, decided
        # and not yet gone, is finished at the next start; the last commit is durable
        with db.write(actor, durable=False) as session:
            opened = _open_batch(session, mine, clock)
        db.checkpoint()  # the pages out of the WAL, beside the lock (SQLite)
    with db.write(actor) as session:
        session.connection().execute(delete(StagedImport).where(mine))
    try:
        _clear_notes(db, import_id)
    except Exception:  # shown: its notes are bookkeeping, cleared at the next start
        log.warning("the shown import %s's notes were not cleared", import_id, exc_info=True)


def _open_batch(session: Session, mine: Any, clock: Callable[[], datetime]) -> int:
    """Up to ``SHOWN_AT_ONCE`` staged leads of the import opened, those whose number
    objected since their batch was checked closed; how many."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":  # an objection under way: its end
        connection.exec_driver_sql("LOCK TABLE objection IN SHARE MODE")
    connection.execute(update(StagedImport).where(mine).values(touched_at=utcnow()))
    list_id = connection.execute(select(col(StagedImport.list_id)).where(mine)).scalar()
    if list_id is None:
        return 0
    # one statement opens the batch: no id travels to the database and back
    batch = (
        select(col(Lead.id))
        .where(col(Lead.list_id) == list_id, col(Lead.status) == STAGED)
        .limit(SHOWN_AT_ONCE)
    )
    numbers = list(
        connection.execute(
            update(Lead)
            .where(col(Lead.id).in_(batch.scalar_subquery()))
            .values(status="open")
            .returning(col(Lead.phone_e164))
        ).scalars()
    )
    if numbers:
        now = clock()
        for e164 in sorted(_objected(connection, numbers)):  # objected after their batch
            close_leads(session, e164, now)
    return len(numbers)


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
    left it), or finish showing it when it was decided shown, and the notes a shown import
    could not clear; how many imports. A live one
    (another process importing now) is left alone. Its silence is read on the wall
    clock, as it was written, whatever the services' clock."""
    now = utcnow()
    with db.connect() as connection:
        # the notes read first: an import's row is there before its notes, and stays
        noted = set(connection.execute(select(col(StagedRow.import_id)).distinct()).scalars())
        staged = connection.execute(select(StagedImport)).all()
    gone = [row for row in staged if _left_behind(row.owner, row.touched_at, now)]
    taken = sum(
        _tried(discard, db, row.id) if row.shown_at is None else _tried(_finish, db, row.id)
        for row in gone
    )
    for import_id in noted - {row.id for row in staged}:  # shown, its notes left behind
        _tried(_clear_notes, db, import_id)
    return taken


def _finish(db: Database, import_id: uuid.UUID) -> None:
    """The showing of an import decided shown before a crash, in its importer's name."""
    with db.connect() as connection:
        actor = connection.execute(
            select(col(StagedImport.actor_id)).where(col(StagedImport.id) == import_id)
        ).scalar()
    finish_showing(db, import_id, actor, utcnow)


def _tried(step: Callable[[Database, uuid.UUID], None], db: Database, import_id: uuid.UUID) -> bool:
    """A step of the start's clearing up; a failure is said, tried again at the next
    start, and never stops the start."""
    try:
        step(db, import_id)
    except Exception:
        log.warning("what the import %s left was not cleared", import_id, exc_info=True)
        return False
    return True


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
