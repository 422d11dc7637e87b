"""Collect every problem with a form at once, so each field can show its own message."""

from __future__ import annotations

import re
import uuid

from sqlalchemy.orm import Session

from cc_terminal.i18n import _
from cc_terminal.models import Customer
from cc_terminal.services.errors import ValidationFailed

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class FormErrors:
    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def text(self, field: str, value: str, limit: int, *, required: bool = False) -> str:
        """Check one text field and return it stripped."""
        value = value.strip()
        if required and not value:
            self.add(field, _("Required."))
        elif len(value) > limit:
            self.add(
                field,
                _("Too long: {length} characters, at most {limit}.").format(
                    length=len(value), limit=limit
                ),
            )
        return value

    def email(self, field: str, value: str, limit: int) -> str:
        value = self.text(field, value, limit)
        if value and not EMAIL.match(value):
            self.add(field, _("Not an e-mail address."))
        return value

    def customer_exists(self, session: Session, customer_id: uuid.UUID | None) -> None:
        """Flag a record pointing at a customer who is not (or no longer) stored."""
        if customer_id is not None and session.get(Customer, customer_id) is None:
            self.add("customer", _("No such customer."))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)
