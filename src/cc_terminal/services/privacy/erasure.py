"""Data protection requests, for team leads: everything held about a customer in one
machine-readable file, and the customer's erasure. Erasing wipes the personal fields; the
records that must stay (calls, orders, pay lines, offers) keep their figures and lose the
personal data. Every change is an ORM write, so the erasure is ops that sync carries to
every terminal; the erased numbers are kept only as hashes, so a later import or a new
card of the same number is refused instead of bringing the person back."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import (
    ERASED_NAME,
    ERASED_VALUES,
    Call,
    Consent,
    Conversation,
    ConversationMessage,
    Customer,
    CustomerOrder,
    CustomerPhone,
    ErasedPerson,
    Escalation,
    EscalationStep,
    Lead,
    LeadAttempt,
    LeadStatus,
    Objection,
    Offer,
    OrderEvent,
    RequestEvent,
    ServiceRequest,
    SurveyAnswer,
    SyncConflict,
    VisitBooking,
)
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.base import utcnow
from cc_terminal.services.common.audit import add_event, audited_file, record, refusals_audited
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.export_files import private_file
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.erasure_channels import wipe_conversations
from cc_terminal.store import search_index
from cc_terminal.store.bulk import among
from cc_terminal.store.database import Database

MIN_REASON = 4


def phone_hash(e164: str) -> str:
    return hashlib.sha256(e164.encode("ascii")).hexdigest()


def erased_numbers(session: Session | Connection, numbers: Iterable[str]) -> set[str]:
    """Which of these E.164 numbers belonged to an erased person."""
    by_hash = {phone_hash(number): number for number in numbers}
    if not by_hash:
        return set()
    dialect = session.get_bind().dialect if isinstance(session, Session) else session.dialect
    query = select(col(ErasedPerson.phone_hash)).where(
        among(col(ErasedPerson.phone_hash), list(by_hash), dialect)
    )
    return {by_hash[found] for found in session.execute(query).scalars()}


@dataclass(frozen=True)
class Erased:
    calls: int
    orders: int
    requests: int
    leads: int
    phones: int


@refusals_audited
class DataRequests:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    def export(self, actor: Actor, customer_id: uuid.UUID, path: Path) -> int:
        """Everything held about the customer, as JSON, in a file only its owner reads;
        returns the number of records written. Audited."""
        _require_lead(actor)
        self._known(actor, customer_id, AuditKind.CUSTOMER_EXPORTED)
        with self.db.read() as session:
            held = _held(session, customer_id)
        records = sum(len(rows) for rows in held.values())
        with audited_file(
            self.db, actor, AuditKind.EXPORT, f"customer {customer_id}", path
        ) as written:
            private_file(path)
            path.write_text(
                json.dumps(held, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
            )
            written.rows = records
        with self.db.write(actor.operator_id) as session:
            add_event(
                session,
                actor.operator_id,
                AuditKind.CUSTOMER_EXPORTED,
                str(customer_id),
                f"{records} records",
                self.clock(),
            )
        return records

    def erase(self, actor: Actor, customer_id: uuid.UUID, reason: str) -> Erased:
        """Wipe the customer's personal data everywhere it is held, in one transaction."""
        _require_lead(actor)
        why = _reason(reason)
        self._known(actor, customer_id, AuditKind.CUSTOMER_ERASED)
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            customer = _not_erased(session, customer_id)
            address = (customer.email or "").strip()
            numbers = _forget_phones(session, customer_id, now)
            _wipe_customer(customer, now)
            session.flush()
            search_index.index_customer(session.connection(), customer_id, {})
            done = Erased(
                calls=_wipe(session, Call, Call.customer_id, customer_id, phone_e164="", notes=""),
                orders=_wipe_orders(session, customer_id),
                requests=_wipe_requests(session, customer_id),
                leads=_wipe_leads(session, customer_id),
                phones=len(numbers),
            )
            _wipe_the_rest(session, customer_id, numbers)
            wipe_conversations(session, customer_id, numbers, address)
            add_event(
                session, actor.operator_id, AuditKind.CUSTOMER_ERASED, str(customer_id), why, now
            )
        return done

    def _known(self, actor: Actor, customer_id: uuid.UUID, kind: AuditKind) -> None:
        """An unknown customer is refused, and the attempt audited."""
        with self.db.read() as session:
            known = session.get(Customer, customer_id) is not None
        if not known:
            record(self.db, actor, kind, customer_id, "refused: no such customer", self.clock())
            raise NotFound(_("No such customer."))


