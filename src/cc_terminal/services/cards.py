"""Reading customer cards: a few prebuilt Core statements on one connection, because the
card is on the screen-pop path (Enter on a number to the card painted)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection
from sqlmodel import col

from cc_terminal.i18n import _
from cc_terminal.models import Call, Customer, CustomerPhone, Operator
from cc_terminal.services import phones
from cc_terminal.services.errors import NotFound
from cc_terminal.services.views import CallSummary, CustomerCard, Phone

RECENT_CALLS = 10
MAX_MATCHES = 20

_CARD = select(
    col(Customer.id),
    col(Customer.full_name),
    col(Customer.street),
    col(Customer.house_number),
    col(Customer.city),
    col(Customer.postal_code),
    col(Customer.email),
    col(Customer.notes),
    col(Customer.do_not_call),
    col(Customer.version),
)
_BY_PHONE = (
    _CARD.join(CustomerPhone, col(CustomerPhone.customer_id) == col(Customer.id))
    .where(col(CustomerPhone.e164) == bindparam("e164"))
    .order_by(col(Customer.full_name))
    .limit(MAX_MATCHES)
)
_BY_ID = _CARD.where(col(Customer.id) == bindparam("customer_id"))
_PHONES = (
    select(col(CustomerPhone.e164))
    .where(col(CustomerPhone.customer_id) == bindparam("customer_id"))
    .order_by(col(CustomerPhone.position))
)
_RECENT = (
    select(
        col(Call.id),
        col(Call.started_at),
        col(Call.direction),
        col(Call.reason),
        col(Call.outcome),
        col(Call.notes),
        col(Call.talk_seconds),
        col(Call.wrap_seconds),
        col(Operator.full_name),
    )
    .join(Operator, col(Operator.id) == col(Call.operator_id))
    .where(col(Call.customer_id) == bindparam("customer_id"))
    .order_by(col(Call.started_at).desc())
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
        **row._mapping,  # the _CARD columns are named as the card's fields
        phones=tuple(Phone(e164=n, display=phones.display(n)) for n in numbers),
        recent_calls=recent_calls(connection, row.id),
    )
