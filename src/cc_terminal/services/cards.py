"""Reading customer cards: a few prebuilt Core statements on one connection, because the
card is on the screen-pop path (Enter on a number to the card painted)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from cc_terminal.i18n import _
from cc_terminal.models import Call, Customer, CustomerPhone, Operator
from cc_terminal.services import phones
from cc_terminal.services.errors import NotFound
from cc_terminal.services.views import CallSummary, CustomerCard, Phone

RECENT_CALLS = 10
MAX_MATCHES = 20

_CARD = select(
    Customer.id,
    Customer.full_name,
    Customer.street,
    Customer.house_number,
    Customer.city,
    Customer.postal_code,
    Customer.email,
    Customer.notes,
    Customer.do_not_call,
    Customer.version,
)
_BY_PHONE = (
    _CARD.join(CustomerPhone, CustomerPhone.customer_id == Customer.id)  # type: ignore[arg-type]
    .where(CustomerPhone.e164 == bindparam("e164"))
    .order_by(Customer.full_name)
    .limit(MAX_MATCHES)
)
_BY_ID = _CARD.where(Customer.id == bindparam("customer_id"))
_PHONES = (
    select(CustomerPhone.e164)
    .where(CustomerPhone.customer_id == bindparam("customer_id"))
    .order_by(CustomerPhone.position)
)
_RECENT = (
    select(
        Call.id,
        Call.started_at,
        Call.direction,
        Call.reason,
        Call.outcome,
        Call.notes,
        Call.talk_seconds,
        Call.wrap_seconds,
        Operator.full_name,
    )
    .join(Operator, Operator.id == Call.operator_id)  # type: ignore[arg-type]
    .where(Call.customer_id == bindparam("customer_id"))
    .order_by(Call.started_at.desc())  # type: ignore[attr-defined]
    .limit(RECENT_CALLS)
)


def cards_by_phone(connection: Connection, e164: str) -> tuple[CustomerCard, ...]:
    rows = connection.execute(_BY_PHONE, {"e164": e164}).all()
    unique = {row.id: row for row in rows}
    return tuple(_card(connection, row) for row in unique.values())


def card_by_id(connection: Connection, customer_id: uuid.UUID) -> CustomerCard:
    row = connection.execute(_BY_ID, {"customer_id": customer_id}).first()
    if row is None:
        raise NotFound(_("No such customer."))
    return _card(connection, row)


def recent_calls(connection: Connection, customer_id: uuid.UUID) -> tuple[CallSummary, ...]:
    rows = connection.execute(_RECENT, {"customer_id": customer_id}).all()
    return tuple(CallSummary(*row) for row in rows)


def _card(connection: Connection, row: Any) -> CustomerCard:
    numbers = connection.execute(_PHONES, {"customer_id": row.id}).scalars().all()
    return CustomerCard(
        *row,
        phones=tuple(Phone(e164=n, display=phones.display(n)) for n in numbers),
        recent_calls=recent_calls(connection, row.id),
    )
