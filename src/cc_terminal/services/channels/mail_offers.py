"""Commercial offers by e-mail (Czech Act 480/2004 Coll., section 7). An offer goes only to
an address whose owner consented, or to an existing customer (an order or an accepted offer
on the card the letters are linked to); never to an address that refused offers, nor to a
customer who objected to marketing on any of their numbers. Every offer carries a free way
to refuse further ones: a reply quoting its token (the letter says how, and its
List-Unsubscribe header does the same), which the mail loop records as an objection that
every channel respects: the address refuses offers and the customer's numbers are not
called (what Ctrl+D does on a call)."""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

from sqlalchemy import exists, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.formats import money
from cc_terminal.i18n import N_, _
from cc_terminal.models import (
    Author,
    Consent,
    Conversation,
    CustomerOrder,
    CustomerPhone,
    MailConsent,
    MailLetter,
    MailObjection,
    MailOffer,
    Objection,
    Offer,
    Product,
)
from cc_terminal.models.consent import ConsentSource
from cc_terminal.services.channels import lines
from cc_terminal.services.channels.prechat import words_for
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.consents import object_to_calls

REFUSE_WORD = "REFUSE"
TOKEN = re.compile(r"\b([0-9a-f]{32})\b")
FOOTER = N_(
    "You can refuse further offers by e-mail free of charge: reply to this letter with the "
    'subject "REFUSE {token}". We will not send you any more offers.'
)
REFUSED_LINE = N_("The customer refused further offers by e-mail: recorded.")


@dataclass(frozen=True)
class OfferStanding:
    """May this conversation's address be sent an offer, and why (words for the operator)."""

    allowed: bool
    why: str
    needs_consent: bool = False  # refused only because no consent is recorded yet


def normalised(address: str) -> str:
    return address.strip().casefold()


def standing(session: Session, conversation: Conversation) -> OfferStanding:
    """A chat's contact may be a phone number: its "do not call" and its consent to
    marketing count then; an e-mail address has its own."""
    shown = normalised(conversation.visitor_contact)  # a number has no case
    by_phone = shown.startswith("+")
    refused = _phone_objected(session, shown) if by_phone else _address_refused(session, shown)
    if refused and by_phone:
        return OfferStanding(False, _("The customer objected to marketing on their number."))
    if refused:
        return OfferStanding(False, _("{address} refused offers by e-mail.").format(address=shown))
    if conversation.customer_id is not None and _objected_by_phone(session, conversation):
        return OfferStanding(False, _("The customer objected to marketing on their number."))
    if _consented(session, shown, by_phone):
        return OfferStanding(True, _("{address} consented to offers.").format(address=shown))
    if conversation.customer_id is not None and _is_customer(session, conversation.customer_id):
        return OfferStanding(True, _("An existing customer: offers of our similar products."))
    missing = (
        _("No consent to marketing on {number}, and not a customer yet: record the consent first.")
        if by_phone
        else _(
            "No consent to offers by e-mail from {address}, and not a customer yet: "
            "record the consent first."
        )
    )
    return OfferStanding(False, missing.format(number=shown, address=shown), needs_consent=True)


def _address_refused(session: Session, address: str) -> bool:
    query = select(exists().where(col(MailObjection.address) == address))
    return bool(session.scalar(query))


def _phone_objected(session: Session, e164: str) -> bool:
    return bool(session.scalar(select(exists().where(col(Objection.phone_e164) == e164))))


def _consented(session: Session, contact: str, by_phone: bool) -> bool:
    found = (
        exists().where(col(Consent.phone_e164) == contact)
        if by_phone
        else exists().where(col(MailConsent.address) == contact)
    )
    return bool(session.scalar(select(found)))


def _objected_by_phone(session: Session, conversation: Conversation) -> bool:
    numbers = select(col(CustomerPhone.e164)).where(
        col(CustomerPhone.customer_id) == conversation.customer_id
    )
    query = select(exists().where(col(Objection.phone_e164).in_(numbers)))
    return bool(session.scalar(query))


def _is_customer(session: Session, customer_id: uuid.UUID) -> bool:
    ordered = exists().where(col(CustomerOrder.customer_id) == customer_id)
    bought = exists().where(col(Offer.customer_id) == customer_id, col(Offer.accepted))
    return bool(session.scalar(select(ordered | bought)))


