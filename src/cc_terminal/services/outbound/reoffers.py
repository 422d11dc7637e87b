"""Re-offers: when a new or cheaper product appears, the customers who refused an earlier
offer of the same kind as too expensive, at a price above the new one, become leads of a
re-offer campaign for that product, each for the operator who made the offer (or the pool
when that operator no longer works here), with the earlier offer and the saving in the
script."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, func, select
from sqlalchemy.engine import Connection
from sqlmodel import col

from cc_terminal.data.codes import RefusalReason
from cc_terminal.i18n import N_, _
from cc_terminal.models import Call, Campaign, Customer, CustomerPhone, Offer, Operator, Product
from cc_terminal.services.common.errors import NotFound
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.campaigns import CampaignDraft, CampaignService
from cc_terminal.services.outbound.lead_import import ImportReport, LeadDraft, LeadImportService
from cc_terminal.store.database import Database

REOFFER_SCRIPT = N_(  # written into the campaign in the language of the lead who makes it
    "Good day, {name}. Last time you turned down {last_offer} as too expensive. "
    "Now we offer {product} for {price}: you save {saving}."
)


@dataclass(frozen=True)
class Refusal:
    offer_id: uuid.UUID
    customer_id: uuid.UUID
    operator_id: uuid.UUID
    price_minor: int


class ReofferService:
    def __init__(
        self,
        db: Database,
        campaigns: CampaignService,
        leads: LeadImportService,
        clock: Callable[[], datetime],
    ) -> None:
        self.db = db
        self.campaigns = campaigns
        self.leads = leads
        self.clock = clock

    def select(self, product_code: str) -> list[Refusal]:
        """The latest too-expensive refusal of each customer, of a product of the same kind
        and currency, at a price above this product's."""
        with self.db.connect() as connection:
            product = _product(connection, product_code)
            query = (
                select(
                    col(Offer.id),
                    col(Offer.customer_id),
                    col(Offer.operator_id),
                    col(Offer.price_minor),
                )
                .join(Product, col(Product.id) == col(Offer.product_id))
                .where(
                    col(Offer.refusal_reason) == RefusalReason.TOO_EXPENSIVE,
                    col(Offer.price_minor) > product.price_minor,
                    ~col(Offer.accepted),
                    col(Offer.currency) == product.currency,
                    col(Product.kind) == product.kind,
                    col(Offer.product_id) != product.id,
                )
                .order_by(col(Offer.customer_id), col(Offer.offered_at).desc())
            )
            latest: dict[uuid.UUID, Refusal] = {}
            for row in connection.execute(query):
                latest.setdefault(row[1], Refusal(row[0], row[1], row[2], row[3]))
        return list(latest.values())

    def publish_all(self, actor: Actor, product_codes: list[str]) -> None:
        """Re-offer leads for the products new or cheaper in the catalogue. One query first
        keeps only those some refusal could be re-offered (a product of a kind and currency
        that was refused as too expensive at a higher price), so an import of thousands of
        items does not ask each one."""
        for code in self._worth_publishing(product_codes):
            self.publish(actor, code)

    def _worth_publishing(self, product_codes: list[str]) -> list[str]:
        refused = (
            select(col(Product.kind), col(Offer.currency), func.max(col(Offer.price_minor)))
            .join(Product, col(Product.id) == col(Offer.product_id))
            .where(col(Offer.refusal_reason) == RefusalReason.TOO_EXPENSIVE, ~col(Offer.accepted))
            .group_by(col(Product.kind), col(Offer.currency))
        )
        with self.db.connect() as connection:
            dearest = {(kind, cur): top for kind, cur, top in connection.execute(refused)}
            if not dearest:
                return []
            worth = []
            for start in range(0, len(product_codes), 1000):
                chunk = product_codes[start : start + 1000]
                query = select(
                    col(Product.code),
                    col(Product.kind),
                    col(Product.currency),
                    col(Product.price_minor),
                ).where(col(Product.code).in_(chunk))
                for code, kind, currency, price in connection.execute(query):
                    if price < dearest.get((kind, currency), 0):
                        worth.append(code)
        return worth

    def publish(self, actor: Actor, product_code: str) -> ImportReport:
        """Make the re-offer leads for a product (a lead's call, as when the catalogue
        changes); a customer already in the re-offer campaign is not added twice."""
        refusals = self.select(product_code)
        if not refusals:
            return ImportReport("", "")
        campaign = self._campaign(actor, product_code)
        with self.db.connect() as connection:
            by_temperature = _drafts(connection, refusals)
        stamp = self.clock().strftime("%Y-%m-%d %H:%M")
        report = ImportReport(campaign, stamp)
        for temperature, drafts in by_temperature.items():
            name = _("re-offer {date} ({temperature})").format(date=stamp, temperature=temperature)
            part = self.leads.add_leads(
                actor, campaign, name, temperature, drafts, source=product_code
            )
            report.rows += part.rows
            report.added += part.added
            report.already_in_campaign += part.already_in_campaign
            report.rejected += part.rejected
        return report

    def _campaign(self, actor: Actor, product_code: str) -> str:
        code = f"reoffer-{product_code.lower()}"[:40]
        with self.db.read() as session:
            exists = session.scalar(select(col(Campaign.id)).where(col(Campaign.code) == code))
            product = session.scalars(select(Product).where(col(Product.code) == product_code))
            name = next(iter(product)).name
        if exists is None:
            draft = CampaignDraft(
                code,
                _("Re-offer: {name}").format(name=name)[:120],
                "sales",
                _(REOFFER_SCRIPT),
                product_code,
            )
            self.campaigns.create(actor, draft)
        return code


