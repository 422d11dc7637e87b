"""Finding, creating and editing customers; phones are looked up by their E.164 form."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.customer_fields import FIELD_NAMES, Check, CustomerField, field_named
from cc_terminal.i18n import _
from cc_terminal.models import Customer, CustomerPhone
from cc_terminal.models.base import utcnow
from cc_terminal.services.calls import cards, ledger
from cc_terminal.services.common import phones
from cc_terminal.services.common.errors import ConflictError, NotFound, ValidationFailed
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import (
    Actor,
    CustomerCard,
    CustomerDraft,
    PhoneLookup,
)
from cc_terminal.services.privacy.erasure import erased_numbers
from cc_terminal.store import search_index
from cc_terminal.store.database import Database

MAX_PHONES = 5


class CustomerService:
    def __init__(self, db: Database, region: str) -> None:
        self.db = db
        self.region = region

    def lookup_phone(self, raw: str) -> PhoneLookup:
        """Normalise what was typed and return every customer with that number."""
        try:
            e164 = phones.normalise(raw, self.region)
        except phones.PhoneError as error:
            raise ValidationFailed({"phone": str(error)}) from error
        with self.db.connect() as connection:
            matches = cards.cards_by_phone(connection, e164)
        return PhoneLookup(e164=e164, display=phones.display(e164), matches=matches)

    def warm_lookup(self) -> None:
        """The screen pop's statements compiled before the first caller (cards.warm)."""
        with self.db.connect() as connection:
            cards.warm(connection)

    def card(self, customer_id: uuid.UUID) -> CustomerCard:
        with self.db.connect() as connection:
            return cards.card_by_id(connection, customer_id)

    def order_read_back(self, customer_id: uuid.UUID, order_id: uuid.UUID) -> str:
        """What the customer was told of their order, for the ledger's entry opened whole."""
        with self.db.connect() as connection:
            return ledger.order_read_back(connection, customer_id, order_id)

    def create(self, actor: Actor, draft: CustomerDraft) -> CustomerCard:
        fields, numbers = self._validate(draft)
        with self.db.write(actor.operator_id) as session:
            _refuse_erased(session, numbers)
            customer = Customer(**fields)
            session.add(customer)
            session.add_all(_phone_rows(customer.id, numbers))
            session.flush()
            search_index.index_customer(session.connection(), customer.id, fields)
            return cards.card_by_id(session.connection(), customer.id)

    def create_many(self, actor: Actor, drafts: Iterable[CustomerDraft]) -> int:
        """Create many customers in one transaction; any invalid row refuses them all."""
        rows, problems = [], {}
        for index, draft in enumerate(drafts, start=1):
            try:
                rows.append(self._validate(draft))
            except ValidationFailed as failed:
                problems[f"row {index}"] = str(failed)
        if problems:
            raise ValidationFailed(problems)
        with self.db.write(actor.operator_id) as session:
            _refuse_erased(session, [number for _fields, numbers in rows for number in numbers])
            indexed = []
            for fields, numbers in rows:
                customer = Customer(**fields)
                session.add(customer)
                session.add_all(_phone_rows(customer.id, numbers))
                indexed.append((customer.id, search_index.customer_terms(fields)))
            session.flush()
            search_index.index_customers(session.connection(), indexed)
        return len(rows)

    def update(
        self, actor: Actor, customer_id: uuid.UUID, draft: CustomerDraft, expected_version: int
    ) -> CustomerCard:
        """Save an edit; refuse it when someone else saved the customer since it was read."""
        fields, numbers = self._validate(draft, creating=False)
        with self.db.write(actor.operator_id) as session:
            customer = _get(session, customer_id)
            if customer.erased_at is not None:
                raise ConflictError(_("This customer was erased at their request."))
            _refuse_erased(session, numbers)
            if customer.version != expected_version:
                raise ConflictError(_("Someone else changed this customer; reload and re-apply."))
            for name, value in fields.items():
                setattr(customer, name, value)
            customer.version += 1
            customer.updated_at = utcnow()
            if draft.phones is not None:
                _replace_phones(session, customer_id, numbers)
            session.flush()
            stored = {name: getattr(customer, name) for name in FIELD_NAMES}
            search_index.index_customer(session.connection(), customer_id, stored)
            return cards.card_by_id(session.connection(), customer_id)

    def _validate(
        self, draft: CustomerDraft, *, creating: bool = True
    ) -> tuple[dict[str, Any], list[str]]:
        """The fields to store and the phones, each checked as declared. A new customer
        gets every field (those not typed empty); an edit only the ones it names."""
        form = FormErrors()
        named = FIELD_NAMES if creating else tuple(draft.values)
        fields: dict[str, Any] = {
            name: checked(form, field_named(name), draft.value(name)) for name in named
        }
        if creating or draft.do_not_call is not None:
            fields["do_not_call"] = bool(draft.do_not_call)
        numbers = [] if draft.phones is None and not creating else self._phones(form, draft.phones)
        form.raise_if_any()
        return fields, numbers

    def _phones(self, form: FormErrors, typed: str | None) -> list[str]:
        parts = [part for part in (typed or "").replace(";", ",").split(",") if part.strip()]
        if not parts:
            form.add("phones", _("At least one phone number is required."))
        if len(parts) > MAX_PHONES:
            form.add("phones", _("At most {count} phone numbers.").format(count=MAX_PHONES))
        numbers: list[str] = []
        for part in parts:
            try:
                numbers.append(phones.normalise(part, self.region))
            except phones.PhoneError as error:
                form.add("phones", f"{part.strip()}: {error}")
        return list(dict.fromkeys(numbers))


def checked(form: FormErrors, field: CustomerField, typed: str) -> str:
    """One declared field's typed value as it is stored; problems go to ``form``."""
    if field.check is Check.EMAIL:
        return form.email(field.name, typed, field.max_length)
    if field.check is Check.WHOLE_NUMBER:
        return form.whole_number(field.name, typed, field.bounds)
    return form.text(field.name, typed, field.max_length, required=field.required)


def _refuse_erased(session: Session, numbers: list[str]) -> None:
    """A number of a person erased at their request is not stored again."""
    erased = erased_numbers(session, numbers)
    if erased:
        shown = ", ".join(sorted(phones.display(number) for number in erased))
        message = _("{numbers}: erased at the person's request; not stored again.")
        raise ValidationFailed({"phones": message.format(numbers=shown)})


def _get(session: Session, customer_id: uuid.UUID) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(_("No such customer."))
    return customer


def _phone_rows(customer_id: uuid.UUID, numbers: Iterable[str]) -> list[CustomerPhone]:
    return [
        CustomerPhone(customer_id=customer_id, e164=number, position=index)
        for index, number in enumerate(numbers)
    ]


def _replace_phones(session: Session, customer_id: uuid.UUID, numbers: list[str]) -> None:
    existing = session.scalars(
        select(CustomerPhone).where(col(CustomerPhone.customer_id) == customer_id)
    ).all()
    kept = {row.e164: row for row in existing if row.e164 in numbers}
    for row in existing:
        if row.e164 not in kept:
            session.delete(row)
    for index, number in enumerate(numbers):
        phone = kept.get(number)
        if phone is None:
            session.add(CustomerPhone(customer_id=customer_id, e164=number, position=index))
        elif phone.position != index:
            phone.position = index