def _reason(reason: str) -> str:
    """Why the customer is erased, checked: it goes into the audit trail."""
    form = FormErrors()
    why = form.text("reason", reason, limits.SHORT_NOTE).strip()
    if len(why) < MIN_REASON:
        form.add("reason", _("Say why (the request's reference, say)."))
    form.raise_if_any()
    return why


def _not_erased(session: Session, customer_id: uuid.UUID) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(_("No such customer."))
    if customer.erased_at is not None:
        raise ValidationFailed({"customer": _("This customer is erased already.")})
    return customer


def _wipe_the_rest(session: Session, customer_id: uuid.UUID, numbers: list[str]) -> None:
    """The notes of offers, escalations and visits, the numbers' consents, and the losing
    values sync kept of the customer."""
    _wipe(session, Offer, Offer.customer_id, customer_id, refusal_note="")
    _wipe(session, Escalation, Escalation.customer_id, customer_id, notes="")
    escalations = select(col(Escalation.id)).where(col(Escalation.customer_id) == customer_id)
    for step in session.scalars(
        select(EscalationStep).where(col(EscalationStep.escalation_id).in_(escalations))
    ):
        step.text = ""
    _wipe(session, VisitBooking, VisitBooking.customer_id, customer_id, note="")
    for consent in session.scalars(select(Consent).where(col(Consent.phone_e164).in_(numbers))):
        session.delete(consent)
    session.execute(  # losing values kept by sync are personal data too
        delete(SyncConflict).where(
            col(SyncConflict.entity) == "customer",
            col(SyncConflict.row_id) == str(customer_id),
        )
    )


def _require_lead(actor: Actor) -> None:
    if not actor.is_lead:
        raise PermissionDenied(_("Only a team lead answers data protection requests."))


