"""Calls typed on F2 without a phone link, made visible to the floor board: a row when the
call opens, its end when the call is saved or its draft thrown away. Through the write
path like every record, so the board of every terminal sees it: at once on a server
(NOTIFY), with the next sync round on a floor folder.

Why a row of its own: the open call itself is only a draft file on the operator's
computer until it is saved, and the ``call`` row is written whole at the save; the phone's
``phone_call`` rows are the phone system's reports (missed calls, service level) and a call
typed by hand is none of those."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Select, select
from sqlmodel import col

from cc_terminal.models.floor import CallPresence
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database


class CallPresences:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db, self.clock = db, clock

    def started(self, actor: Actor, call_id: uuid.UUID, at: datetime) -> None:
        """The operator's typed call is open from ``at``. Again for the same call (a call
        restored from its draft) it stays as it was, or opens again from its first start
        if the sign-in ended it."""
        with self.db.read() as session:
            stored = session.get(CallPresence, call_id)
            if stored is not None and stored.ended_at is None:
                return
        with self.db.write(actor.operator_id) as session:
            row = session.get(CallPresence, call_id)
            if row is None:
                session.add(
                    CallPresence(call_id=call_id, operator_id=actor.operator_id, started_at=at)
                )
            elif row.operator_id == actor.operator_id:
                row.ended_at = None

    def ended(self, actor: Actor) -> None:
        """Every typed call the operator has open ends now (saved, or its draft thrown
        away: a terminal holds one call at a time); nothing is written when none is."""
        if not self.open_calls(actor.operator_id):
            return
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            for row in session.scalars(_open_of(actor.operator_id)):
                row.ended_at = now

    def left_elsewhere(self, actor: Actor, kept: uuid.UUID | None) -> None:
        """At sign-in: her typed calls still open end now, but ``kept``, the call this
        terminal's draft holds to restore (she quit at another terminal with a call open
        and is not on it here). Nothing is written when there is none."""
        left = [call for call in self.open_calls(actor.operator_id) if call != kept]
        if not left:
            return
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            for row in session.scalars(_open_of(actor.operator_id)):
                if row.call_id in left:
                    row.ended_at = now

    def open_calls(self, operator_id: uuid.UUID) -> list[uuid.UUID]:
        with self.db.read() as session:
            return [row.call_id for row in session.scalars(_open_of(operator_id))]


def _open_of(operator_id: uuid.UUID) -> Select[CallPresence]:
    return select(CallPresence).where(
        col(CallPresence.operator_id) == operator_id, col(CallPresence.ended_at).is_(None)
    )
