"""``PhoneCalls``: the one service that stores what the phone reports, and the missed
calls' callbacks. Every event goes through ``apply`` whatever carried it (baresip's
ctrl_tcp, the webhook, ``cc-terminal ring``), so the rules are in one place.

Events arrive twice, late or out of order (an answer before its ring, two hang-ups): the
row keeps the earliest ring and answer and the first hang-up, and a repeat writes nothing.
Two writers of the same new call race on the unique ``call_key``: the loser tries again
and finds the row."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.i18n import _
from cc_terminal.models import Customer, CustomerPhone, Operator, PhoneCall
from cc_terminal.models.phone import EndReason
from cc_terminal.services.common import phones
from cc_terminal.services.common.audit import refusals_audited
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.phone import callbacks
from cc_terminal.services.phone.events import PhoneEvent, PhoneEventKind
from cc_terminal.services.phone.views import MissedCallView, PhoneCallView
from cc_terminal.store.database import Database

BUSY_CODES = frozenset({486, 600})
UNANSWERED_CODES = frozenset({408, 480, 603})
FAILED_CODES = frozenset({404, 484, 604})


def end_reason_of(direction: str, answered: bool, sip_code: int | None) -> EndReason:
    """How a call ended: answered once answered; else by its SIP code; else the caller
    gave up (an incoming call: abandoned) or nobody took it (an outgoing one)."""
    if answered:
        return EndReason.ANSWERED
    if sip_code in BUSY_CODES:
        return EndReason.BUSY
    if sip_code in UNANSWERED_CODES:
        return EndReason.UNANSWERED
    if sip_code in FAILED_CODES:
        return EndReason.FAILED
    return EndReason.ABANDONED if direction == "in" else EndReason.UNANSWERED


def e164_of(number: str, region: str) -> str:
    """The number as E.164, or "" when it does not parse (the raw number is kept)."""
    try:
        return phones.normalise(number, region)
    except phones.PhoneError:
        return ""


@refusals_audited
class PhoneCalls:
    def __init__(self, db: Database, clock: Callable[[], datetime], region: str = "CZ") -> None:
        self.db, self.clock, self.region = db, clock, region

    def apply(
        self, actor: Actor, event: PhoneEvent, operator_id: uuid.UUID | None = None
    ) -> PhoneCallView:
        """Store ``event`` in one write and return its call as it now stands.

        Idempotent and order-tolerant: the first event of a ``call_key`` creates its row
        (an ANSWER or HANGUP before its RING too; ``rang_at`` is the earliest time seen);
        an event that repeats what is stored changes nothing. A HANGUP ends the call:
        "answered" after an ANSWER; else by its SIP code (486/600 busy, 408/480/603
        unanswered, 404/484/604 failed), else "abandoned" for an incoming call (the
        caller hung up first) and "unanswered" for an outgoing one. ``operator_id`` is who
        is signed in on that extension when the caller knows it (the TUI passes its
        operator; the webhook and the CLI do not). The caller's number is made E.164 with
        the terminal's region ("" when it does not parse; ``number_raw`` keeps it as
        said) and looked up (exact, on customer_phone) for ``customer_id`` when one
        customer has it. A call no one is named for is attributed to the active account
        whose extension it rang on (a webhook's ring for 101: 101's operator).

        A team lead or a service account (the webhook's, the gateway's) may apply any
        extension's events; an operator only their own account's extension, or, when
        their account has none, the terminal's: any extension no other account holds."""
        e164 = e164_of(event.number, self.region) if event.number else ""
        try:
            return self._apply(actor, event, operator_id, e164)
        except IntegrityError:  # another writer created the same call first
            return self._apply(actor, event, operator_id, e164)

    def _apply(
        self, actor: Actor, event: PhoneEvent, operator_id: uuid.UUID | None, e164: str
    ) -> PhoneCallView:
        with self.db.write(actor.operator_id) as session:
            holder = _holder(session, event.extension)
            _check_extension(session, actor, event.extension, holder)
            operator_id = operator_id or holder
            row = _row(session, event.call_key, lock=True)
            created = row is None
            if row is None:
                row = _new_row(event, e164)
                session.add(row)
            changed = _merge(row, event, e164)
            if operator_id is not None and row.operator_id is None:
                row.operator_id, changed = operator_id, True
            if row.customer_id is None and row.phone_e164:
                changed = _find_customer(session, row) or changed
            if changed and not created:
                row.version += 1
            session.flush()
            return _view(session, row)

    def link_call(self, actor: Actor, call_key: str, call_id: uuid.UUID) -> None:
        """The saved ``call`` record this phone call became (F2 saves the call, then calls
        this with its id). Linking again to the same call changes nothing; another
        call is refused. The phone call's operator, a team lead or a service may link."""
        with self.db.write(actor.operator_id) as session:
            row = _row(session, call_key, lock=True)
            if row is None:
                raise NotFound(_("No phone call {k}.").format(k=call_key))
            _may_link(actor, row)
            if row.call_id == call_id:
                return
            if row.call_id is not None:
                raise ValidationFailed({"call": _("This phone call is saved as another call.")})
            row.call_id = call_id
            row.version += 1

    def transferred(self, actor: Actor, call_key: str) -> PhoneCallView:
        """The operator handed the call on (a blind transfer): it ends here now with the
        reason "transferred", whatever hang-up comes after. Its operator, a lead or a
        service may say so; a call that ended already keeps its end."""
        with self.db.write(actor.operator_id) as session:
            row = _row(session, call_key, lock=True)
            if row is None:
                raise NotFound(_("No phone call {k}.").format(k=call_key))
            _may_link(actor, row)
            if row.end_reason != EndReason.TRANSFERRED.value:
                row.ended_at = row.ended_at or max(self.clock(), row.rang_at)
                row.end_reason = EndReason.TRANSFERRED.value
                row.version += 1
            session.flush()
            return _view(session, row)

    def call(self, call_key: str) -> PhoneCallView | None:
        """The call stored under ``call_key``, or None."""
        with self.db.read() as session:
            row = _row(session, call_key)
            return None if row is None else _view(session, row)

    def latest(self, extension: str, after: datetime | None = None) -> PhoneCallView | None:
        """The newest call that rang on ``extension`` (since ``after`` when given)."""
        query = select(PhoneCall).where(col(PhoneCall.extension) == extension)
        if after is not None:
            query = query.where(col(PhoneCall.rang_at) > after)
        with self.db.read() as session:
            row = session.scalars(query.order_by(col(PhoneCall.rang_at).desc()).limit(1)).first()
            return None if row is None else _view(session, row)

    def open_call_of(self, extension: str, number: str) -> PhoneCallView | None:
        """The newest call of ``number`` on ``extension`` that has not ended: what
        ``cc-terminal ring --answer`` or ``--hangup`` without a call key means."""
        query = (
            select(PhoneCall)
            .where(
                col(PhoneCall.extension) == extension,
                col(PhoneCall.number_raw) == number,
                col(PhoneCall.ended_at).is_(None),
            )
            .order_by(col(PhoneCall.rang_at).desc())
            .limit(1)
        )
        with self.db.read() as session:
            row = session.scalars(query).first()
            return None if row is None else _view(session, row)

    def missed(self, since: datetime | None = None) -> list[MissedCallView]:
        """Incoming calls that ended unanswered (abandoned, unanswered, busy) and were not
        called back, oldest first; since ``since`` when given. (phone-floor builds it.)"""
        return callbacks.missed(self.db, since)

    def assign_callback(
        self, actor: Actor, phone_call_id: uuid.UUID, operator_id: uuid.UUID | None
    ) -> None:
        """A team lead gives a missed call's callback to an operator (None: back to
        nobody). (phone-floor builds it.)"""
        callbacks.assign_callback(self.db, actor, phone_call_id, operator_id, self.clock())

    def open_callbacks(self, actor: Actor) -> int:
        """How many callbacks ``actor`` was given and has not made (the header's badge)."""
        return callbacks.open_callbacks(self.db, actor)

    def my_callbacks(self, actor: Actor) -> list[MissedCallView]:
        """The missed calls given to ``actor`` to call back, not done yet. (phone-floor.)"""
        return callbacks.my_callbacks(self.db, actor)

    def callback_done(self, actor: Actor, phone_call_id: uuid.UUID, call_id: uuid.UUID) -> None:
        """The callback of a missed call was made: ``call_id`` is the call record it
        became. (phone-floor builds it.)"""
        callbacks.callback_done(self.db, actor, phone_call_id, call_id, self.clock())