def _held(session: Session, customer_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(_("No such customer."))
    numbers = list(
        session.scalars(
            select(col(CustomerPhone.e164)).where(col(CustomerPhone.customer_id) == customer_id)
        )
    )
    leads = _rows(session, Lead, Lead.customer_id, [customer_id])
    lead_ids = [row["id"] for row in leads]
    orders = _rows(session, CustomerOrder, CustomerOrder.customer_id, [customer_id])
    requests = _rows(session, ServiceRequest, ServiceRequest.customer_id, [customer_id])
    escalations = _rows(session, Escalation, Escalation.customer_id, [customer_id])
    return {
        "customer": [customer.model_dump()],
        "phones": _rows(session, CustomerPhone, CustomerPhone.customer_id, [customer_id]),
        "calls": _rows(session, Call, Call.customer_id, [customer_id]),
        "offers": _rows(session, Offer, Offer.customer_id, [customer_id]),
        "orders": orders,
        "order_steps": _rows(session, OrderEvent, OrderEvent.order_id, [o["id"] for o in orders]),
        "requests": requests,
        "request_steps": _rows(
            session, RequestEvent, RequestEvent.request_id, [r["id"] for r in requests]
        ),
        "escalations": escalations,
        "escalation_steps": _rows(
            session, EscalationStep, EscalationStep.escalation_id, [e["id"] for e in escalations]
        ),
        "visits": _rows(session, VisitBooking, VisitBooking.customer_id, [customer_id]),
        "leads": leads,
        "lead_attempts": _rows(session, LeadAttempt, LeadAttempt.lead_id, lead_ids),
        "survey_answers": _rows(session, SurveyAnswer, SurveyAnswer.lead_id, lead_ids),
        "consents": _rows(session, Consent, Consent.phone_e164, numbers),
        "objections": _rows(session, Objection, Objection.phone_e164, numbers),
        **_chats_held(session, customer_id),
    }


def _chats_held(session: Session, customer_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    chats = _rows(session, Conversation, Conversation.customer_id, [customer_id])
    return {
        "chats": chats,
        "chat_lines": _rows(
            session,
            ConversationMessage,
            ConversationMessage.conversation_id,
            [c["id"] for c in chats],
        ),
    }


def _rows(
    session: Session, model: type[SQLModel], column: Any, values: list[Any]
) -> list[dict[str, Any]]:
    if not values:
        return []
    query = select(model).where(col(column).in_(values))
    return [row.model_dump() for row in session.scalars(query)]


def _forget_phones(session: Session, customer_id: uuid.UUID, now: datetime) -> list[str]:
    phones = list(
        session.scalars(select(CustomerPhone).where(col(CustomerPhone.customer_id) == customer_id))
    )
    numbers = [phone.e164 for phone in phones]
    known = erased_numbers(session, numbers)
    for phone in phones:
        session.delete(phone)
    for number in numbers:
        if number not in known:
            session.add(ErasedPerson(phone_hash=phone_hash(number), erased_at=now))
    return numbers


def _wipe_customer(customer: Customer, now: datetime) -> None:
    for field, value in ERASED_VALUES.items():
        setattr(customer, field, value)
    customer.do_not_call = True
    customer.erased_at = now
    customer.updated_at = now
    customer.version += 1


def _wipe(
    session: Session, model: type[SQLModel], column: Any, customer_id: uuid.UUID, **wiped: str
) -> int:
    rows = list(session.scalars(select(model).where(col(column) == customer_id)))
    for row in rows:
        for field, value in wiped.items():
            if getattr(row, field) != value:
                setattr(row, field, value)
    return len(rows)


def _wipe_orders(session: Session, customer_id: uuid.UUID) -> int:
    """Orders keep their kind, lines, amounts and steps (the pay lines count them); the
    address, the typed values and what was read to the client go."""
    count = _wipe(
        session,
        CustomerOrder,
        CustomerOrder.customer_id,
        customer_id,
        address_text="",
        address_override="",
        values="{}",
        read_back="",
        checklist="",
    )
    orders = select(col(CustomerOrder.id)).where(col(CustomerOrder.customer_id) == customer_id)
    for step in session.scalars(select(OrderEvent).where(col(OrderEvent.order_id).in_(orders))):
        step.note = ""
    return count


def _wipe_requests(session: Session, customer_id: uuid.UUID) -> int:
    count = _wipe(
        session, ServiceRequest, ServiceRequest.customer_id, customer_id, summary=ERASED_NAME
    )
    requests = select(col(ServiceRequest.id)).where(col(ServiceRequest.customer_id) == customer_id)
    for step in session.scalars(
        select(RequestEvent).where(col(RequestEvent.request_id).in_(requests))
    ):
        step.note = ""
    return count


def _wipe_leads(session: Session, customer_id: uuid.UUID) -> int:
    """A lead keeps its campaign, status and attempts (the tally counts them); its number,
    the file's extra columns and the notes go, and it is never called again."""
    leads = list(session.scalars(select(Lead).where(col(Lead.customer_id) == customer_id)))
    for lead in leads:
        # unique per campaign, dials nothing; the id's end: a bulk import's ids share a start
        lead.phone_e164 = "#" + lead.id.hex[-15:]
        lead.extra = "{}"
        if lead.status != LeadStatus.DONE:
            lead.status = LeadStatus.UNWORKABLE.value
    lead_ids = [lead.id for lead in leads]
    if lead_ids:
        for attempt in session.scalars(
            select(LeadAttempt).where(col(LeadAttempt.lead_id).in_(lead_ids))
        ):
            attempt.note = ""
        for answer in session.scalars(
            select(SurveyAnswer).where(col(SurveyAnswer.lead_id).in_(lead_ids))
        ):
            answer.value = ""
    return len(leads)
