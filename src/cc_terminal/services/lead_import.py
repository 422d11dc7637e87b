"""Putting leads into a campaign: from a lead file, or from a list the app made (re-offers).

Every person becomes a customer, matched by phone, so each lead has the one ledger; a
different name on a known number is reported, not written over. Numbers that objected,
duplicates within the file and numbers already in the campaign are reported and never
inserted twice, so importing the same file again adds nothing. Rows are stored in batches
of ``BATCH``, each batch one transaction with its change ops (all of it or none of it);
the report lists every rejected row with its line and reason."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import cycle
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from cc_terminal import limits
from cc_terminal.folding import fold
from cc_terminal.i18n import _
from cc_terminal.models import (
    Campaign,
    ConsentSource,
    Customer,
    CustomerPhone,
    Lead,
    LeadList,
    Objection,
    Operator,
    Temperature,
)
from cc_terminal.models.lead import HEAT
from cc_terminal.services import phones, search_index
from cc_terminal.services.calling_rules import zone_of
from cc_terminal.services.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.lead_files import FileFormat, LeadFile, SourceRow, read_lead_file
from cc_terminal.services.lead_pick import ZoneCache
from cc_terminal.services.views import Actor
from cc_terminal.store.database import Database
from cc_terminal.store.db import refresh_statistics
from cc_terminal.store.outbox import insert_rows

BATCH = 5000
YES = {"1", "yes", "ano", "y", "a", "true", "x", "souhlas", "consent"}
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class LeadDraft:
    """One person to call, as a file or the app gives them; ``line`` for the report."""

    phone: str
    full_name: str
    street: str = ""
    house_number: str = ""
    city: str = ""
    postal_code: str = ""
    email: str = ""
    consent: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    line: int = 0
    priority: int = 0
    origin_offer_id: uuid.UUID | None = None
    assigned_to: uuid.UUID | None = None


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str


@dataclass
class ImportReport:
    campaign: str
    list_name: str
    rows: int = 0
    added: int = 0
    new_customers: int = 0
    already_in_campaign: int = 0
    consents: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    name_differs: list[Rejected] = field(default_factory=list)
    file_format: str = ""
    encoding: str = ""

    def lines(self, most: int | None = None) -> list[str]:
        """The counts, then each rejected or differing line and why (the first ``most``)."""
        summary = _(
            "{rows} rows: {added} leads added ({new} new customers, {consents} consents), "
            "{already} already in the campaign, {rejected} rejected."
        ).format(
            rows=self.rows,
            added=self.added,
            new=self.new_customers,
            consents=self.consents,
            already=self.already_in_campaign,
            rejected=len(self.rejected),
        )
        noted = [*self.rejected, *self.name_differs][:most]
        return [
            summary,
            *(_("line {line}: {reason}").format(line=r.line, reason=r.reason) for r in noted),
        ]


class LeadImportService:
    def __init__(
        self,
        db: Database,
        region: str,
        clock: Callable[[], datetime],
        zones: ZoneCache | None = None,
    ) -> None:
        self.db = db
        self.region = region
        self.clock = clock
        self.zones = zones  # the pick's (campaign, time zone) pairs, read again after this

    def read(self, path: Path) -> LeadFile:
        """The file decoded and split, with the column mapping guessed (a preview)."""
        return read_lead_file(path)

    def import_file(
        self,
        actor: Actor,
        lead_file: LeadFile,
        campaign_code: str,
        list_name: str = "",
        temperature: str = Temperature.COLD,
        assign_to: Sequence[str] = (),
        progress: Progress | None = None,
    ) -> ImportReport:
        lead_file.check_mapping()
        drafts, rejected = self.drafts(lead_file)
        report = self.add_leads(
            actor,
            campaign_code,
            list_name or lead_file.path.name,
            temperature,
            drafts,
            assign_to=assign_to,
            source=lead_file.path.name,
            progress=progress,
        )
        report.rows += len(rejected)
        report.rejected = sorted([*rejected, *report.rejected], key=lambda item: item.line)
        report.file_format, report.encoding = lead_file.format.value, lead_file.encoding
        return report

    def drafts(self, lead_file: LeadFile) -> tuple[list[LeadDraft], list[Rejected]]:
        drafts, rejected = [], []
        for row in lead_file.rows():
            try:
                drafts.append(self._draft(lead_file, row))
            except ValidationFailed as failed:
                rejected.append(Rejected(row.line, "; ".join(failed.errors.values())))
        return drafts, rejected

    def _draft(self, lead_file: LeadFile, row: SourceRow) -> LeadDraft:
        dialer = lead_file.format != FileFormat.CSV
        mapped = {target: "" for target in lead_file.mapping.values()}
        for column, target in lead_file.mapping.items():
            mapped[target] = _clean(row.values.get(column, ""), dialer)
        extra = {
            column: _clean(value, dialer)
            for column, value in row.values.items()
            if column not in lead_file.mapping and value.strip()
        }
        code = row.values.get("phone_code") or row.values.get("PhoneCode") or ""
        phone = _with_code(mapped.get("phone", ""), code)
        name = mapped.get("name") or " ".join(
            part for part in (mapped.get("first_name", ""), mapped.get("last_name", "")) if part
        )
        errors: dict[str, str] = {}
        try:
            phone = phones.normalise(phone, self.region)
        except phones.PhoneError as error:
            errors["phone"] = f"{_('phone')} “{phone}”: {error}"
        if not name.strip():
            name = _("(no name)")
        for target, limit in (("name", limits.FULL_NAME), ("email", limits.EMAIL)):
            if len(mapped.get(target, "")) > limit:
                errors[target] = _("{field} longer than {n} characters").format(
                    field=target, n=limit
                )
        if errors:
            raise ValidationFailed(errors)
        return LeadDraft(
            phone=phone,
            full_name=name.strip()[: limits.FULL_NAME],
            street=mapped.get("street", "")[: limits.STREET],
            house_number=mapped.get("house_number", "")[: limits.HOUSE_NUMBER],
            city=mapped.get("city", "")[: limits.CITY],
            postal_code=mapped.get("postal_code", "")[: limits.POSTAL_CODE],
            email=mapped.get("email", "")[: limits.EMAIL],
            consent=fold(mapped.get("consent", "")) in YES,
            extra=extra,
            line=row.line,
        )

    def add_leads(
        self,
        actor: Actor,
        campaign_code: str,
        list_name: str,
        temperature: str,
        drafts: Sequence[LeadDraft],
        *,
        assign_to: Sequence[str] = (),
        source: str = "",
        progress: Progress | None = None,
    ) -> ImportReport:
        """Store leads (phones already normalised) in batches; see the module's rules."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead adds leads to a campaign."))
        if temperature not in set(Temperature):
            raise ValidationFailed({"temperature": _("cold, warm or hot.")})
        report = ImportReport(campaign_code, list_name, rows=len(drafts))
        unique, duplicates = _first_of_each_phone(drafts)
        report.rejected += duplicates
        with self.db.write(actor.operator_id) as session:
            campaign = session.scalars(
                select(Campaign).where(col(Campaign.code) == campaign_code)
            ).first()
            if campaign is None:
                raise NotFound(_("No campaign {code}.").format(code=campaign_code))
            campaign_id = campaign.id
            operators = _operators(session.connection(), assign_to)
            lead_list = _lead_list(
                session, campaign_id, list_name, source, temperature, actor, self.clock()
            )
            list_id = lead_list.id
        owners = cycle(operators) if operators else None
        for start in range(0, len(unique), BATCH):
            batch = unique[start : start + BATCH]
            with self.db.write(actor.operator_id) as session:
                batch_job = _Batch(session.connection(), actor, self.clock(), report)
                batch_job.store(campaign_id, list_id, temperature, batch, owners)
            if progress is not None:
                progress(min(start + BATCH, len(unique)), len(unique))
        if report.added >= BATCH:
            with self.db.connect() as connection:
                refresh_statistics(connection, "lead")
                connection.commit()
        if self.zones is not None:
            self.zones.invalidate()
        return report