def _holder(session: Session, extension: str) -> uuid.UUID | None:
    """The active account whose extension this is, if any."""
    query = select(col(Operator.id)).where(
        col(Operator.phone_extension) == extension, col(Operator.active)
    )
    return session.scalars(query.limit(1)).first()


def _check_extension(
    session: Session, actor: Actor, extension: str, holder: uuid.UUID | None
) -> None:
    """An operator's terminal applies only that operator's extension's events."""
    if actor.is_lead or actor.role == "service":
        return
    query = select(col(Operator.phone_extension)).where(col(Operator.id) == actor.operator_id)
    mine = session.scalar(query) or ""
    if (mine and extension != mine) or (holder is not None and holder != actor.operator_id):
        message = _("Extension {ext} is not yours: its calls are not stored from here.")
        raise PermissionDenied(message.format(ext=extension))


def _row(session: Session, call_key: str, *, lock: bool = False) -> PhoneCall | None:
    query = select(PhoneCall).where(col(PhoneCall.call_key) == call_key)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).first()


def _new_row(event: PhoneEvent, e164: str) -> PhoneCall:
    return PhoneCall(
        call_key=event.call_key,
        direction=event.direction,
        extension=event.extension,
        number_raw=event.number,
        phone_e164=e164,
        rang_at=event.at,
    )


