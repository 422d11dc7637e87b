"""A lead's card (the customer with their ledger, the script filled in, the legal basis,
why this lead came next) and the offer a closing leaves in the ledger."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.formats import money
from cc_terminal.models import Campaign, Lead, LeadAttempt, ListKind, Offer, Operator, Product
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.calls import cards
from cc_terminal.services.common.audit import add_event
from cc_terminal.services.common.reference import lists_in
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.calling_rules import country_of, legal_basis, within_hours
from cc_terminal.services.outbound.campaigns import DispositionView, campaign_view, dispositions_of
from cc_terminal.services.outbound.consents import standings
from cc_terminal.services.outbound.lead_pick import hours_of
from cc_terminal.services.outbound.scripts import fill_script
from cc_terminal.services.outbound.surveys import questions_of
from cc_terminal.services.outbound.views import Closing, EarlierOffer, LeadCard


def build(session: Session, actor: Actor, lead: Lead, why: str, now: datetime) -> LeadCard:
    campaign = session.get(Campaign, lead.campaign_id)
    assert campaign is not None
    customer = cards.card_by_id(session.connection(), lead.customer_id)
    add_event(
        session, actor.operator_id, AuditKind.CUSTOMER_VIEWED, str(lead.customer_id), "lead", now
    )
    standing = standings(session, [lead.phone_e164])[lead.phone_e164]
    hours = hours_of(campaign, lead.time_zone)
    legal = legal_basis(
        campaign.kind, lead.temperature, standing.consented, standing.objected_at is not None
    )
    product = _product(session, campaign.product_code)
    earlier = _earlier_offer(session, lead.origin_offer_id)
    values = _script_values(session, actor, lead, campaign, customer.full_name, product, earlier)
    values["city"] = customer.city
    agreed_at, agreed_by = _callback_agreed(session, lead)
    return LeadCard(
        lead_id=lead.id,
        call_id=uuid.uuid4(),
        opened_at=now,
        campaign=campaign_view(campaign),
        customer=customer,
        phone_e164=lead.phone_e164,
        temperature=lead.temperature,
        status=lead.status,
        attempts=lead.attempts,
        script=fill_script(campaign.script, values),
        legal=within_hours(legal, hours, now),
        why_next=why,
        dispositions=dispositions_of(session, campaign.id),
        questions=questions_of(session, campaign.id),
        callback_at=lead.callback_at,
        callback_agreed_at=agreed_at,
        callback_agreed_by=agreed_by,
        calling_hours=hours,
        earlier_offer=earlier,
        extra={str(k): str(v) for k, v in json.loads(lead.extra or "{}").items()},
    )


def record_offer(
    session: Session,
    actor: Actor,
    lead: Lead,
    campaign: Campaign,
    disposition: DispositionView,
    closing: Closing,
    now: datetime,
) -> None:
    """A success or a refusal of a campaign with a product is an offer in the ledger, so a
    later, cheaper product can be offered again to those who found this one too dear."""
    if not (disposition.success or disposition.refusal):
        return
    product = _product(session, campaign.product_code)
    if product is None:
        return
    session.add(
        Offer(
            customer_id=lead.customer_id,
            call_id=closing.call_id,
            operator_id=actor.operator_id,
            product_id=product.id,
            product_name=product.name,
            price_minor=product.price_minor,
            currency=product.currency,
            accepted=disposition.success,
            refusal_reason=closing.refusal_reason if disposition.refusal else "",
            refusal_note=closing.refusal_note if disposition.refusal else "",
            offered_at=now,
        )
    )


def _callback_agreed(session: Session, lead: Lead) -> tuple[datetime | None, str]:
    """When and by whom the lead's callback was agreed: the call that set it (an order's
    follow-up has none: then who it is for)."""
    if lead.callback_at is None:
        return None, ""
    agreed = session.execute(
        select(col(LeadAttempt.at), col(Operator.full_name))
        .join(Operator, col(Operator.id) == col(LeadAttempt.operator_id))
        .where(col(LeadAttempt.lead_id) == lead.id, col(LeadAttempt.next_at) == lead.callback_at)
        .order_by(col(LeadAttempt.at).desc())
        .limit(1)
    ).first()
    if agreed is not None:
        return agreed[0], agreed[1]
    operator = session.get(Operator, lead.callback_by) if lead.callback_by else None
    return None, operator.full_name if operator else ""


def _product(session: Session, code: str) -> Product | None:
    if not code:
        return None
    return session.scalars(select(Product).where(col(Product.code) == code)).first()


def _earlier_offer(session: Session, offer_id: uuid.UUID | None) -> EarlierOffer | None:
    offer = session.get(Offer, offer_id) if offer_id else None
    if offer is None:
        return None
    return EarlierOffer(offer.product_name, offer.price_minor, offer.currency, offer.offered_at)


def _script_values(
    session: Session,
    actor: Actor,
    lead: Lead,
    campaign: Campaign,
    full_name: str,
    product: Product | None,
    earlier: EarlierOffer | None,
) -> dict[str, str]:
    region = country_of(lead.phone_e164)
    values = {
        "name": full_name,
        "first_name": full_name.split(" ")[0],
        "campaign": campaign.name,
        "operator": actor.full_name,
    }
    if product is not None:
        values["product"] = product.name
        values["price"] = money(product.price_minor, product.currency, region)
    last = session.scalars(
        select(Offer)
        .where(col(Offer.customer_id) == lead.customer_id)
        .order_by(col(Offer.offered_at).desc())
        .limit(1)
    ).first()
    if last is not None:
        values["last_offer"] = (
            f"{last.product_name} ({money(last.price_minor, last.currency, region)})"
        )
        if not last.accepted:
            values["last_refusal"] = lists_in(session).label(
                ListKind.REFUSAL_REASON, last.refusal_reason
            )
    if earlier is not None and product is not None and earlier.price_minor > product.price_minor:
        saving = earlier.price_minor - product.price_minor
        values["saving"] = money(saving, product.currency, region)
        values["last_offer"] = _offer_text(
            earlier.product_name, earlier.price_minor, earlier.currency, region
        )
    return values


def _offer_text(name: str, price_minor: int, currency: str, region: str) -> str:
    return f"{name} ({money(price_minor, currency, region)})"
