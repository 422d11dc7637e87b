"""Reading customer cards: a few prebuilt Core statements on one connection, because the
card is on the screen-pop path (Enter on a number to the card painted)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection
from sqlmodel import col

from cc_terminal.customer_fields import FIELD_NAMES
from cc_terminal.i18n import _
from cc_terminal.models import Call, Customer, CustomerPhone, customer_column
from cc_terminal.phase_marks import mark
from cc_terminal.services.calls import ledger
from cc_terminal.services.common import phones
from cc_terminal.services.common.errors import NotFound
from cc_terminal.services.common.views import CustomerCard, EntryKind, Phone, of_kind

MAX_MATCHES = 20
NO_NUMBER = "+0"  # no E.164 number starts with 0: what the warming looks up

_CARD = select(
    col(Customer.id),
    col(Customer.do_not_call),
    col(Customer.priority),
    col(Customer.version),
    *(customer_column(name) for name in FIELD_NAMES),
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
_LAST_CONTACT = select(func.max(col(Call.started_at))).where(
    col(Call.customer_id) == bindparam("customer_id")
)


def cards_by_phone(connection: Connection, e164: str) -> tuple[CustomerCard, ...]:
    """Every customer with this number; a single match comes with its ledger (the screen
    pop), several come with their last contact for the operator to choose from."""
    rows = connection.execute(_BY_PHONE, {"e164": e164}).all()
    unique = list({row.id: row for row in rows}.values())
    return tuple(_card(connection, row, with_ledger=len(unique) == 1) for row in unique)


def warm(connection: Connection) -> None:
    """Every statement of a screen pop run once for nobody (a number no one can have, a new
    id), so that the first caller's pop compiles none: the first pop of a terminal took
    about 60 ms against 20-30 ms for the next, 25 of them compiling the ledger's seven
    statements. It reads nothing of a person."""
    connection.execute(_BY_PHONE, {"e164": NO_NUMBER}).all()
    nobody = uuid.uuid4()
    connection.execute(_BY_ID, {"customer_id": nobody}).first()
    connection.execute(_PHONES, {"customer_id": nobody}).all()
    connection.execute(_LAST_CONTACT, {"customer_id": nobody}).scalar()
    ledger.timeline(connection, nobody)


def card_by_id(connection: Connection, customer_id: uuid.UUID) -> CustomerCard:
    row = connection.execute(_BY_ID, {"customer_id": customer_id}).first()
    if row is None:
        raise NotFound(_("No such customer."))
    return _card(connection, row, with_ledger=True)


def _card(connection: Connection, row: Any, *, with_ledger: bool) -> CustomerCard:
    numbers = connection.execute(_PHONES, {"customer_id": row.id}).scalars().all()
    mark("ledger start")
    entries = ledger.timeline(connection, row.id) if with_ledger else ()
    mark("ledger done")
    if with_ledger:
        newest_call = next(of_kind(entries, EntryKind.CALL), None)
        last_contact = newest_call.at if newest_call is not None else None
    else:
        last_contact = connection.execute(_LAST_CONTACT, {"customer_id": row.id}).scalar()
    return CustomerCard(
        id=row.id,
        values={name: row._mapping[name] for name in FIELD_NAMES},
        do_not_call=row.do_not_call,
        priority=row.priority,
        version=row.version,
        phones=tuple(Phone(e164=n, display=phones.display(n)) for n in numbers),
        timeline=entries,
        last_contact=last_contact,
    )
