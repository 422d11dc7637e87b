"""Callers a newcomer can try on the demo floor: a known customer with calls behind them,
one with an open complaint, and a number nobody has (it opens the new-customer form)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import bindparam, exists, select
from sqlmodel import col

from cc_terminal.data.codes import RequestCategory
from cc_terminal.i18n import _
from cc_terminal.models import Call, Customer, CustomerPhone, ServiceRequest
from cc_terminal.models.request import RequestStatus
from cc_terminal.services.common import phones
from cc_terminal.services.demo.floor import demo_phone
from cc_terminal.services.workstation import Workstation

OPEN = (RequestStatus.OPEN.value, RequestStatus.FORWARDED.value, RequestStatus.REOPENED.value)


@dataclass(frozen=True)
class CallerToTry:
    number: str  # as the card shows it; typed so, or without +420 and spaces
    what: str  # in a few words: "known customer"
    who: str

    @property
    def line(self) -> str:
        """As the demo prints it and keeps it in its accounts file."""
        return f"  {self.number}  {self.what}: {self.who}"


def callers_to_try(ws: Workstation, seed: int = 7) -> list[CallerToTry]:
    first_phone = (
        select(col(CustomerPhone.e164), col(Customer.full_name))
        .join(Customer, col(Customer.id) == col(CustomerPhone.customer_id))
        .where(col(CustomerPhone.position) == 0, ~col(Customer.do_not_call))
        .order_by(col(Customer.full_name))
        .limit(1)
    )
    called = exists().where(col(Call.customer_id) == col(Customer.id))
    complaint = exists().where(
        col(ServiceRequest.customer_id) == col(Customer.id),
        col(ServiceRequest.category) == RequestCategory.COMPLAINT,
        col(ServiceRequest.status).in_(OPEN),
    )
    tried: list[CallerToTry] = []
    with ws.db.read() as session:
        known = session.execute(first_phone.where(called, ~complaint)).first()
        complaining = session.execute(first_phone.where(complaint)).first()
    if known is not None:
        tried.append(CallerToTry(phones.display(known[0]), _("known customer"), known[1]))
    if complaining is not None:
        number = phones.display(complaining[0])
        tried.append(CallerToTry(number, _("open complaint"), complaining[1]))
    new = _unused_number(ws, random.Random(seed))
    tried.append(
        CallerToTry(phones.display(new), _("new number"), _("the new-customer form opens"))
    )
    return tried


def _unused_number(ws: Workstation, rng: random.Random) -> str:
    """A demo number nobody has, asked of the index one number at a time (not every phone
    of a floor of a million read into memory)."""
    taken = select(col(CustomerPhone.e164)).where(col(CustomerPhone.e164) == bindparam("e164"))
    with ws.db.read() as session:
        while True:
            number = demo_phone(rng)
            if session.execute(taken, {"e164": number}).first() is None:
                return number
