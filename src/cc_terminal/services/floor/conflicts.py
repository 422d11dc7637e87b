"""Sync conflicts for team leads: list them, keep the current value, take the losing one
or type another. The decision is an op like any other write, so it reaches every
terminal and closes the same conflict there."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlmodel import SQLModel

from cc_terminal.i18n import _
from cc_terminal.models import ConflictResolution, SyncConflict
from cc_terminal.services.common.audit import refusals_audited
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.validation import control_problem
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database
from cc_terminal.sync.conflicts import (
    OpenConflict,
    RefusedChange,
    open_conflicts,
    refused_changes,
)
from cc_terminal.sync.ops import Tables

KEEP, TAKE = "keep", "take"


@dataclass(frozen=True)
class Decision:
    entity: str
    row_id: str
    field: str
    choice: str  # keep, take, or edit with ``value``
    value: Any = None


@refusals_audited
class ConflictService:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.tables = Tables()

    def open(self, actor: Actor) -> list[OpenConflict]:
        _lead(actor)
        with self.db.connect() as connection:
            return open_conflicts(connection, self.tables)

    def refused(self, actor: Actor) -> list[RefusedChange]:
        """Changes from other terminals this one refused (forged, unsigned, not allowed)."""
        _lead(actor)
        with self.db.connect() as connection:
            return refused_changes(connection)

    def resolve(self, actor: Actor, decision: Decision) -> None:
        _lead(actor)
        if isinstance(decision.value, str) and control_problem(decision.value):
            raise ValidationFailed({"value": control_problem(decision.value)})
        with self.db.write(actor.operator_id) as session:
            conflict = self._find(session.connection(), decision)
            value = conflict.current
            if decision.choice != KEEP:
                if conflict.deleted:
                    raise ValidationFailed(
                        {"value": _("The record was deleted; only keeping it deleted is possible.")}
                    )
                value = conflict.losing if decision.choice == TAKE else decision.value
                self._set(session, conflict, value)
            _record(session, conflict, value, actor)

    def _find(self, connection: Any, decision: Decision) -> OpenConflict:
        """The open conflict the decision is about."""
        found = [
            c
            for c in open_conflicts(connection, self.tables)
            if (c.entity, c.row_id, c.field) == (decision.entity, decision.row_id, decision.field)
        ]
        if not found:
            raise NotFound(_("That conflict was already decided."))
        return found[0]

    def _set(self, session: Any, conflict: OpenConflict, value: Any) -> None:
        model = _model(conflict.entity)
        key = self.tables.values(
            conflict.entity, dict(zip(_key_names(model), conflict.row_id.split(":"), strict=False))
        )
        record = session.get(
            model, tuple(key.values()) if len(key) > 1 else next(iter(key.values()))
        )
        if record is None:
            raise NotFound(_("The record is gone."))
        converted = self.tables.values(conflict.entity, {conflict.field: value})[conflict.field]
        setattr(record, conflict.field, converted)


def _record(session: Any, conflict: OpenConflict, value: Any, actor: Actor) -> None:
    """The decision as an op (it closes the conflict on every terminal), and closed here."""
    session.add(
        ConflictResolution(
            entity=conflict.entity,
            row_id=conflict.row_id,
            field=conflict.field,
            loser_hlc=conflict.hlc,
            value=json.dumps(value, ensure_ascii=False),
            resolved_by=actor.operator_id,
        )
    )
    table = SyncConflict.__table__  # type: ignore[attr-defined]
    session.connection().execute(
        update(table)
        .where(
            table.c.entity == conflict.entity,
            table.c.row_id == conflict.row_id,
            table.c.field == conflict.field,
            table.c.hlc <= conflict.hlc,
        )
        .values(resolved=True)
    )


def _model(entity: str) -> Any:
    for mapper in SQLModel._sa_registry.mappers:
        if mapper.local_table.name == entity:  # type: ignore[attr-defined]
            return mapper.class_
    raise NotFound(entity)


def _key_names(model: Any) -> list[str]:
    return [column.name for column in model.__table__.primary_key.columns]


def _lead(actor: Actor) -> None:
    if not actor.is_lead:
        raise PermissionDenied(_("Only a team lead decides sync conflicts."))
