"""Storing one batch of leads in the caller's transaction: customers matched by phone or
made (with their phones and search index), the leads, the consents the file carried, each
row with its change op, through the bulk write path (``store.bulk``)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel, col

from cc_terminal import limits
from cc_terminal.customer_fields import empty_values
from cc_terminal.folding import fold
from cc_terminal.i18n import _
from cc_terminal.models import ConsentSource, Customer, CustomerPhone, Lead, Objection
from cc_terminal.models.lead import HEAT
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.calling_rules import zone_of
from cc_terminal.services.outbound.lead_staging import STAGED
from cc_terminal.services.outbound.lead_views import ImportReport, LeadDraft, Rejected
from cc_terminal.services.privacy.erasure import erased_numbers
from cc_terminal.store import search_index
from cc_terminal.store.bulk import BulkOps, insert_without_ops

# What every new lead starts with: never tried, no callback, nobody calling it.
FRESH_LEAD: dict[str, Any] = {
    "status": "open",
    "attempts": 0,
    "next_attempt_at": None,
    "callback_at": None,
    "callback_personal": False,
    "callback_asked": False,
    "callback_by": None,
    "callback_released_at": None,
    "assignment_epoch": 0,
    "claimed_by": None,
    "claimed_until": None,
    "last_disposition": "",
    "last_attempt_at": None,
    "version": 1,
}


class LeadBatch:
    """One batch of leads, stored in the caller's transaction."""

    def __init__(
        self,
        connection: Connection,
        actor: Actor,
        now: datetime,
        report: ImportReport,
        import_id: uuid.UUID,
    ) -> None:
        self.connection = connection
        self.actor = actor
        self.now = now
        self.report = report
        self.import_id = import_id  # the staged import (services.outbound.lead_staging)
        self.bulk = BulkOps(connection, actor.operator_id)

    def store(
        self,
        campaign_id: uuid.UUID,
        list_id: Callable[[], uuid.UUID],
        temperature: str,
        batch: list[LeadDraft],
        owners: Iterable[uuid.UUID] | None,
    ) -> None:
        """Store the batch's new leads; ``list_id`` gives their list (made when first
        asked for: it is not asked for when the batch adds no lead)."""
        numbers = [draft.phone for draft in batch]
        objected = self._objected(numbers)
        erased = erased_numbers(self.connection, numbers)
        in_campaign = self._in_campaign(campaign_id, numbers)
        owners_of = self._customers(numbers)
        wanted = []
        for draft in batch:
            if draft.phone in erased:
                message = _("{phone} belonged to a person erased at their request")
                self.report.rejected.append(Rejected(draft.line, message.format(phone=draft.phone)))
            elif draft.phone in objected:
                self.report.rejected.append(
                    Rejected(draft.line, _("{phone} objected to calls").format(phone=draft.phone))
                )
            elif draft.phone in in_campaign:
                self.report.already_in_campaign += 1
            else:
                wanted.append(draft)
        if not wanted:
            return
        customer_ids = self._new_customers(wanted, owners_of)
        self._leads(campaign_id, list_id(), temperature, wanted, customer_ids, owners)
        self._consents(wanted)
        self.bulk.write()

    def _objected(self, numbers: list[str]) -> set[str]:
        """Numbers that objected, and those of customers flagged "do not call"."""
        query = select(col(Objection.phone_e164)).where(col(Objection.phone_e164).in_(numbers))
        flagged = (
            select(col(CustomerPhone.e164))
            .join(Customer, col(Customer.id) == col(CustomerPhone.customer_id))
            .where(col(CustomerPhone.e164).in_(numbers), col(Customer.do_not_call))
        )
        found = set(self.connection.execute(query).scalars())
        return found | set(self.connection.execute(flagged).scalars())

    def _in_campaign(self, campaign_id: uuid.UUID, numbers: list[str]) -> set[str]:
        query = select(col(Lead.phone_e164)).where(
            col(Lead.campaign_id) == campaign_id, col(Lead.phone_e164).in_(numbers)
        )
        return set(self.connection.execute(query).scalars())

    def _customers(self, numbers: list[str]) -> dict[str, tuple[uuid.UUID, str]]:
        query = (
            select(col(CustomerPhone.e164), col(Customer.id), col(Customer.full_name))
            .join(Customer, col(Customer.id) == col(CustomerPhone.customer_id))
            .where(col(CustomerPhone.e164).in_(numbers))
            .order_by(col(Customer.created_at))
        )
        found: dict[str, tuple[uuid.UUID, str]] = {}
        for e164, customer_id, name in self.connection.execute(query):
            found.setdefault(e164, (customer_id, name))
        return found

    def _new_customers(
        self, wanted: list[LeadDraft], known: dict[str, tuple[uuid.UUID, str]]
    ) -> dict[str, uuid.UUID]:
        ids: dict[str, uuid.UUID] = {}
        customers, phone_rows, terms = [], [], []
        for draft in wanted:
            if draft.phone in known:
                customer_id, name = known[draft.phone]
                ids[draft.phone] = customer_id
                if fold(name) != fold(draft.full_name) and draft.full_name != _("(no name)"):
                    message = _("{phone} belongs to {stored}, the file says {given}")
                    self.report.name_differs.append(
                        Rejected(
                            draft.line,
                            message.format(phone=draft.phone, stored=name, given=draft.full_name),
                        )
                    )
                continue
            customer = _customer_row(draft, self.now)
            ids[draft.phone] = customer["id"]
            customers.append(customer)
            phone_rows.append(
                {
                    "id": uuid.uuid4(),
                    "customer_id": customer["id"],
                    "e164": draft.phone,
                    "position": 0,
                }
            )
            terms.append((customer["id"], search_index.customer_terms(customer)))
        self.bulk.insert(_table("customer"), customers)
        self._note("customer", customers)
        self.bulk.insert(_table("customer_phone"), phone_rows)
        search_index.index_new_customers(self.connection, terms)
        self.report.new_customers += len(customers)
        return ids

    def _leads(
        self,
        campaign_id: uuid.UUID,
        list_id: uuid.UUID,
        temperature: str,
        wanted: list[LeadDraft],
        customer_ids: dict[str, uuid.UUID],
        owners: Iterable[uuid.UUID] | None,
    ) -> None:
        owner_of = iter(owners) if owners is not None else None
        rows = [
            {
                **FRESH_LEAD,
                "id": uuid.uuid4(),
                "campaign_id": campaign_id,
                "list_id": list_id,
                "customer_id": customer_ids[draft.phone],
                "phone_e164": draft.phone,
                "time_zone": zone_of(draft.phone),
                "temperature": temperature,
                "heat": HEAT[temperature],
                "priority": draft.priority,
                "assigned_to": draft.assigned_to or (next(owner_of) if owner_of else None),
                "origin_offer_id": draft.origin_offer_id,
                "extra": json.dumps(draft.extra, ensure_ascii=False, sort_keys=True),
                "created_at": self.now,
                "updated_at": self.now,
            }
            for draft in wanted
        ]
        self.bulk.insert(_table("lead"), rows, staged={"status": STAGED})
        self.report.added += len(rows)

    def _note(self, entity: str, rows: list[dict[str, Any]]) -> None:
        """New rows a discarded import takes away, written down under its id."""
        notes = [
            {"import_id": self.import_id, "entity": entity, "row_id": row["id"]} for row in rows
        ]
        insert_without_ops(self.connection, _table("staged_row"), notes)

    def _consents(self, wanted: list[LeadDraft]) -> None:
        rows = [
            {
                "id": uuid.uuid4(),
                "phone_e164": draft.phone,
                "source": ConsentSource.IMPORT.value,
                "given_on": self.now.date(),
                "recorded_by": self.actor.operator_id,
                "recorded_at": self.now,
                "note": _("line {line} of {name}").format(
                    line=draft.line, name=self.report.list_name
                )[: limits.SHORT_NOTE],
            }
            for draft in wanted
            if draft.consent
        ]
        self.bulk.insert(_table("consent"), rows)
        self._note("consent", rows)
        self.report.consents += len(rows)


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _customer_row(draft: LeadDraft, now: datetime) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        **empty_values(),
        **draft.fields,
        "full_name": draft.full_name,
        "do_not_call": False,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