class _Batch:
    """One batch of leads, stored in the caller's transaction."""

    def __init__(
        self, connection: Connection, actor: Actor, now: datetime, report: ImportReport
    ) -> None:
        self.connection = connection
        self.actor = actor
        self.now = now
        self.report = report

    def store(
        self,
        campaign_id: uuid.UUID,
        list_id: uuid.UUID,
        temperature: str,
        batch: list[LeadDraft],
        owners: Iterable[uuid.UUID] | None,
    ) -> None:
        numbers = [draft.phone for draft in batch]
        objected = self._objected(numbers)
        in_campaign = self._in_campaign(campaign_id, numbers)
        owners_of = self._customers(numbers)
        wanted = []
        for draft in batch:
            if draft.phone in objected:
                self.report.rejected.append(
                    Rejected(draft.line, _("{phone} objected to calls").format(phone=draft.phone))
                )
            elif draft.phone in in_campaign:
                self.report.already_in_campaign += 1
            else:
                wanted.append(draft)
        customer_ids = self._new_customers(wanted, owners_of)
        self._leads(campaign_id, list_id, temperature, wanted, customer_ids, owners)
        self._consents(wanted)

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
        actor = self.actor.operator_id
        insert_rows(self.connection, _table("customer"), customers, actor)
        insert_rows(self.connection, _table("customer_phone"), phone_rows, actor)
        search_index.index_customers(self.connection, terms)
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
                "id": uuid.uuid4(),
                "campaign_id": campaign_id,
                "list_id": list_id,
                "customer_id": customer_ids[draft.phone],
                "phone_e164": draft.phone,
                "time_zone": zone_of(draft.phone),
                "temperature": temperature,
                "heat": HEAT[temperature],
                "status": "open",
                "priority": draft.priority,
                "attempts": 0,
                "next_attempt_at": None,
                "callback_at": None,
                "callback_personal": False,
                "callback_asked": False,
                "callback_by": None,
                "callback_released_at": None,
                "assigned_to": draft.assigned_to or (next(owner_of) if owner_of else None),
                "assignment_epoch": 0,
                "claimed_by": None,
                "claimed_until": None,
                "last_disposition": "",
                "last_attempt_at": None,
                "origin_offer_id": draft.origin_offer_id,
                "extra": json.dumps(draft.extra, ensure_ascii=False, sort_keys=True),
                "created_at": self.now,
                "updated_at": self.now,
                "version": 1,
            }
            for draft in wanted
        ]
        insert_rows(self.connection, _table("lead"), rows, self.actor.operator_id)
        self.report.added += len(rows)

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
        insert_rows(self.connection, _table("consent"), rows, self.actor.operator_id)
        self.report.consents += len(rows)


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _customer_row(draft: LeadDraft, now: datetime) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "full_name": draft.full_name,
        "street": draft.street,
        "house_number": draft.house_number,
        "city": draft.city,
        "postal_code": draft.postal_code,
        "email": draft.email,
        "notes": "",
        "do_not_call": False,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def _first_of_each_phone(drafts: Sequence[LeadDraft]) -> tuple[list[LeadDraft], list[Rejected]]:
    seen: dict[str, int] = {}
    unique, duplicates = [], []
    for draft in drafts:
        if draft.phone in seen:
            message = _("{phone} again (first on line {line})")
            duplicates.append(
                Rejected(draft.line, message.format(phone=draft.phone, line=seen[draft.phone]))
            )
        else:
            seen[draft.phone] = draft.line
            unique.append(draft)
    return unique, duplicates