def offered_product(session: Session, code: str, today: date) -> Product:
    product = session.scalars(select(Product).where(col(Product.code) == code)).first()
    if product is None or not (
        product.valid_from <= today and (product.valid_to is None or today <= product.valid_to)
    ):
        message = _("No such product on offer today: {code}.").format(code=code)
        raise ValidationFailed({"offer": message})
    return product


def paragraph(product: Product) -> str:
    """What the operator's letter says of the product (they may reword it)."""
    price = money(product.price_minor, product.currency)
    details = f" {product.description}" if product.description else ""
    return f"{product.name}: {price}.{details}"


def new_token() -> str:
    return secrets.token_hex(16)


def with_footer(text: str, conversation: Conversation, token: str) -> str:
    footer = words_for(conversation.language)(FOOTER).format(token=token)
    return f"{text.rstrip()}\n\n-- \n{footer}"


def unsubscribe_header(from_address: str, token: str) -> str:
    """RFC 2369: a mailto address whose subject quotes the token."""
    return f"<mailto:{from_address}?subject={quote(f'{REFUSE_WORD} {token}')}>"


def token_of(session: Session, letter_id: uuid.UUID) -> str:
    """The refusal token of an offer's letter; "" for any other letter."""
    query = select(col(MailOffer.token)).where(col(MailOffer.letter_id) == letter_id)
    return session.scalars(query).first() or ""


def record_offer(
    session: Session,
    actor: Actor,
    letter_id: uuid.UUID,
    conversation: Conversation,
    offer: tuple[str, str],
    now: datetime,
) -> None:
    """``offer``: the product's code and the letter's token."""
    code, token = offer
    session.add(
        MailOffer(
            letter_id=letter_id,
            address=normalised(conversation.visitor_contact),
            product_code=code,
            token=token,
            offered_by=actor.operator_id,
            offered_at=now,
        )
    )


def refusal(
    session: Session, conversation: Conversation, subject: str, actor_id: uuid.UUID, now: datetime
) -> None:
    """A letter whose subject quotes an offer's token refuses further offers: recorded for
    the address the offer went to and the numbers of the customer it was made to, with a
    line in the thread the refusal came into."""
    tokens = TOKEN.findall(subject.casefold())
    offer = (
        session.scalars(select(MailOffer).where(col(MailOffer.token).in_(tokens))).first()
        if tokens
        else None
    )
    if offer is None:
        return
    known = select(MailObjection).where(col(MailObjection.address) == offer.address)
    if session.scalars(known).first() is None:
        session.add(
            MailObjection(
                address=offer.address, recorded_by=actor_id, recorded_at=now, offer_id=offer.id
            )
        )
    offered_to = select(col(Conversation.customer_id)).where(
        col(Conversation.id)
        == select(col(MailLetter.conversation_id))
        .where(col(MailLetter.id) == offer.letter_id)
        .scalar_subquery()
    )
    numbers = select(col(CustomerPhone.e164)).where(
        col(CustomerPhone.customer_id) == offered_to.scalar_subquery()
    )
    loop = Actor(actor_id, "", "", "service")  # object_to_calls reads the id only
    for e164 in session.scalars(numbers).all():
        object_to_calls(session, loop, e164, now, note=_("refused offers by e-mail"))
    lines.append(session, conversation, Author.SYSTEM, _(REFUSED_LINE), now)


def consent(
    session: Session,
    actor: Actor,
    conversation: Conversation,
    typed: tuple[str, date, str],
    now: datetime,
    today: date,
) -> None:
    """``typed``: the consent's source, the day it was given and a note; ``today`` in the
    floor's zone."""
    source, given_on, note = typed
    form = FormErrors()
    if source not in set(ConsentSource) or source == ConsentSource.IMPORT:
        form.add("source", _("Say where the consent came from."))
    if given_on > today:
        form.add("given_on", _("A consent cannot be given in the future."))
    note = form.text("note", note, limits.SHORT_NOTE)
    form.raise_if_any()
    session.add(
        MailConsent(
            address=normalised(conversation.visitor_contact),
            source=source,
            given_on=given_on,
            recorded_by=actor.operator_id,
            recorded_at=now,
            note=note,
        )
    )
