"""The outbox: every row a session inserts, updates or deletes leaves one change op.

The ops are written by a flush hook on the session class, inside the same transaction
as the change itself, so a rolled-back service call leaves neither rows nor ops. When the
acting account's key is open (it signed in here), the ops are signed there and then, as
runs (store/signing.py): a change is attributable from the moment it is made, and no
terminal can later sign for anyone whose password it does not know.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Table, event, inspect, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlmodel import Session as SQLModelSession

from cc_terminal.models.base import utcnow
from cc_terminal.models.outbox import OutboxOp, OutboxRun
from cc_terminal.models.sync import FieldVersion
from cc_terminal.store import hlc as clock
from cc_terminal.store.change_notice import CHAT_ROWS, Touch, notices, touched
from cc_terminal.store.keyring import Keyring, public_hex
from cc_terminal.store.notify import notify
from cc_terminal.store.signing import (
    RUN_LIMIT,
    changes_text,
    op_digest,
    secret_placeholder,
    sign_run,
)

ACTOR_KEY = "actor_id"
# the execution option of a write transaction's connection that carries the Keyring
KEYRING_OPTION = "cc_keyring"
# what an op older than the signed floor carries in place of a secret field
SECRET_PLACEHOLDER = "<secret>"


class OutboxSession(SQLModelSession):
    """The session every service uses; see ``_record_ops``."""


def json_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


# one encoder for every row of a Core insert (json.dumps would build one per row)
_ROW_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=json_value)


def _column_values(obj: Any, only_changed: bool) -> dict[str, Any]:
    state = inspect(obj)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if only_changed and not state.attrs[attr.key].history.has_changes():
            continue
        values[attr.key] = json_value(getattr(obj, attr.key))
    for name in getattr(type(obj), "__sync_secret__", ()):
        if name in values:  # see sync/secrets.py: sealed with the floor key when published
            values[name] = secret_placeholder(values[name])
    if only_changed:
        # fields merged as a unit travel together (a lead's owner with its epoch)
        for name, companions in getattr(type(obj), "__sync_together__", {}).items():
            if name in values:
                values.update({other: json_value(getattr(obj, other)) for other in companions})
    return values


def _row_id(obj: Any) -> str:
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    return ":".join(str(part) for part in identity)


def _op(obj: Any, kind: str, changes: dict[str, Any], actor: Any, at: datetime) -> dict[str, Any]:
    return {
        "op_id": uuid.uuid4(),
        "entity": obj.__tablename__,
        "row_id": _row_id(obj),
        "kind": kind,
        "changes": changes_text(changes),
        "actor_id": actor,
        "at": at,
        "run_id": None,
    }


def _tracked(obj: Any) -> bool:
    return getattr(type(obj), "__outbox__", True)


def _changes(session: Session) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    for obj in session.new:
        if _tracked(obj):
            yield "insert", obj, _column_values(obj, only_changed=False)
    for obj in session.dirty:
        if _tracked(obj) and session.is_modified(obj):
            changes = _column_values(obj, only_changed=True)
            if changes:
                yield "update", obj, changes
    for obj in session.deleted:
        if _tracked(obj):
            yield "delete", obj, {}


@event.listens_for(OutboxSession, "after_flush")
def _record_ops(session: Session, _context: Any) -> None:
    changes = list(_changes(session))
    if not changes:
        return
    connection = session.connection()
    actor, at = session.info.get(ACTOR_KEY), utcnow()
    last = last_clock(connection)
    versions = FieldVersions(connection)
    ops = []
    for kind, obj, values in changes:
        last = clock.next_after(last)
        op = _op(obj, kind, values, actor, at)
        op["hlc"] = last
        op["bases"] = versions.record(op, values)
        ops.append(op)
    sign_ops(connection, ops, actor)
    connection.execute(OutboxOp.__table__.insert(), ops)  # type: ignore[attr-defined]
    if connection.dialect.name == "postgresql":
        notify(connection, notices(_touched(obj, kind, values) for kind, obj, values in changes))


def _touched(obj: Any, kind: str, values: dict[str, Any]) -> Touch:
    """The change's notice (store/change_notice.py): a chat table's row with its chat."""
    entity = obj.__tablename__
    chat = obj.id if entity == CHAT_ROWS else getattr(obj, "conversation_id", None)
    return touched(entity, kind, values, chat if isinstance(chat, uuid.UUID) else None)


_LAST_CLOCK = text(
    "SELECT coalesce((SELECT hlc FROM outbox_op ORDER BY seq DESC LIMIT 1), 0),"
    " coalesce((SELECT seen_hlc FROM sync_terminal WHERE id = 1), 0)"
)


def last_clock(connection: Connection) -> int:
    """The highest clock this terminal issued (its newest op) or read from another one."""
    issued, seen = connection.execute(_LAST_CLOCK).one()
    return max(int(issued), int(seen))


@functools.cache
def _version_upsert() -> Any:
    """A field's new version, built once: building it (its ``excluded`` alias) cost three
    times its execution, at every flush that updates a row."""
    upsert = sqlite_insert(FieldVersion.__table__)  # type: ignore[attr-defined]
    return upsert.on_conflict_do_update(
        index_elements=["entity", "row_id", "field"],
        set_={
            "hlc": upsert.excluded.hlc,
            "terminal": upsert.excluded.terminal,
            "op_id": upsert.excluded.op_id,
        },
    )


class FieldVersions:
    """Which write each field's value came from, kept for the floor folder's merge: an
    update records the versions it overwrote (its bases) and becomes the new version.
    A server has no folder to merge, so on PostgreSQL nothing is kept."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.kept = connection.dialect.name == "sqlite"
        self.table = FieldVersion.__table__  # type: ignore[attr-defined]

    def record(self, op: dict[str, Any], values: dict[str, Any]) -> str:
        entity, row_id, kind = op["entity"], op["row_id"], op["kind"]
        if not self.kept or kind == "insert":
            return ""
        current = self.current(entity, row_id)
        if kind == "delete":
            newest = max(current.values(), key=clock.parse_version, default="")
            self.connection.execute(
                self.table.delete().where(
                    self.table.c.entity == entity, self.table.c.row_id == row_id
                )
            )
            return json.dumps({"*": newest})
        bases = {name: current.get(name, "") for name in values}
        self._upsert([(op, name) for name in values])
        return json.dumps(bases, sort_keys=True)

    def _upsert(self, fields: list[tuple[dict[str, Any], str]]) -> None:
        """Each (op, field) pair: the field's version is now the op's."""
        rows = [
            {
                "entity": op["entity"],
                "row_id": op["row_id"],
                "field": name,
                "hlc": op["hlc"],
                "terminal": "",
                "op_id": op["op_id"],
            }
            for op, name in fields
        ]
        if rows:
            self.connection.execute(_version_upsert(), rows)

    def record_updates(self, ops: list[dict[str, Any]], values: dict[str, Any]) -> None:
        """``record`` for update ops of one entity that set the same fields: the versions
        they overwrote read with one query, the new ones written with one statement."""
        if not self.kept or not ops:
            return
        table, entity = self.table, ops[0]["entity"]
        found = self.connection.execute(
            table.select().where(
                table.c.entity == entity,
                table.c.row_id.in_([op["row_id"] for op in ops]),
                table.c.field.in_(list(values)),
            )
        )
        current: dict[str, dict[str, str]] = {}
        for row in found:
            current.setdefault(row.row_id, {})[row.field] = clock.version(row.hlc, row.terminal)
        for op in ops:
            mine = current.get(op["row_id"], {})
            op["bases"] = json.dumps({name: mine.get(name, "") for name in values}, sort_keys=True)
        self._upsert([(op, name) for op in ops for name in values])

    def current(self, entity: str, row_id: str) -> dict[str, str]:
        table = self.table
        rows = self.connection.execute(
            table.select().where(table.c.entity == entity, table.c.row_id == row_id)
        )
        return {row.field: clock.version(row.hlc, row.terminal) for row in rows}