def _product(connection: Connection, code: str) -> Row[uuid.UUID, int, str, str]:
    """The product's id, price, currency and kind."""
    columns = (col(Product.id), col(Product.price_minor), col(Product.currency), col(Product.kind))
    row = connection.execute(select(*columns).where(col(Product.code) == code)).first()
    if row is None:
        raise NotFound(_("No product {code}.").format(code=code))
    return row


def _drafts(connection: Connection, refusals: list[Refusal]) -> dict[str, list[LeadDraft]]:
    """Each refusal as a lead draft: the customer's first phone, the offering operator when
    still active; hot when the customer has called us (an existing customer), else cold (a
    sales call then needs their consent). Customers flagged "do not call" get no lead."""
    active = set(connection.execute(select(col(Operator.id)).where(col(Operator.active))).scalars())
    phones, names, callers = _reachable(connection, [refusal.customer_id for refusal in refusals])
    grouped: dict[str, list[LeadDraft]] = {"hot": [], "cold": []}
    for refusal in refusals:
        if refusal.customer_id not in phones:
            continue
        temperature = "hot" if refusal.customer_id in callers else "cold"
        grouped[temperature].append(
            LeadDraft(
                phone=phones[refusal.customer_id],
                full_name=names[refusal.customer_id],
                priority=1,
                origin_offer_id=refusal.offer_id,
                assigned_to=refusal.operator_id if refusal.operator_id in active else None,
            )
        )
    return {temperature: drafts for temperature, drafts in grouped.items() if drafts}


def _reachable(
    connection: Connection, ids: list[uuid.UUID]
) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, str], set[uuid.UUID]]:
    """Each customer's first phone and name (none for those flagged "do not call"), and
    which of them have called us."""
    phones: dict[uuid.UUID, str] = {}
    names: dict[uuid.UUID, str] = {}
    callers: set[uuid.UUID] = set()
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for customer_id, e164, name in connection.execute(
            select(col(CustomerPhone.customer_id), col(CustomerPhone.e164), col(Customer.full_name))
            .join(Customer, col(Customer.id) == col(CustomerPhone.customer_id))
            .where(col(CustomerPhone.customer_id).in_(chunk), ~col(Customer.do_not_call))
            .order_by(col(CustomerPhone.position))
        ):
            phones.setdefault(customer_id, e164)
            names[customer_id] = name
        callers.update(_callers(connection, chunk))
    return phones, names, callers


def _callers(connection: Connection, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """The customers among ``ids`` who have called us."""
    return {
        customer
        for customer in connection.execute(
            select(col(Call.customer_id))
            .where(col(Call.customer_id).in_(ids), col(Call.direction) == "in")
            .distinct()
        ).scalars()
        if customer is not None
    }
