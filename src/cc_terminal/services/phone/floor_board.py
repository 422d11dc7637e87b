"""The team lead's live floor board (F7): every operator's state and since when, from the
durable shared records only, read in one transaction a refresh.

An operator is, in this order: ringing or on a call (a phone call rang for them and is not
over), signed out (no open work session), on a call typed on F2 (open, and begun after
any open pause began), paused (an open pause, with its reason; a pause started after a
phone call ended wins over its wrap-up), in wrap-up (their phone call ended, was
answered, and no saved call is linked to it yet), on a chat (holding one), else ready
(since sign-in, their last pause's end or their last saved call's end, the latest)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from cc_terminal.i18n import _
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.services.common.views import Actor
from cc_terminal.services.phone import floor_limits, floor_reads
from cc_terminal.services.phone.floor_reads import Facts, Moment, Person
from cc_terminal.services.phone.floor_views import (
    FloorState,
    FloorView,
    OperatorOnFloor,
)
from cc_terminal.store.database import Database


class FloorBoard:
    def __init__(self, db: Database, clock: Callable[[], datetime], zone: str) -> None:
        self.db, self.clock, self.zone = db, clock, ZoneInfo(zone)

    def view(self, actor: Actor) -> FloorView:
        """The whole board as it stands now (a team lead's)."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead sees the floor."))
        now = self.clock()
        midnight = self._midnight(now)
        with self.db.read() as session:
            limits = floor_limits.read(session)
            facts = _facts(session, midnight)
            floor_reads.phone_calls(session, facts, midnight)
            phone = floor_reads.phone_today(session, midnight, limits.service_seconds)
            campaigns = floor_reads.campaigns(session, midnight, midnight + timedelta(days=1))
        operators = tuple(_row(person, facts) for person in facts.people)
        return FloorView(now, operators, phone, campaigns, limits)

    def _midnight(self, now: datetime) -> datetime:
        local = now.astimezone(self.zone)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _facts(session: Session, midnight: datetime) -> Facts:
    facts = Facts(people=floor_reads.people(session))
    floor_reads.sessions(session, facts, midnight)
    floor_reads.pauses(session, facts, midnight)
    floor_reads.saved_calls(session, facts, midnight)
    floor_reads.chats(session, facts)
    floor_reads.typed_calls(session, facts)
    return facts


def _row(person: Person, facts: Facts) -> OperatorOnFloor:
    moment = _moment(person, facts)
    chats = facts.chats.get(person.id, (0, None))[0]
    since = None if moment is None else moment.since
    state = FloorState.SIGNED_OUT if moment is None else moment.state
    detail = "" if moment is None else moment.detail
    return OperatorOnFloor(
        person.id, person.full_name, person.username, state, since, detail, chats
    )


def _moment(person: Person, facts: Facts) -> Moment | None:
    """The operator's state and since when (None: signed out and not signed in today)."""
    phone = facts.phone.get(person.id)
    if phone is not None and phone.state in (FloorState.RINGING, FloorState.ON_CALL):
        return phone
    signed_in = facts.signed_in.get(person.id)
    if signed_in is None:
        out = facts.signed_out.get(person.id)
        return None if out is None else Moment(FloorState.SIGNED_OUT, out)
    wrap = phone if phone is not None and phone.since >= signed_in else None
    pause = facts.pauses.get(person.id)
    typed = facts.typed_calls.get(person.id)
    if typed is not None and (pause is None or pause.since <= typed):
        return Moment(FloorState.ON_CALL, typed)
    if pause is not None and (wrap is None or pause.since >= wrap.since):
        return pause
    if wrap is not None:
        return wrap
    if person.id in facts.chats:
        return Moment(FloorState.ON_CHAT, facts.chats[person.id][1])
    back = facts.back_to_work.get(person.id)
    return Moment(FloorState.READY, max(signed_in, back) if back else signed_in)
