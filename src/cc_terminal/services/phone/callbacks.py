"""Missed calls and their callbacks (``PhoneCalls.missed``, ``assign_callback``,
``my_callbacks``, ``callback_done`` delegate here).

A missed call is an incoming phone call that ended abandoned (the caller hung up first),
unanswered (rang out, rejected) or busy, and was not called back. It drops off the list by
itself once the same number (its E.164 form, else the number as the phone said it) has
called again and been answered, or was called and answered, since. A team lead gives the
callback to an operator (or takes it back); the operator sees it in their callbacks, calls
back from F2, and saving that call marks it done, linked to the call, together with the
number's other missed calls not yet called back."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlmodel import col

from cc_terminal.i18n import _
from cc_terminal.models import Customer, Operator
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.phone import EndReason, PhoneCall
from cc_terminal.services.common.audit import add_event
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.phone.views import MissedCallView
from cc_terminal.store.database import Database

MISSED = (EndReason.ABANDONED.value, EndReason.UNANSWERED.value, EndReason.BUSY.value)
PEOPLE = ("operator", "lead")


def missed(db: Database, since: datetime | None = None) -> list[MissedCallView]:
    query = _missed_query()
    if since is not None:
        query = query.where(col(PhoneCall.rang_at) >= since)
    with db.read() as session:
        return [_view(*row) for row in session.execute(query)]


def my_callbacks(db: Database, actor: Actor) -> list[MissedCallView]:
    query = _missed_query().where(col(PhoneCall.callback_operator_id) == actor.operator_id)
    with db.read() as session:
        return [_view(*row) for row in session.execute(query)]


def open_callbacks(db: Database, actor: Actor) -> int:
    """How many missed calls ``actor`` was given to call back and has not yet (the
    header's badge)."""
    mine = _missed_query().where(col(PhoneCall.callback_operator_id) == actor.operator_id)
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(mine.subquery())) or 0)


def assign_callback(
    db: Database,
    actor: Actor,
    phone_call_id: uuid.UUID,
    operator_id: uuid.UUID | None,
    now: datetime,
) -> None:
    if not actor.is_lead:
        raise PermissionDenied(_("Only a team lead gives out callbacks."))
    with db.write(actor.operator_id) as session:
        row = _open_missed(session, phone_call_id)
        if operator_id is not None and not _may_call_back(session, operator_id):
            raise ValidationFailed({"operator": _("Choose an active operator.")})
        if row.callback_operator_id != operator_id:
            _audit_giving(session, actor, row, operator_id, now)
            row.callback_operator_id = operator_id
            row.version += 1


def callback_done(
    db: Database, actor: Actor, phone_call_id: uuid.UUID, call_id: uuid.UUID, now: datetime
) -> None:
    """The callback is done: this missed call and the number's other open ones (one call
    back answers them all). Done again with the same call changes nothing."""
    with db.write(actor.operator_id) as session:
        row = session.get(PhoneCall, phone_call_id)
        if row is None or row.end_reason not in MISSED:
            raise NotFound(_("No such missed call."))
        if row.callback_call_id == call_id:
            return
        given = row.callback_operator_id
        if given not in (None, actor.operator_id) and not actor.is_lead:
            raise PermissionDenied(_("This callback is a colleague's."))
        for missed_row in session.scalars(_same_number_open(row)):
            missed_row.callback_done_at = now
            missed_row.callback_call_id = call_id
            missed_row.version += 1


def _audit_giving(
    session: Session, actor: Actor, row: PhoneCall, operator_id: uuid.UUID | None, now: datetime
) -> None:
    """Given (to whom, and from whom when it moves) or taken back, in the same write."""
    names = {
        person.id: person.username
        for person in session.scalars(
            select(Operator).where(col(Operator.id).in_([row.callback_operator_id, operator_id]))
        )
    }
    had = names.get(row.callback_operator_id, "") if row.callback_operator_id else ""
    if operator_id is None:
        kind, detail = AuditKind.PHONE_CALLBACK_TAKEN_BACK, f"from {had}"
    else:
        kind = AuditKind.PHONE_CALLBACK_GIVEN
        detail = f"to {names.get(operator_id, '')}" + (f" from {had}" if had else "")
    add_event(session, actor.operator_id, kind, str(row.id), detail, now)


def _missed_query() -> Select[PhoneCall, str, str]:
    later = aliased(PhoneCall)
    answered_since = exists().where(
        _same_number(later, PhoneCall),
        col(later.rang_at) > col(PhoneCall.rang_at),
        col(later.answered_at).is_not(None),
    )
    return (
        select(PhoneCall, col(Operator.full_name), col(Customer.full_name))
        .outerjoin(Operator, col(Operator.id) == col(PhoneCall.callback_operator_id))
        .outerjoin(Customer, col(Customer.id) == col(PhoneCall.customer_id))
        .where(
            col(PhoneCall.end_reason).in_(MISSED),
            col(PhoneCall.callback_done_at).is_(None),
            col(PhoneCall.direction) == "in",
            ~answered_since,
        )
        .order_by(col(PhoneCall.rang_at))
    )


def _same_number(other: type[PhoneCall], this: type[PhoneCall]) -> ColumnElement[bool]:
    return or_(
        and_(col(this.phone_e164) != "", col(other.phone_e164) == col(this.phone_e164)),
        and_(col(this.phone_e164) == "", col(other.number_raw) == col(this.number_raw)),
    )


def _same_number_open(row: PhoneCall) -> Select[PhoneCall]:
    number = (
        col(PhoneCall.phone_e164) == row.phone_e164
        if row.phone_e164
        else col(PhoneCall.number_raw) == row.number_raw
    )
    return select(PhoneCall).where(
        number,
        col(PhoneCall.end_reason).in_(MISSED),
        col(PhoneCall.callback_done_at).is_(None),
        col(PhoneCall.direction) == "in",
    )


def _open_missed(session: Session, phone_call_id: uuid.UUID) -> PhoneCall:
    row = session.get(PhoneCall, phone_call_id)
    if row is None or row.end_reason not in MISSED or row.direction != "in":
        raise NotFound(_("No such missed call."))
    if row.callback_done_at is not None:
        raise ValidationFailed({"operator": _("This call was already called back.")})
    return row


def _may_call_back(session: Session, operator_id: uuid.UUID) -> bool:
    person = session.get(Operator, operator_id)
    return person is not None and person.active and person.role in PEOPLE


def _view(row: PhoneCall, operator_name: str | None, customer_name: str | None) -> MissedCallView:
    return MissedCallView(
        row.id,
        row.number_raw,
        row.phone_e164,
        customer_name or "",
        row.rang_at,
        row.end_reason,
        row.extension,
        row.callback_operator_id,
        operator_name or "",
        row.callback_done_at,
    )
