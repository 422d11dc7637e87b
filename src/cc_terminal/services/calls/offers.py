"""Offers made to a customer from the knowledge base: product, price, and the answer;
a refusal needs its reason from the configurable list ("other" needs words too)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.data.codes import RefusalReason
from cc_terminal.i18n import _
from cc_terminal.models import ListKind, Offer, Product
from cc_terminal.services.common.reference import lists_in
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database


@dataclass(frozen=True)
class OfferDraft:
    customer_id: uuid.UUID
    product_code: str
    accepted: bool | None  # None: the operator has not said
    price_minor: int | None = None  # None: the catalogue price
    refusal_reason: str = ""
    refusal_note: str = ""
    call_id: uuid.UUID | None = None


@dataclass(frozen=True)
class OfferView:
    id: uuid.UUID
    product_name: str
    price_minor: int
    currency: str
    accepted: bool
    refusal_reason: str
    refusal_note: str
    offered_at: datetime


class OfferService:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def record(self, actor: Actor, draft: OfferDraft) -> OfferView:
        now = self.clock()
        form = FormErrors()
        note = form.text("refusal_note", draft.refusal_note, limits.SHORT_NOTE)
        if draft.accepted is None:
            form.add("accepted", _("Say whether the customer accepted or refused."))
        if draft.price_minor is not None and draft.price_minor < 0:
            form.add("price", _("A price cannot be negative."))
        with self.db.write(actor.operator_id) as session:
            product = _product_on_offer(session, form, draft.product_code, now.date())
            if draft.accepted is False:
                _check_refusal(session, form, draft.refusal_reason, note)
            form.customer_exists(session, draft.customer_id)
            form.raise_if_any()
            assert product is not None
            offer = Offer(
                customer_id=draft.customer_id,
                call_id=draft.call_id,
                operator_id=actor.operator_id,
                product_id=product.id,
                product_name=product.name,
                price_minor=product.price_minor if draft.price_minor is None else draft.price_minor,
                currency=product.currency,
                accepted=bool(draft.accepted),
                refusal_reason="" if draft.accepted else draft.refusal_reason,
                refusal_note="" if draft.accepted else note,
                offered_at=now,
            )
            session.add(offer)
        return _view(offer)


def _product_on_offer(session: Session, form: FormErrors, code: str, today: date) -> Product | None:
    product = session.scalars(select(Product).where(col(Product.code) == code)).first()
    if product is None:
        form.add("product", _("No such product: {code}.").format(code=code))
    elif product.valid_from > today or (product.valid_to and product.valid_to < today):
        form.add("product", _("{name} is not on offer today.").format(name=product.name))
    return product


def _check_refusal(session: Session, form: FormErrors, reason: str, note: str) -> None:
    """A refusal names a reason in use; "other" says it in words too."""
    if not reason:
        form.add("refusal_reason", _("Choose why they refused."))
    elif not lists_in(session).is_active(ListKind.REFUSAL_REASON, reason):
        form.add("refusal_reason", _("Unknown refusal reason: {code}.").format(code=reason))
    elif reason == RefusalReason.OTHER and not note:
        form.add("refusal_note", _("Say in a few words why they refused."))


def _view(offer: Offer) -> OfferView:
    return OfferView(
        offer.id,
        offer.product_name,
        offer.price_minor,
        offer.currency,
        offer.accepted,
        offer.refusal_reason,
        offer.refusal_note,
        offer.offered_at,
    )
