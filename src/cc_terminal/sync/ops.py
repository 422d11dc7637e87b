"""An op as it travels between terminals, and the tables it may touch: each synced table
by name, with how to turn an op's JSON values back into column values."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, Numeric, Table, Uuid, and_
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel


@dataclass(frozen=True)
class Incoming:
    """One op as read from a verified segment."""

    op_id: uuid.UUID
    seq: int
    entity: str
    row_id: str
    kind: str
    changes: dict[str, Any]
    bases: dict[str, str]
    hlc: int
    terminal: str
    actor: str | None
    # who signed it (sync/verify.py): Signed, why it is unsigned, or None (format 1)
    proof: Any = None

    @classmethod
    def from_json(cls, terminal: str, document: dict[str, Any], proof: Any = None) -> Incoming:
        return cls(
            op_id=uuid.UUID(document["op_id"]),
            seq=int(document["seq"]),
            entity=str(document["entity"]),
            row_id=str(document["row_id"]),
            kind=str(document["kind"]),
            changes=dict(document["changes"]),
            bases=dict(document.get("bases") or {}),
            hlc=int(document["hlc"]),
            terminal=terminal,
            actor=document.get("actor_id"),
            proof=proof,
        )

    @property
    def version(self) -> tuple[int, str]:
        return (self.hlc, self.terminal)


def _converter(column_type: Any) -> Callable[[Any], Any]:
    kind = column_type.impl if isinstance(column_type, TypeDecorator) else column_type
    if isinstance(kind, Uuid):
        return lambda value: value if value is None else uuid.UUID(str(value))
    if isinstance(kind, DateTime):
        return lambda value: value if value is None else datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return lambda value: value if value is None else date.fromisoformat(value)
    if isinstance(kind, Numeric) and getattr(kind, "asdecimal", False):
        return lambda value: value if value is None else Decimal(str(value))
    return _same


def _same(value: Any) -> Any:
    """A column whose JSON value is its value (``Tables.values`` does not call it)."""
    return value


class Tables:
    """Every synced table by name, with how to turn JSON values back into column values."""

    def __init__(self) -> None:
        synced = {
            mapper.local_table.name  # type: ignore[attr-defined]
            for mapper in SQLModel._sa_registry.mappers
            if getattr(mapper.class_, "__outbox__", True)
        }
        self.tables: dict[str, Table] = {
            name: table for name, table in SQLModel.metadata.tables.items() if name in synced
        }
        self._converters = {
            name: {column.name: _converter(column.type) for column in table.columns}
            for name, table in self.tables.items()
        }

    def values(self, entity: str, changes: dict[str, Any]) -> dict[str, Any]:
        converters = self._converters[entity]
        values = {}
        for name, value in changes.items():
            convert = converters.get(name)
            if convert is _same:
                values[name] = value
            elif convert is not None:
                values[name] = convert(value)
        return values

    def key(self, entity: str, row_id: str) -> Any:
        table = self.tables[entity]
        columns = list(table.primary_key.columns)
        parts = row_id.split(":") if len(columns) > 1 else [row_id]
        converters = self._converters[entity]
        clauses = []
        for column, part in zip(columns, parts, strict=True):
            value = int(part) if column.type.python_type is int else converters[column.name](part)
            clauses.append(column == value)
        return and_(*clauses)
