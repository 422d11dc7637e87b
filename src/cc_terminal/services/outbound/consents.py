"""Consents to marketing calls and objections to any call, kept per phone number.

Anyone signed in records them: a consent heard on an incoming call, a "do not call me
again" on any call. An objection takes effect at once for every campaign: the number's open
leads are closed, its customers are flagged, and no later import brings it back."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import N_, _
from cc_terminal.models import (
    Consent,
    ConsentSource,
    Customer,
    CustomerPhone,
    Lead,
    LeadStatus,
    Objection,
)
from cc_terminal.services.common import phones
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database

SOURCE_LABELS = {
    ConsentSource.DIRECTORY: N_("public subscriber directory"),
    ConsentSource.WEB_FORM: N_("web form"),
    ConsentSource.EARLIER_CALL: N_("said yes on a call"),
    ConsentSource.PAPER: N_("signed on paper"),
    ConsentSource.IMPORT: N_("came with an imported list"),
}
OBJECTION_DISPOSITION = "objected"


@dataclass(frozen=True)
class ConsentView:
    phone_e164: str
    source: str
    given_on: date
    recorded_at: datetime
    note: str


@dataclass(frozen=True)
class PhoneStanding:
    """What the floor knows about calling one number."""

    consents: tuple[ConsentView, ...]
    objected_at: datetime | None

    @property
    def consented(self) -> bool:
        return bool(self.consents)


class ConsentService:
    def __init__(self, db: Database, region: str, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.region = region
        self.clock = clock

    def record_consent(
        self, actor: Actor, phone: str, source: str, given_on: date, note: str = ""
    ) -> ConsentView:
        form = FormErrors()
        e164 = _phone(form, phone, self.region)
        if source not in set(ConsentSource) or source == ConsentSource.IMPORT:
            form.add("source", _("Say where the consent came from."))
        if given_on > self.clock().date():
            form.add("given_on", _("A consent cannot be given in the future."))
        note = form.text("note", note, limits.SHORT_NOTE)
        form.raise_if_any()
        row = Consent(
            phone_e164=e164,
            source=source,
            given_on=given_on,
            recorded_by=actor.operator_id,
            recorded_at=self.clock(),
            note=note,
        )
        with self.db.write(actor.operator_id) as session:
            session.add(row)
        return _consent_view(row)

    def record_objection(
        self, actor: Actor, phone: str, call_id: uuid.UUID | None = None, note: str = ""
    ) -> datetime:
        """ "Do not call me again"; recording it twice keeps the first."""
        form = FormErrors()
        e164 = _phone(form, phone, self.region)
        note = form.text("note", note, limits.SHORT_NOTE)
        form.raise_if_any()
        with self.db.write(actor.operator_id) as session:
            return object_to_calls(session, actor, e164, self.clock(), call_id, note)

    def standing(self, phone_e164: str) -> PhoneStanding:
        with self.db.read() as session:
            return standings(session, [phone_e164])[phone_e164]


def object_to_calls(
    session: Session,
    actor: Actor,
    e164: str,
    now: datetime,
    call_id: uuid.UUID | None = None,
    note: str = "",
) -> datetime:
    """Record the objection in the caller's transaction and make it bite at once."""
    existing = session.scalars(select(Objection).where(col(Objection.phone_e164) == e164)).first()
    if existing is not None:
        return existing.recorded_at
    session.add(
        Objection(
            phone_e164=e164,
            recorded_by=actor.operator_id,
            recorded_at=now,
            call_id=call_id,
            note=note,
        )
    )
    _flag_customers(session, e164, now)
    close_leads(session, e164, now)
    session.flush()
    return now


def _flag_customers(session: Session, e164: str, now: datetime) -> None:
    """Every customer with the number is flagged "do not call"."""
    owners = select(col(CustomerPhone.customer_id)).where(col(CustomerPhone.e164) == e164)
    for customer in session.scalars(select(Customer).where(col(Customer.id).in_(owners))):
        if not customer.do_not_call:
            customer.do_not_call = True
            customer.version += 1
            customer.updated_at = now


def close_leads(session: Session, e164: str, now: datetime) -> None:
    """The number's open leads are closed, in every campaign (an objection; a staged
    import's lead shown after it: services.outbound.lead_staging)."""
    open_leads = select(Lead).where(
        col(Lead.phone_e164) == e164,
        col(Lead.status).in_(
            [LeadStatus.OPEN.value, LeadStatus.CALLBACK.value, LeadStatus.CALLING.value]
        ),
    )
    for lead in session.scalars(open_leads):
        lead.status = LeadStatus.DONE.value
        lead.last_disposition = OBJECTION_DISPOSITION
        lead.claimed_by = None
        lead.updated_at = now
        lead.version += 1


def standings(session: Session, numbers: Iterable[str]) -> dict[str, PhoneStanding]:
    wanted = sorted(set(numbers))
    consents: dict[str, list[ConsentView]] = {number: [] for number in wanted}
    query = (
        select(Consent)
        .where(col(Consent.phone_e164).in_(wanted))
        .order_by(col(Consent.given_on).desc())
    )
    for row in session.scalars(query):
        consents[row.phone_e164].append(_consent_view(row))
    # A customer flagged "do not call" on their card objects for each of their numbers,
    # whether or not the objection was recorded on a call.
    flagged = session.execute(
        select(col(CustomerPhone.e164), col(Customer.updated_at))
        .join(Customer, col(Customer.id) == col(CustomerPhone.customer_id))
        .where(col(CustomerPhone.e164).in_(wanted), col(Customer.do_not_call))
    ).all()
    objected = dict(flagged)
    objected.update(
        session.execute(
            select(col(Objection.phone_e164), col(Objection.recorded_at)).where(
                col(Objection.phone_e164).in_(wanted)
            )
        ).all()
    )
    return {
        number: PhoneStanding(tuple(consents[number]), objected.get(number)) for number in wanted
    }


def _phone(form: FormErrors, raw: str, region: str) -> str:
    try:
        return phones.normalise(raw, region)
    except phones.PhoneError as error:
        form.add("phone", str(error))
        return ""


def _consent_view(row: Consent) -> ConsentView:
    return ConsentView(row.phone_e164, row.source, row.given_on, row.recorded_at, row.note)
