"""Storing one batch of leads: customers matched by phone or made (with their phones and
search index), the leads, the consents the file carried, each row with its change op,
through the bulk write path (``store.bulk``).

A batch is prepared before its write transaction (what the store holds of its numbers
read, every row and op built) and stored in it: what the store holds is read again there,
and only when it changed in between (another terminal added one of the numbers) is the
batch prepared again, in the transaction. So the transaction, and on SQLite the one write
lock, holds the inserts and little else."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection, Dialect
from sqlmodel import SQLModel, col

from cc_terminal import limits
from cc_terminal.customer_fields import empty_values
from cc_terminal.folding import fold
from cc_terminal.i18n import _
from cc_terminal.models import ConsentSource, Customer, CustomerPhone, Lead, Objection
from cc_terminal.models.lead import HEAT
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.calling_rules import zone_of
from cc_terminal.services.outbound.lead_discard import STAGED
from cc_terminal.services.outbound.lead_views import ImportReport, LeadDraft, Rejected
from cc_terminal.services.privacy.erasure import erased_numbers
from cc_terminal.store import search_index
from cc_terminal.store.bulk import BulkOps, among
from cc_terminal.store.ids import ascending_ids

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


@dataclass
class Destination:
    """Where an import's leads go: the campaign, the list (its id chosen before it is
    made), the temperature, and the operators they are dealt to in turn."""

    campaign_id: uuid.UUID
    list_id: uuid.UUID
    temperature: str
    owners: Iterator[uuid.UUID] | None
    dealt: dict[str, uuid.UUID] = field(default_factory=dict)  # by phone: dealt once

    def owner(self, draft: LeadDraft) -> uuid.UUID | None:
        if draft.assigned_to or self.owners is None:
            return draft.assigned_to
        if draft.phone not in self.dealt:
            self.dealt[draft.phone] = next(self.owners)
        return self.dealt[draft.phone]


@dataclass(frozen=True)
class Found:
    """What the store holds of a batch's numbers."""

    objected: frozenset[str]  # objected, or their customer is flagged "do not call"
    erased: frozenset[str]
    in_campaign: frozenset[str]
    customers: dict[str, tuple[uuid.UUID, str]]  # the first customer with it: id, name


def found(connection: Connection, campaign_id: uuid.UUID, numbers: list[str]) -> Found:
    dialect = connection.dialect
    objected = select(col(Objection.phone_e164)).where(
        among(col(Objection.phone_e164), numbers, dialect)
    )
    in_campaign = select(col(Lead.phone_e164)).where(
        col(Lead.campaign_id) == campaign_id, among(col(Lead.phone_e164), numbers, dialect)
    )
    customers = (
        select(
            col(CustomerPhone.e164),
            col(Customer.id),
            col(Customer.full_name),
            col(Customer.do_not_call),
        )
        .join(Customer, col(Customer.id) == col(CustomerPhone.customer_id))
        .where(among(col(CustomerPhone.e164), numbers, dialect))
        .order_by(col(Customer.created_at))
    )
    first: dict[str, tuple[uuid.UUID, str]] = {}
    flagged = set()  # any of its customers "do not call"
    for e164, customer_id, name, do_not_call in connection.execute(customers):
        first.setdefault(e164, (customer_id, name))
        if do_not_call:
            flagged.add(e164)
    return Found(
        frozenset(connection.execute(objected).scalars()) | flagged,
        frozenset(erased_numbers(connection, numbers)),
        frozenset(connection.execute(in_campaign).scalars()),
        first,
    )


