"""Personal data shown only where it is needed: masked values for lists, pickers and
queues, and a reveal that asks why and is audited (who, whom, which field, why, when)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import Customer, CustomerPhone
from cc_terminal.models.base import utcnow
from cc_terminal.services.audit import add_event
from cc_terminal.services.errors import NotFound, ValidationFailed
from cc_terminal.services.phones import display
from cc_terminal.services.validation import FormErrors
from cc_terminal.services.views import Actor
from cc_terminal.store.database import Database

HIDDEN = "*"
SHOWN_DIGITS = 3
REVEALABLE = ("phone", "email")
MIN_REASON = 4


def mask_phone(number: str) -> str:
    """``+420 601 123 456`` -> ``+420 *** *** 456``: the country code and the last three
    digits stay (enough to tell two numbers apart on the phone), every other digit hidden."""
    if not number:
        return ""
    digits = [index for index, char in enumerate(number) if char.isdigit()]
    country = _country_digits(number)
    keep = set(digits[:country]) | set(digits[-SHOWN_DIGITS:])
    return "".join(
        HIDDEN if index in digits and index not in keep else char
        for index, char in enumerate(number)
    )


def _country_digits(number: str) -> int:
    match = re.match(r"^\+(\d{1,3})[ \-]", number)
    return len(match.group(1)) if match else 0


def mask_email(address: str) -> str:
    """``jana.nova@seznam.cz`` -> ``j***@seznam.cz``: the first letter and the domain."""
    local, at, domain = address.partition("@")
    if not at:
        return HIDDEN * 3 if address else ""
    return f"{local[:1]}{HIDDEN * 3}@{domain}"


def mask_identifier(value: str) -> str:
    """A birth number, an ID card or an account number: only the last three characters."""
    value = value.strip()
    if len(value) <= SHOWN_DIGITS:
        return HIDDEN * len(value)
    return HIDDEN * (len(value) - SHOWN_DIGITS) + value[-SHOWN_DIGITS:]


def mask_birth_date(value: str) -> str:
    """``14.03.1985`` -> ``**.**.****``: a birth date tells nothing that a list needs."""
    return re.sub(r"\d", HIDDEN, value)


class Privacy:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    def reveal(self, actor: Actor, customer_id: uuid.UUID, field: str, reason: str) -> str:
        """The full value behind a masked one, once the reason is given; audited. Refused
        without a reason (audited too, so an attempt is seen)."""
        form = FormErrors()
        why = form.text("reason", reason, limits.SHORT_NOTE)
        if len(why.strip()) < MIN_REASON:
            form.add("reason", _("Say why you need to see it (a few words)."))
        if field not in REVEALABLE:
            form.add("field", _("Only a phone or an e-mail is revealed."))
        with self.db.write(actor.operator_id) as session:
            if form.errors:
                add_event(
                    session,
                    actor.operator_id,
                    "customer.revealed",
                    str(customer_id),
                    f"{field}: refused, no reason",
                    self.clock(),
                )
            else:
                customer = session.get(Customer, customer_id)
                if customer is None:
                    raise NotFound(_("No such customer."))
                add_event(
                    session,
                    actor.operator_id,
                    "customer.revealed",
                    str(customer_id),
                    f"{field}: {why.strip()}",
                    self.clock(),
                )
                return self._value(session, customer, field)
        raise ValidationFailed(form.errors)

    @staticmethod
    def _value(session: Session, customer: Customer, field: str) -> str:
        if field == "email":
            return customer.email
        query = select(col(CustomerPhone.e164)).where(col(CustomerPhone.customer_id) == customer.id)
        return ", ".join(display(number) for number in session.scalars(query))
