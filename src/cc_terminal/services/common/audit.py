"""Writing the audit trail: who did what security-relevant thing, and when. Every domain's
services record their events here, in the transaction of the write they belong to, and a
refused call is recorded by ``refusals_audited``. Events are only ever added (the database
refuses updates and deletes, and so does sync). Events name people and records by id,
never by their personal data, so the trail itself needs no masking. Reading the trail is
the team lead's (services/privacy/audit_trail.py)."""

from __future__ import annotations

import functools
import inspect
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from cc_terminal.models import AuditEvent
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.errors import ExportFailed, PermissionDenied, ServiceError
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database
from cc_terminal.store.errors import StoreError


def add_event(
    session: Session,
    actor_id: uuid.UUID | None,
    kind: AuditKind,
    subject: str = "",
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """One event in the caller's transaction (the write it belongs to), at the service's
    clock when it has one."""
    event = AuditEvent(actor_id=actor_id, kind=str(kind), subject=subject[:120], detail=detail)
    if at is not None:
        event.at = at
    session.add(event)


def record(
    db: Database,
    actor: Actor | None,
    kind: AuditKind,
    subject: str | uuid.UUID = "",
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """One event in a transaction of its own."""
    actor_id = actor.operator_id if actor else None
    with db.write(actor_id) as session:
        add_event(session, actor_id, kind, str(subject), detail, at)


@dataclass
class Written:
    """What an audited export or import reports: how many rows it wrote or read."""

    rows: int = 0


@contextmanager
def audited_file(
    db: Database, actor: Actor, kind: AuditKind, what: str, path: Path
) -> Iterator[Written]:
    """Around an export (``AuditKind.EXPORT``) or an import: the event names what, the
    file and the rows, also when it fails; a file that cannot be written or read is one
    clear ``ExportFailed`` instead of a traceback."""
    written = Written()
    try:
        yield written
    except OSError as error:
        record(db, actor, kind, what, f"{path.name}: failed ({error.strerror or error})")
        raise ExportFailed(path, error) from None
    except ServiceError as error:
        record(db, actor, kind, what, f"{path.name}: refused ({error})"[:500])
        raise
    except StoreError as error:  # busy past its wait, or gone: said when the store lets us
        with suppress(StoreError):
            record(db, actor, kind, what, f"{path.name}: failed ({error})"[:500])
        raise
    record(db, actor, kind, what, f"{path.name}: {written.rows} rows")


def audit_refusal(
    db: Database,
    actor: Actor | None,
    action: str,
    refused: PermissionDenied,
    at: datetime | None = None,
) -> None:
    """Write the refusal once, in its own transaction (the refused one was rolled back)."""
    if getattr(refused, "audited", False):
        return
    refused.audited = True  # type: ignore[attr-defined]
    record(db, actor, AuditKind.PERMISSION_REFUSED, action, str(refused), at)


Method = TypeVar("Method", bound=Callable[..., Any])


def config_change(kind: AuditKind) -> Callable[[Method], Method]:
    """A team lead's change to how the floor works (its lists, campaigns, teams, order
    fields, pay plans, planning rules): an audit event of that ``config.`` kind once it is
    saved, naming what changed (its code or the first argument after the actor)."""

    def decorate(method: Method) -> Method:
        @functools.wraps(method)
        def call(self: Any, actor: Actor, *args: Any, **kwargs: Any) -> Any:
            result = method(self, actor, *args, **kwargs)
            what = _what(args)
            clock = getattr(self, "clock", None)
            at = clock() if callable(clock) else None
            record(self.db, actor, kind, what, method.__name__, at)
            return result

        return call  # type: ignore[return-value]

    return decorate


def _what(args: tuple[Any, ...]) -> str:
    """The changed thing's code: the first argument after the actor, if it names one."""
    if not args:
        return ""
    first = args[0]
    code = getattr(first, "code", None) or getattr(first, "value", None)
    if isinstance(code, str):
        return code
    return str(first) if isinstance(first, str | uuid.UUID) else ""


ServiceClass = TypeVar("ServiceClass", bound=type)


def refusals_audited(cls: ServiceClass) -> ServiceClass:
    """Every public method of the service writes an audit event when it refuses someone
    (``PermissionDenied``); the acting person is the ``Actor`` among its arguments."""
    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and inspect.isfunction(member):
            setattr(cls, name, _audited(cls.__name__, member))
    return cls


def _audited(owner: str, method: Callable[..., Any]) -> Callable[..., Any]:
    action = f"{owner}.{method.__name__}"

    @functools.wraps(method)
    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except PermissionDenied as refused:
            actor = next(
                (value for value in (*args, *kwargs.values()) if isinstance(value, Actor)), None
            )
            clock = getattr(self, "clock", None)
            audit_refusal(self.db, actor, action, refused, clock() if callable(clock) else None)
            raise

    return call