@dataclass
class _Prepared:
    """A batch's rows and ops, ready to write, and what its report will say."""

    bulk: BulkOps
    wanted: int = 0
    terms: list[tuple[uuid.UUID, set[str]]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    name_differs: list[Rejected] = field(default_factory=list)
    already_in_campaign: int = 0
    new_customers: int = 0
    consents: int = 0


class LeadBatch:
    """One batch of leads: ``prepare`` before its write transaction, ``store`` in it."""

    def __init__(
        self,
        dialect: Dialect,
        actor: Actor,
        now: datetime,
        report: ImportReport,
        import_id: uuid.UUID,
    ) -> None:
        self.dialect = dialect
        self.actor = actor
        self.now = now
        self.report = report
        self.import_id = import_id  # the staged import (services.outbound.lead_staging)

    def prepare(self, connection: Connection, to: Destination, batch: list[LeadDraft]) -> None:
        """What the store holds of the batch's numbers (read on ``connection``), and the
        rows and ops that store its new leads."""
        self.to, self.batch = to, batch
        self.numbers = [draft.phone for draft in batch]
        self.found = found(connection, to.campaign_id, self.numbers)
        self.prepared = self._prepared(self.found)

    def store(self, connection: Connection, make_list: Callable[[], uuid.UUID]) -> None:
        """Store the prepared batch in the caller's write transaction (prepared again
        first when the store changed since); ``make_list`` makes the list when the
        batch adds a lead."""
        now_found = found(connection, self.to.campaign_id, self.numbers)
        if now_found != self.found:
            self.prepared = self._prepared(now_found)
        prepared = self.prepared
        if prepared.wanted:
            make_list()
            prepared.bulk.write_rows(connection)
            search_index.index_new_customers(connection, prepared.terms)
            prepared.bulk.write_ops(connection)
        report = self.report
        report.rejected += prepared.rejected
        report.name_differs += prepared.name_differs
        report.already_in_campaign += prepared.already_in_campaign
        report.new_customers += prepared.new_customers
        report.added += prepared.wanted
        report.consents += prepared.consents

    def _prepared(self, found: Found) -> _Prepared:
        prepared = _Prepared(BulkOps(self.dialect, self.actor.operator_id))
        wanted = []
        for draft in self.batch:
            if draft.phone in found.erased:
                message = _("{phone} belonged to a person erased at their request")
                prepared.rejected.append(Rejected(draft.line, message.format(phone=draft.phone)))
            elif draft.phone in found.objected:
                message = _("{phone} objected to calls")
                prepared.rejected.append(Rejected(draft.line, message.format(phone=draft.phone)))
            elif draft.phone in found.in_campaign:
                prepared.already_in_campaign += 1
            else:
                wanted.append(draft)
        if wanted:
            customer_ids = self._new_customers(prepared, wanted, found.customers)
            self._leads(prepared, wanted, customer_ids)
            self._consents(prepared, wanted)
        prepared.wanted = len(wanted)
        return prepared

    def _new_customers(
        self,
        prepared: _Prepared,
        wanted: list[LeadDraft],
        known: dict[str, tuple[uuid.UUID, str]],
    ) -> dict[str, uuid.UUID]:
        ids: dict[str, uuid.UUID] = {}
        new: list[LeadDraft] = []
        for draft in wanted:
            if draft.phone not in known:
                new.append(draft)
                continue
            customer_id, name = known[draft.phone]
            ids[draft.phone] = customer_id
            if fold(name) != fold(draft.full_name) and draft.full_name != _("(no name)"):
                message = _("{phone} belongs to {stored}, the file says {given}")
                prepared.name_differs.append(
                    Rejected(
                        draft.line,
                        message.format(phone=draft.phone, stored=name, given=draft.full_name),
                    )
                )
        count = len(new)
        new_ids = ascending_ids(count * 2)  # the customers', then their phones'
        customer_ids, phone_ids = new_ids[:count], new_ids[count:]
        for customer_id, draft in zip(customer_ids, new, strict=True):
            ids[draft.phone] = customer_id
            searched = {**draft.fields, "full_name": draft.full_name}
            prepared.terms.append((customer_id, search_index.customer_terms(searched)))
        if count:
            prepared.bulk.insert_columns(
                _table("customer"), _customer_columns(customer_ids, new, self.now)
            )
            phones = [draft.phone for draft in new]
            phone_columns: dict[str, list[Any]] = {"id": phone_ids, "customer_id": customer_ids}
            phone_columns |= {"e164": phones, "position": [0] * count}
            prepared.bulk.insert_columns(_table("customer_phone"), phone_columns)
            self._note(prepared, "customer", customer_ids)
        prepared.new_customers = count
        return ids

    def _leads(
        self, prepared: _Prepared, wanted: list[LeadDraft], customer_ids: dict[str, uuid.UUID]
    ) -> None:
        """The leads column by column: a value every lead of the batch shares (the
        campaign, the list, the time, a fresh lead's zeros) one object, written once."""
        to, count = self.to, len(wanted)
        same = {**FRESH_LEAD, "campaign_id": to.campaign_id, "list_id": to.list_id}
        same |= {"temperature": to.temperature, "heat": HEAT[to.temperature]}
        same |= {"created_at": self.now, "updated_at": self.now}
        phones = [draft.phone for draft in wanted]
        columns: dict[str, list[Any]] = {name: [value] * count for name, value in same.items()}
        columns |= {
            "id": ascending_ids(count),
            "customer_id": [customer_ids[phone] for phone in phones],
            "phone_e164": phones,
            "time_zone": [zone_of(phone) for phone in phones],
            "priority": [draft.priority for draft in wanted],
            "assigned_to": [to.owner(draft) for draft in wanted],
            "origin_offer_id": [draft.origin_offer_id for draft in wanted],
            "extra": [_extra_text(draft.extra) for draft in wanted],
        }
        prepared.bulk.insert_columns(_table("lead"), columns, staged={"status": STAGED})

    def _note(self, prepared: _Prepared, entity: str, row_ids: list[uuid.UUID]) -> None:
        """New rows a discarded import takes away, written down under its id."""
        count = len(row_ids)
        notes: dict[str, list[Any]] = {"import_id": [self.import_id] * count, "row_id": row_ids}
        notes["entity"] = [entity] * count
        prepared.bulk.insert_without_ops_columns(_table("staged_row"), notes)

    def _consents(self, prepared: _Prepared, wanted: list[LeadDraft]) -> None:
        consenting = [draft for draft in wanted if draft.consent]
        consent_ids = ascending_ids(len(consenting))
        rows = [
            {
                "id": consent_id,
                "phone_e164": draft.phone,
                "source": ConsentSource.IMPORT.value,
                "given_on": self.now.date(),
                "recorded_by": self.actor.operator_id,
                "recorded_at": self.now,
                "note": _("line {line} of {name}").format(
                    line=draft.line, name=self.report.list_name
                )[: limits.SHORT_NOTE],
            }
            for consent_id, draft in zip(consent_ids, consenting, strict=True)
        ]
        prepared.bulk.insert(_table("consent"), rows)
        self._note(prepared, "consent", consent_ids)
        prepared.consents = len(rows)


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _customer_columns(
    customer_ids: list[uuid.UUID], drafts: list[LeadDraft], now: datetime
) -> dict[str, list[Any]]:
    """New customers column by column: each declared field from the file or empty (a
    field no row gives is one empty text), the name, and what every new customer starts
    with."""
    count = len(drafts)
    columns = {
        name: [draft.fields.get(name, "") for draft in drafts]
        if any(name in draft.fields for draft in drafts)
        else [""] * count
        for name in empty_values()
    }
    columns["full_name"] = [draft.full_name for draft in drafts]
    same = {"do_not_call": False, "version": 1, "created_at": now, "updated_at": now}
    return {
        "id": customer_ids,
        **columns,
        **{name: [value] * count for name, value in same.items()},
    }


_EXTRA_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # built once, not per lead


def _extra_text(extra: dict[str, str]) -> str:
    return _EXTRA_JSON.encode(extra) if extra else "{}"