def _operators(connection: Connection, usernames: Sequence[str]) -> list[uuid.UUID]:
    if not usernames:
        return []
    found = dict(
        connection.execute(
            select(col(Operator.username), col(Operator.id)).where(
                col(Operator.username).in_(list(usernames)), col(Operator.active)
            )
        ).all()
    )
    missing = [name for name in usernames if name not in found]
    if missing:
        raise ValidationFailed(
            {"assign_to": _("No such operator: {name}.").format(name=", ".join(missing))}
        )
    return [found[name] for name in usernames]


def _lead_list(
    session: Session,
    campaign_id: uuid.UUID,
    name: str,
    source: str,
    temperature: str,
    actor: Actor,
    now: datetime,
) -> LeadList:
    existing = session.scalars(
        select(LeadList).where(col(LeadList.campaign_id) == campaign_id, col(LeadList.name) == name)
    ).first()
    if existing is not None:
        return existing
    lead_list = LeadList(
        campaign_id=campaign_id,
        name=name[: limits.LABEL],
        source=source[: limits.LABEL],
        temperature=temperature,
        created_at=now,
        created_by=actor.operator_id,
    )
    session.add(lead_list)
    session.flush()
    return lead_list


_SPACES = str.maketrans(dict.fromkeys("\r\n\t\u2028\u2029", " "))
_DIALER_DROPS = str.maketrans("", "", "\"'`\\;")


def _clean(value: str, dialer: bool) -> str:
    """No control characters, single spaces; and for dialer files, as VICIdial does, no
    quotes, backticks, backslashes or semicolons."""
    text = value.translate(_SPACES)
    if dialer:
        text = text.translate(_DIALER_DROPS)
    if not text.isprintable():
        text = "".join(char for char in text if char.isprintable())
    return " ".join(text.split())


def _with_code(number: str, code: str) -> str:
    digits = "".join(char for char in number if char.isdigit() or char == "+")
    code_digits = "".join(char for char in code if char.isdigit())
    if code_digits and digits and not digits.startswith(("+", "00")):
        return f"+{code_digits}{digits}"
    return number