def update_rows(
    connection: Connection,
    table: Table,
    row_ids: list[uuid.UUID],
    values: dict[str, Any],
    actor: uuid.UUID | None,
) -> None:
    """Set the same values on many rows with Core, one statement, and their change ops
    beside them (one update op per row, as the flush hook writes it, with the versions it
    overwrote): marks on many lines at once that a folder floor shares like any edit."""
    if row_ids:
        CoreOps(connection, actor).update(table, row_ids, values).write()


class CoreOps:
    """The change ops of several Core statements of one transaction, written together: one
    clock read, one signed run (the same actor's, in the same transaction, as the flush
    hook signs a flush's ops), one insert of the ops. Each op is what the flush hook
    writes for its row: many rows in one statement where a session per row would cost
    many times the statement (a batch of visitors' lines, marks on many lines)."""

    def __init__(self, connection: Connection, actor: uuid.UUID | None) -> None:
        self.connection, self.actor = connection, actor
        self.at, self.last = utcnow(), last_clock(connection)
        self.ops: list[dict[str, Any]] = []

    def _op(self, entity: str, row_id: str, kind: str, changes: str) -> dict[str, Any]:
        self.last = clock.next_after(self.last)
        op = {
            "op_id": uuid.uuid4(),
            "entity": entity,
            "row_id": row_id,
            "kind": kind,
            "changes": changes,
            "actor_id": self.actor,
            "at": self.at,
            "hlc": self.last,
            "bases": "",
            "run_id": None,
        }
        self.ops.append(op)
        return op

    def insert(self, table: Table, rows: list[dict[str, Any]], key: str = "id") -> CoreOps:
        """Insert the rows (new: no field versions to read), one statement."""
        if not rows:
            return self
        self.connection.execute(table.insert(), rows)
        for row in rows:
            # json calls json_value only for what it cannot write itself (ids, times)
            changes = _ROW_JSON.encode(row)
            self._op(table.name, str(row[key]), "insert", changes)
        return self

    def update(self, table: Table, row_ids: list[uuid.UUID], values: dict[str, Any]) -> CoreOps:
        """Set the same values on the rows, one statement; their field versions read and
        recorded with one statement each for all of them."""
        if not row_ids:
            return self
        self.connection.execute(table.update().where(table.c.id.in_(row_ids)).values(values))
        changes = {name: json_value(value) for name, value in values.items()}
        text = changes_text(changes)
        ops = [self._op(table.name, str(row_id), "update", text) for row_id in row_ids]
        FieldVersions(self.connection).record_updates(ops, changes)
        return self

    def write(self) -> None:
        if not self.ops:
            return
        sign_ops(self.connection, self.ops, self.actor)
        self.connection.execute(OutboxOp.__table__.insert(), self.ops)  # type: ignore[attr-defined]


