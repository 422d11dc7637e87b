"""The customer a visitor's contact names: one stored, not erased customer with that
e-mail address (found through the search index's rarest word of it, then compared whole)
or that phone number. Two or more: nobody (the operator picks)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.folding import words
from cc_terminal.models import Customer, CustomerPhone, CustomerTerm, SearchTerm, customer_column


def known_customer(session: Session, contact: str, is_phone: bool) -> uuid.UUID | None:
    found = _by_phone(session, contact) if is_phone else _by_email(session, contact)
    return found[0] if len(found) == 1 else None


def _by_phone(session: Session, e164: str) -> list[uuid.UUID]:
    query = (
        select(col(Customer.id))
        .join(CustomerPhone, col(CustomerPhone.customer_id) == col(Customer.id))
        .where(col(CustomerPhone.e164) == e164, col(Customer.erased_at).is_(None))
        .distinct()
        .limit(2)
    )
    return list(session.scalars(query))


def _by_email(session: Session, address: str) -> list[uuid.UUID]:
    terms = words(address)
    if not terms:
        return []
    rarest = (
        select(col(SearchTerm.id))
        .where(col(SearchTerm.term).in_(terms))
        .order_by(col(SearchTerm.customers))
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(col(Customer.id))
        .join(CustomerTerm, col(CustomerTerm.customer_id) == col(Customer.id))
        .where(
            col(CustomerTerm.term_id) == rarest,
            func.lower(customer_column("email")) == address.lower(),
            col(Customer.erased_at).is_(None),
        )
        .limit(2)
    )
    return list(session.scalars(query))
