"""The reveal of a masked value (services/privacy/masks.py): it asks why and is audited (who,
whom, which field, why, when)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import Customer, CustomerPhone
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.base import utcnow
from cc_terminal.services.common.audit import add_event
from cc_terminal.services.common.errors import NotFound, ValidationFailed
from cc_terminal.services.common.phones import display
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database

REVEALABLE = ("phone", "email")
MIN_REASON = 4


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
                    AuditKind.CUSTOMER_REVEALED,
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
                    AuditKind.CUSTOMER_REVEALED,
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