def sign_ops(connection: Connection, ops: list[dict[str, Any]], actor: uuid.UUID | None) -> None:
    """Sign the ops (not yet inserted) with the actor's open key, in runs of at most
    ``RUN_LIMIT``; with no key open they stay unsigned (``run_id`` None)."""
    if not ops or _open_key(connection, actor) is None:
        return
    run_ids = sign_digests(connection, [_digest(op) for op in ops], actor)
    for op, run_id in zip(ops, run_ids, strict=True):
        op["run_id"] = run_id


def sign_digests(
    connection: Connection, digests: list[bytes], actor: uuid.UUID | None
) -> list[uuid.UUID | None]:
    """Sign ops by their digests, in order, in runs of at most ``RUN_LIMIT`` (the runs
    written here); each op's run, or None for all when the actor's key is not open."""
    key = _open_key(connection, actor)
    if key is None or not digests:
        return [None] * len(digests)
    public, runs = public_hex(key), []
    run_ids: list[uuid.UUID | None] = []
    for start in range(0, len(digests), RUN_LIMIT):
        chunk, run_id = digests[start : start + RUN_LIMIT], uuid.uuid4()
        run_ids += [run_id] * len(chunk)
        runs.append(
            {
                "run_id": run_id,
                "signer": actor,
                "public_key": public,
                "count": len(chunk),
                "signature": sign_run(key, chunk),
            }
        )
    connection.execute(OutboxRun.__table__.insert(), runs)  # type: ignore[attr-defined]
    return run_ids


def _open_key(connection: Connection, actor: uuid.UUID | None) -> Any:
    keyring = connection.get_execution_options().get(KEYRING_OPTION)
    return keyring.get(actor) if isinstance(keyring, Keyring) else None


def _digest(op: dict[str, Any]) -> bytes:
    actor = op["actor_id"]
    return op_digest(
        str(op["op_id"]),
        op["entity"],
        op["row_id"],
        op["kind"],
        op["changes"],
        None if actor is None else str(actor),
        json_value(op["at"]),
        int(op["hlc"]),
    )
