"""The audit trail as a hash chain: every event written here is the next link of this
database's chain, its hash covering the event and the hash of the link before it.

Whoever owns the file (or the server) can still delete events, or drop the triggers that
refuse it, but not unnoticed: a deleted event leaves a link whose ``prev_hash`` names a
hash no event has, a deleted tail leaves the chain's head (kept in ``audit_chain``) beyond
the last event, and on a floor the other terminals hold the links they received
(sync/audit_links.py). ``cc-terminal audit verify`` walks the chain
(services/privacy/audit_verify.py).

Events written through the ORM session travel to the floor as ops; the few written by Core
on this terminal only (a refused op of another terminal) form a second, local chain, so
that the travelling one has no gaps at the receivers."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from cc_terminal.models import AuditChain, AuditEvent
from cc_terminal.store.outbox import OutboxSession

GENESIS = "0" * 64
LOCAL_SUFFIX = ".local"  # the chain of the events that never travel
CHAINS = AuditChain.__table__  # type: ignore[attr-defined]
EVENTS = AuditEvent.__table__  # type: ignore[attr-defined]
# the execution option of a write's connection naming the chain it appends to (a server's
# terminal: see ``chain_of``); without it, the database's one chain
CHAIN_OPTION = "cc_audit_chain"


def chain_of(terminal: str) -> str:
    """A terminal's chain on a server: each appends to its own, so writers on different
    terminals never wait for each other's audit events (nor deadlock on them)."""
    return "t-" + hashlib.sha256(terminal.encode()).hexdigest()[:32]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return str(value)


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 of the link before and the event's fields, as one JSON list."""
    names = ("chain", "seq", "id", "at", "actor_id", "kind", "subject", "detail")
    body = [prev_hash, *(_text(fields[name]) for name in names)]
    return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode()).hexdigest()


def own_head(connection: Connection, local: bool = False) -> tuple[str, int, str]:
    """The chain this write appends to (made at its first event): its id, newest seq and
    hash. On PostgreSQL the caller holds the chain's lock until it commits."""
    named = connection.get_execution_options().get(CHAIN_OPTION)
    if connection.dialect.name == "postgresql":
        locked = (named or "") + (LOCAL_SUFFIX if local else "")
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": locked})
    if named:
        name = named + LOCAL_SUFFIX if local else named
        found = connection.execute(select(CHAINS).where(CHAINS.c.chain == name)).first()
        if found is not None:
            return name, int(found.seq), found.hash
    else:
        query = select(CHAINS).where(CHAINS.c.own.is_(True))
        heads = {row.chain: row for row in connection.execute(query)}
        wanted = next(
            (row for chain, row in heads.items() if chain.endswith(LOCAL_SUFFIX) == local), None
        )
        if wanted is not None:
            return wanted.chain, int(wanted.seq), wanted.hash
        travelling = next((chain for chain in heads if not chain.endswith(LOCAL_SUFFIX)), None)
        base = travelling or uuid.uuid4().hex
        name = base + LOCAL_SUFFIX if local else base
    connection.execute(CHAINS.insert(), [{"chain": name, "own": True, "seq": 0, "hash": GENESIS}])
    return name, 0, GENESIS


def link(connection: Connection, events: list[dict[str, Any]], local: bool = False) -> None:
    """Give each event (its column values, in the order written) its place in the chain."""
    if not events:
        return
    chain, seq, last = own_head(connection, local)
    for fields in events:
        seq += 1
        fields.update(chain=chain, seq=seq, prev_hash=last)
        fields["hash"] = last = event_hash(last, fields)
    connection.execute(update(CHAINS).where(CHAINS.c.chain == chain).values(seq=seq, hash=last))


def insert_local(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Events of this terminal only, written by Core (no op): the local chain."""
    link(connection, rows, local=True)
    connection.execute(EVENTS.insert(), rows)


_FIELDS = ("id", "at", "actor_id", "kind", "subject", "detail")


@event.listens_for(OutboxSession, "before_flush")
def _link_new_events(session: Session, _context: Any, _instances: Any) -> None:
    """Before the flush writes them (and their ops): the session's new events, linked."""
    new = [obj for obj in session.new if isinstance(obj, AuditEvent) and obj.hash is None]
    if not new:
        return
    new.sort(key=lambda obj: obj.id)
    values = [{name: getattr(obj, name) for name in _FIELDS} for obj in new]
    link(session.connection(), values)
    for obj, fields in zip(new, values, strict=True):
        obj.chain, obj.seq = fields["chain"], fields["seq"]
        obj.prev_hash, obj.hash = fields["prev_hash"], fields["hash"]
