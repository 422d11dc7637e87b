"""The rules of a missed visit: it can be reported only once its slot has begun (a visit
tomorrow has not been missed, and the miss report, which counts the days gone by, would
never show it), and the callback to confirm the new time goes to the operator who took the
order, or to whoever reported the miss when that account is deactivated or not on this
terminal. Pure rules and one read: no Textual, no transaction of their own."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from cc_terminal.i18n import _
from cc_terminal.models import CustomerOrder, Operator, OrderStatus
from cc_terminal.services.common.errors import ConflictError
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.calling_rules import WindowError, parse_window

MISSABLE = frozenset({OrderStatus.SCHEDULED.value, OrderStatus.RESCHEDULED.value})


def visit_start(day: date | None, slot: str, zone: ZoneInfo) -> datetime | None:
    """When the visit's slot begins (``08:00-10:00`` on its day, in the floor's zone);
    None when the order has no visit or its slot cannot be read."""
    if day is None:
        return None
    try:
        window = parse_window(slot)
    except WindowError:
        return None
    if window is None:
        return None
    return datetime.combine(day, window.start, zone)


def visit_begun(day: date | None, slot: str, now: datetime, zone: ZoneInfo) -> bool:
    """Whether the visit's slot has begun (a visit without a readable slot counts as begun:
    nothing says it has not)."""
    start = visit_start(day, slot, zone)
    return start is None or now >= start


def check_missable(order: CustomerOrder, now: datetime, zone: ZoneInfo) -> None:
    """Refuse a miss of an order without a booked visit, or of a visit still to come."""
    if order.status not in MISSABLE:
        raise ConflictError(_("Only a scheduled visit can be missed."))
    start = visit_start(order.visit_day, order.visit_slot, zone)
    if start is not None and now < start:
        raise ConflictError(
            _(
                "The visit is {day} {slot}: it can be reported missed once its slot has begun."
            ).format(day=start.strftime("%d.%m.%Y"), slot=order.visit_slot)
        )


def callback_owner(session: Session, order: CustomerOrder, actor: Actor) -> tuple[uuid.UUID, str]:
    """Who confirms the re-booked visit with the client, and what to tell the one who
    reported the miss: the order's operator, or the reporter when that account is gone."""
    if order.created_by == actor.operator_id:
        return actor.operator_id, _("A callback to confirm it is yours.")
    taker = session.get(Operator, order.created_by)
    if taker is None:
        return actor.operator_id, _(
            "Whoever took the order has no account here: the callback to confirm it is yours."
        )
    if not taker.active:
        return actor.operator_id, _(
            "{name}'s account is deactivated: the callback to confirm it is yours."
        ).format(name=taker.full_name)
    return taker.id, _("A callback to confirm it goes to {name}, who took the order.").format(
        name=taker.full_name
    )