def _merge(row: PhoneCall, event: PhoneEvent, e164: str) -> bool:
    """Fold ``event`` into ``row``; whether anything changed."""
    before = _state(row)
    if not row.number_raw and event.number:
        row.number_raw, row.phone_e164 = event.number, e164
    if event.at < row.rang_at:
        row.rang_at = event.at
    if event.kind is PhoneEventKind.ANSWER:
        _answered(row, event.at)
    elif event.kind is PhoneEventKind.HANGUP and row.ended_at is None:
        row.ended_at, row.end_code = max(event.at, row.rang_at), event.sip_code
        answered = row.answered_at is not None
        row.end_reason = end_reason_of(row.direction, answered, event.sip_code).value
    return _state(row) != before


def _answered(row: PhoneCall, at: datetime) -> None:
    """The earliest answer counts; a hang-up that came first turns into an answered end."""
    if row.answered_at is None or at < row.answered_at:
        row.answered_at = at
    if row.ended_at is not None:
        row.end_reason = EndReason.ANSWERED.value
        row.ended_at = max(row.ended_at, row.answered_at)


def _state(row: PhoneCall) -> tuple[object, ...]:
    return (
        row.number_raw,
        row.rang_at,
        row.answered_at,
        row.ended_at,
        row.end_code,
        row.end_reason,
    )


def _find_customer(session: Session, row: PhoneCall) -> bool:
    """The caller's card when exactly one customer has the number; whether one was set."""
    owners = session.scalars(
        select(col(CustomerPhone.customer_id))
        .where(col(CustomerPhone.e164) == row.phone_e164)
        .distinct()
        .limit(2)
    ).all()
    if len(owners) != 1:
        return False
    row.customer_id = owners[0]
    return True


def _may_link(actor: Actor, row: PhoneCall) -> None:
    if actor.is_lead or actor.role == "service":
        return
    if row.operator_id not in (None, actor.operator_id):
        raise PermissionDenied(_("This phone call is another operator's."))


def _view(session: Session, row: PhoneCall) -> PhoneCallView:
    name: str | None = None
    if row.customer_id is not None:
        query = select(col(Customer.full_name)).where(col(Customer.id) == row.customer_id)
        name = session.scalar(query)
    return PhoneCallView(
        id=row.id,
        call_key=row.call_key,
        direction=row.direction,
        extension=row.extension,
        number_raw=row.number_raw,
        phone_e164=row.phone_e164,
        operator_id=row.operator_id,
        customer_id=row.customer_id,
        customer_name=name or "",
        rang_at=row.rang_at,
        answered_at=row.answered_at,
        ended_at=row.ended_at,
        end_code=row.end_code,
        end_reason=row.end_reason,
        call_id=row.call_id,
    )
