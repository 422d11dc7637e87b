"""Applying another terminal's ops to the local store, merged field by field.

- An insert adds the row; inserts are facts and never conflict.
- An update sets each field whose incoming version (HLC, terminal) is higher than the
  field's current one. When the update did not see the current value (its base for the
  field is not the current version), the two writes raced: the losing value is kept as an
  open conflict. Of several losing values the newest is kept, so all terminals agree.
- A delete removes the row; edits it did not see become conflicts on the deleted record,
  as does an edit that arrives after the delete.
- A lead's owner moves with its assignment epoch: a lower epoch never wins, a higher one
  always does.
- An op its author may not make is refused (sync/judge.py): kept for the team lead's F11
  and audited here, never applied.

Rows come in through Core, not the ORM session, so applying writes no outbox ops: only
the terminal that made a change publishes it. Derived tables (the search index) are
rebuilt here from the applied rows.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from cc_terminal.models import (
    ERASED_VALUES,
    FieldVersion,
    SyncConflict,
)
from cc_terminal.store import hlc as clock
from cc_terminal.store.bulk import insert_without_ops
from cc_terminal.store.outbox import json_value
from cc_terminal.store.signing import is_placeholder
from cc_terminal.sync.apply_bookkeeping import mark_applied, not_applied, reindex
from cc_terminal.sync.judge import Judge, RoleJudge
from cc_terminal.sync.merge_rules import (
    canonical_value,
    epoch_rule,
    erasure_rule,
    line_number,
    owner_rule,
)
from cc_terminal.sync.ops import Incoming, Tables
from cc_terminal.sync.refused import audit_refused, record_issue
from cc_terminal.sync.secrets import SecretError, holds_secrets, is_sealed, open_value

# Fields every edit touches: merged by the clock, never reported as conflicts.
BOOKKEEPING = frozenset({"updated_at", "version"})
LINES = "conversation_message"
# A losing value: the op that wrote it, its clock, its terminal, the value.
Loser = tuple[uuid.UUID, int, str, Any]


@dataclass
class Outcome:
    applied: int = 0
    skipped: int = 0
    refused: int = 0
    conflicts: int = 0
    entities: set[str] = field(default_factory=set)


class Applier:
    """Applies ops inside the caller's transaction; ``own`` is this terminal's id."""

    def __init__(
        self,
        connection: Connection,
        own: str,
        tables: Tables,
        secret: bytes,
        judge: Judge | None = None,
        legacy: bytes | None = None,
    ) -> None:
        self.connection = connection
        # format 1 ops on a signed floor were sealed with the floor's key of before
        self.secret, self.legacy = secret, legacy or secret
        self.own = own
        self.tables = tables
        self.judge = judge or RoleJudge(connection)
        self.versions = FieldVersion.__table__  # type: ignore[attr-defined]
        self.conflicts = SyncConflict.__table__  # type: ignore[attr-defined]
        # customers to index again: their inserted values, or None to read them back
        self._customers: dict[uuid.UUID, dict[str, Any] | None] = {}
        self._inserts: tuple[str, list[dict[str, Any]]] | None = None

    # -- one segment -------------------------------------------------------------------

    def apply(self, ops: list[Incoming], outcome: Outcome) -> None:
        fresh = not_applied(self.connection, ops)
        outcome.skipped += len(ops) - len(fresh)
        try:
            with self.connection.begin_nested():
                self._apply_all(fresh, outcome)
                self._flush_inserts()
        except IntegrityError:
            # A row the store refuses (a duplicate key made on two terminals, a reference to
            # a row deleted meanwhile): apply one by one and report the ones refused.
            self._inserts = None
            self._customers.clear()
            for op in fresh:
                try:
                    with self.connection.begin_nested():
                        self._apply_all([op], outcome)
                        self._flush_inserts()
                except IntegrityError as error:
                    self._inserts = None
                    record_issue(self.connection, op, "not applied", str(error.orig))
                    outcome.refused += 1
        mark_applied(self.connection, fresh)
        customers, self._customers = self._customers, {}
        reindex(self.connection, customers)

    def _apply_all(self, ops: Iterable[Incoming], outcome: Outcome) -> None:
        for op in ops:
            if op.entity not in self.tables.tables:
                record_issue(self.connection, op, "unknown table", op.entity)
                outcome.refused += 1
                continue
            reason = self.judge.refusal(op, self._row)
            if not reason:
                op, reason = self._opened(op)
            if reason:
                record_issue(self.connection, op, "refused", reason)
                audit_refused(self.connection, op, reason)
                outcome.refused += 1
                continue
            if op.kind == "insert":
                self._insert(op)
            else:
                self._flush_inserts()
                if op.kind == "update":
                    outcome.conflicts += self._update(op)
                elif op.kind == "delete":
                    outcome.conflicts += self._delete(op)
            outcome.applied += 1
            outcome.entities.add(op.entity)

    def _opened(self, op: Incoming) -> tuple[Incoming, str]:
        """Secret fields decrypted with the floor key; a placeholder (never sealed) dropped."""
        if not holds_secrets(op.changes.values()):
            return op, ""
        changes = {}
        secret = self.legacy if op.proof is None else self.secret
        for name, value in op.changes.items():
            if is_sealed(value):
                try:
                    changes[name] = open_value(secret, op.entity, op.row_id, name, value)
                except SecretError as error:
                    return op, str(error)
            elif not is_placeholder(value):
                changes[name] = value
        return replace(op, changes=changes), ""

    # -- inserts, in batches per table -------------------------------------------------

    def _insert(self, op: Incoming) -> None:
        values = self.tables.values(op.entity, op.changes)
        if op.entity == LINES:  # numbered against the lines here, so inserted one by one
            self._flush_inserts()
            values["seq"] = line_number(self.connection, self.tables.tables[LINES], values)
            self.connection.execute(self.tables.tables[LINES].insert(), [values])
            self.judge.applied(op)
            return
        if self._inserts is None or self._inserts[0] != op.entity:
            self._flush_inserts()
            self._inserts = (op.entity, [])
        self._inserts[1].append(values)
        self.judge.applied(op)
        if op.entity == "customer":
            self._customers[values["id"]] = values

    def _flush_inserts(self) -> None:
        if self._inserts is None:
            return
        entity, rows = self._inserts
        self._inserts = None
        if rows:
            table = self.tables.tables[entity]
            # rows of one table may carry different columns (an older writer): group them
            by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for row in rows:
                by_columns.setdefault(tuple(sorted(row)), []).append(row)
            for group in by_columns.values():
                insert_without_ops(self.connection, table, group)  # the bulk write path
        if entity == "conflict_resolution":
            for row in rows:
                self.close_conflicts(row)

    # -- updates and deletes ----------------------------------------------------------

    def _row(self, entity: str, row_id: str) -> Any:
        table = self.tables.tables[entity]
        return self.connection.execute(select(table).where(self.tables.key(entity, row_id))).first()

    def _current_versions(self, op: Incoming) -> dict[str, Any]:
        rows = self.connection.execute(
            select(self.versions).where(
                self.versions.c.entity == op.entity, self.versions.c.row_id == op.row_id
            )
        )
        return {row.field: row for row in rows}

    def _version_of(self, row: Any) -> tuple[int, str]:
        return (int(row.hlc), row.terminal or self.own)

    def _update(self, op: Incoming) -> int:
        row = self._row(op.entity, op.row_id)
        if row is None:
            return self._edits_on_deleted(op)
        current = row._mapping
        winners, losers = self._merge(op, current)
        erased = op.entity == "customer" and bool(
            current["erased_at"] is not None or op.changes.get("erased_at")
        )
        if erased:
            self._forget_conflicts(op)
        conflicts = sum(self._keep_loser(op, name, loser, deleted=False) for name, loser in losers)
        if winners:
            table = self.tables.tables[op.entity]
            wiped = ERASED_VALUES if erased else {}
            self.connection.execute(
                update(table)
                .where(self.tables.key(op.entity, op.row_id))
                .values(self.tables.values(op.entity, {**winners, **wiped}))
            )
            self._set_versions(op, winners)
            if op.entity == "customer":
                self._customers[current["id"]] = None
        return conflicts

    def _merge(self, op: Incoming, current: Any) -> tuple[dict[str, Any], list[tuple[str, Loser]]]:
        """Each field of the update against the field's current version: the values that
        win, and the losing value of each field the update raced with."""
        versions = self._current_versions(op)
        epoch = versions.get("owner_epoch")
        held = self._version_of(epoch) if epoch is not None else None
        forced = (
            epoch_rule(op, current) or erasure_rule(op, current) or owner_rule(op, current, held)
        )
        winners: dict[str, Any] = {}
        losers: list[tuple[str, Loser]] = []
        for name, value in op.changes.items():
            if name not in current:
                continue
            existing = versions.get(name)
            now = self._version_of(existing) if existing is not None else None
            base = op.bases.get(name) or ""
            sequential = now is None or (base and clock.parse_version(base) == now)
            wins = forced.get(name, now is None or op.version > now)
            if wins:
                winners[name] = value
            if sequential or name in BOOKKEEPING or name in forced:
                continue
            # Kept even when equal to the winner: another terminal may have seen this
            # loser's older value first, and the newest loser must be the same everywhere.
            # A conflict whose value equals the field's is not shown as open.
            if wins:
                assert existing is not None
                ours = json_value(current[name])
                losers.append(
                    (name, (existing.op_id, int(existing.hlc), existing.terminal or self.own, ours))
                )
            else:
                losers.append((name, (op.op_id, op.hlc, op.terminal, value)))
        return winners, losers

    def _forget_conflicts(self, op: Incoming) -> None:
        """The losing values kept for an erased customer are personal data too."""
        self.connection.execute(
            delete(self.conflicts).where(
                self.conflicts.c.entity == op.entity, self.conflicts.c.row_id == op.row_id
            )
        )

    def _edits_on_deleted(self, op: Incoming) -> int:
        conflicts = 0
        for name, value in op.changes.items():
            if name not in BOOKKEEPING:
                loser = (op.op_id, op.hlc, op.terminal, value)
                conflicts += self._keep_loser(op, name, loser, deleted=True)
        return conflicts

    def _delete(self, op: Incoming) -> int:
        row = self._row(op.entity, op.row_id)
        if row is None:
            return 0
        base_text = op.bases.get("*") or ""
        base = clock.parse_version(base_text) if base_text else None
        conflicts = 0
        for name, existing in self._current_versions(op).items():
            now = self._version_of(existing)
            if name in BOOKKEEPING or (base is not None and now <= base):
                continue
            loser = (existing.op_id, now[0], now[1], json_value(row._mapping[name]))
            conflicts += self._keep_loser(op, name, loser, deleted=True)
        self.connection.execute(
            delete(self.tables.tables[op.entity]).where(self.tables.key(op.entity, op.row_id))
        )
        self.connection.execute(
            delete(self.versions).where(
                self.versions.c.entity == op.entity, self.versions.c.row_id == op.row_id
            )
        )
        return conflicts

    def _set_versions(self, op: Incoming, names: Iterable[str]) -> None:
        rows = [
            {
                "entity": op.entity,
                "row_id": op.row_id,
                "field": name,
                "hlc": op.hlc,
                "terminal": op.terminal,
                "op_id": op.op_id,
            }
            for name in names
        ]
        upsert = sqlite_insert(self.versions)
        self.connection.execute(
            upsert.on_conflict_do_update(
                index_elements=["entity", "row_id", "field"],
                set_={name: upsert.excluded[name] for name in ("hlc", "terminal", "op_id")},
            ),
            rows,
        )

    # -- conflicts ---------------------------------------------------------------------

    def _keep_loser(self, op: Incoming, name: str, loser: Loser, deleted: bool) -> int:
        """Keep the newest losing value of a field; an older one changes nothing."""
        op_id, hlc, terminal, value = loser
        existing = self.connection.execute(
            select(self.conflicts.c.hlc).where(
                self.conflicts.c.entity == op.entity,
                self.conflicts.c.row_id == op.row_id,
                self.conflicts.c.field == name,
            )
        ).scalar()
        if existing is not None and int(existing) >= hlc:
            return 0
        values = {
            "entity": op.entity,
            "row_id": op.row_id,
            "field": name,
            "loser_op_id": op_id,
            "value": json.dumps(canonical_value(value), ensure_ascii=False),
            "hlc": hlc,
            "terminal": terminal,
            "actor_id": uuid.UUID(op.actor) if op.actor and op_id == op.op_id else None,
            "deleted": deleted,
            "resolved": False,
        }
        upsert = sqlite_insert(self.conflicts)
        self.connection.execute(
            upsert.on_conflict_do_update(
                index_elements=["entity", "row_id", "field"],
                set_={name: upsert.excluded[name] for name in values},
            ),
            [values],
        )
        return 1

    def close_conflicts(self, resolution: dict[str, Any]) -> None:
        self.connection.execute(
            update(self.conflicts)
            .where(
                self.conflicts.c.entity == resolution["entity"],
                self.conflicts.c.row_id == resolution["row_id"],
                self.conflicts.c.field == resolution["field"],
                self.conflicts.c.hlc <= resolution["loser_hlc"],
            )
            .values(resolved=True)
        )
