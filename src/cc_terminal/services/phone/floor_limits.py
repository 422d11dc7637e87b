"""The floor board's limits, set by a team lead for the whole floor (F10, L): the service
level's seconds (an incoming call answered within them counts as in time), how long a
pause or a wrap-up may run before its row turns red, and how long a chat may wait for its
first answer before the team lead is alerted. Stored in ``floor_setting`` through
the write path, so a floor folder's terminals and a server's share them; a limit no lead
has set keeps its default."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cc_terminal.i18n import _
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.floor import CHAT_FIRST_RESPONSE, FloorSetting
from cc_terminal.services.common.audit import add_event, refusals_audited
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.services.phone.floor_views import FloorLimits
from cc_terminal.store.database import Database

# each limit's whole numbers allowed, both ends included
RANGES = {
    "service_seconds": (1, 600),
    "pause_minutes": (1, 480),
    "wrap_seconds": (1, 3600),
    CHAT_FIRST_RESPONSE: (10, 3600),
}
NAMES = tuple(field.name for field in fields(FloorLimits))


def read(session: Session) -> FloorLimits:
    """The floor's limits as stored (the defaults for those never set), in ``session``."""
    stored = {row.name: row.value for row in session.scalars(select(FloorSetting))}
    return FloorLimits(**{name: stored[name] for name in NAMES if name in stored})


@refusals_audited
class FloorSettings:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db, self.clock = db, clock

    def limits(self) -> FloorLimits:
        with self.db.read() as session:
            return read(session)

    def set_limits(self, actor: Actor, typed: Mapping[str, str | int]) -> FloorLimits:
        """Change the limits given (the text as typed, or a number), audited; nothing is
        stored when one of them is wrong (ValidationFailed names the field)."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead sets the floor's limits."))
        wanted = _parse(typed)
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            current = read(session)
            changed = {k: v for k, v in wanted.items() if getattr(current, k) != v}
            for name, value in changed.items():
                row = session.get(FloorSetting, name)
                if row is None:
                    row = FloorSetting(name=name, value=value, set_by=actor.operator_id, set_at=now)
                    session.add(row)
                row.value, row.set_by, row.set_at = value, actor.operator_id, now
            if changed:
                detail = " ".join(f"{name}={value}" for name, value in changed.items())
                add_event(session, actor.operator_id, AuditKind.CONFIG_FLOOR, "floor", detail, now)
        return self.limits()


def _parse(typed: Mapping[str, str | int]) -> dict[str, int]:
    form = FormErrors()
    wanted: dict[str, int] = {}
    for name, value in typed.items():
        if name not in RANGES:
            form.add(name, _("No such limit."))
            continue
        low, high = RANGES[name]
        text = str(value).strip()
        if not text.isdigit() or not low <= int(text) <= high:
            form.add(name, _("A whole number from {low} to {high}.").format(low=low, high=high))
            continue
        wanted[name] = int(text)
    form.raise_if_any()
    return wanted
