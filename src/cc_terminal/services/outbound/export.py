"""Exports of a campaign for the team lead: every lead, called or not, with its state, its
latest attempt (disposition, refusal reason, note), its survey answers (a column per
question) and the columns its file brought, as CSV or XLSX (export_files' rules), or in the
VICIdial column order with its plain local times for floors that report upstream. Files are
private to the user (0600)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo

import phonenumbers
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased
from sqlmodel import col

from cc_terminal.customer_fields import IN_DIALER_FILES, LEAD_EXPORTED
from cc_terminal.i18n import _, pgettext
from cc_terminal.models import (
    Campaign,
    Customer,
    Lead,
    LeadAttempt,
    LeadList,
    Operator,
    QuestionKind,
    SurveyAnswer,
)
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import audited_file, refusals_audited
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.export_files import Cell, titled, write_csv, write_table
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.lead_files import VICIDIAL_WEB
from cc_terminal.services.outbound.surveys import QuestionView, questions_of
from cc_terminal.store.database import Database

FORMATS = ("csv", "xlsx", "vicidial")
LEAD_COLUMNS = (
    "phone",
    *(field.lead_export_column for field in LEAD_EXPORTED),  # "customer", "city"
    "temperature",
    "list",
    "lead_status",
    "attempts",
    "assigned_to",
    "next_at",
    "called_at",
    "operator",
    "disposition",
    "refusal_reason",
    "note",
)
VICIDIAL_NEW = "NEW"  # VICIdial's status of a lead never called
_NUMERIC = (QuestionKind.NUMBER, QuestionKind.SCALE)


@dataclass(frozen=True)
class _Attempt:
    at: datetime
    operator: str
    disposition: str
    refusal_reason: str
    note: str


@dataclass
class _LeadRow:
    lead: Lead
    customer: Customer
    list_name: str
    assigned: str
    last: _Attempt | None = None
    answers: dict[str, str] = field(default_factory=dict)

    @property
    def extra(self) -> dict[str, str]:
        found: dict[str, str] = json.loads(self.lead.extra or "{}")
        return found


@dataclass(frozen=True)
class _Fetched:
    leads: list[_LeadRow]
    questions: tuple[QuestionView, ...]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def column_titles() -> dict[str, str]:
    """The workstation's columns in the current language (the English are the names above)."""
    return {
        "phone": pgettext("export column", "phone"),
        "customer": pgettext("export column", "customer"),
        "city": pgettext("export column", "city"),
        "temperature": pgettext("export column", "temperature"),
        "list": pgettext("export column", "list"),
        "lead_status": pgettext("export column", "lead_status"),
        "attempts": pgettext("export column", "attempts"),
        "assigned_to": pgettext("export column", "assigned_to"),
        "next_at": pgettext("export column", "next_at"),
        "called_at": pgettext("export column", "called_at"),
        "operator": pgettext("export column", "operator"),
        "disposition": pgettext("export column", "disposition"),
        "refusal_reason": pgettext("export column", "refusal_reason"),
        "note": pgettext("export column", "note"),
    }


@refusals_audited
class OutboundExport:
    def __init__(self, db: Database, timezone: str) -> None:
        self.db = db
        self.zone = ZoneInfo(timezone)

    def export(self, actor: Actor, campaign_code: str, path: Path, kind: str) -> ExportResult:
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead exports a campaign's results."))
        if kind not in FORMATS:
            raise ValidationFailed({"format": _("csv, xlsx or vicidial.")})
        fetched = self._fetch(campaign_code)
        with audited_file(
            self.db, actor, AuditKind.EXPORT, f"campaign {campaign_code}", path
        ) as written:
            if kind == "vicidial":
                header, rows = self._vicidial(fetched)
                write_csv(path, header, rows, "|")
            else:
                header, rows = self._rows(fetched)
                write_table(path, kind, header, rows, _("Leads"))
            written.rows = len(rows)
        return ExportResult(path, len(rows))

    # -- reading ---------------------------------------------------------------------

    def _fetch(self, campaign_code: str) -> _Fetched:
        with self.db.read() as session:
            campaign = session.scalars(
                select(Campaign).where(col(Campaign.code) == campaign_code)
            ).first()
            if campaign is None:
                raise NotFound(_("No campaign {code}.").format(code=campaign_code))
            leads = _leads(session, campaign.id)
            _add_attempts(session, campaign.id, leads)
            return _Fetched(list(leads.values()), questions_of(session, campaign.id))

    # -- the workstation's own columns -----------------------------------------------

    def _rows(self, fetched: _Fetched) -> tuple[list[str], list[list[Cell]]]:
        codes = [question.code for question in fetched.questions]
        numeric = {q.code for q in fetched.questions if q.kind in _NUMERIC}
        extras = _extra_names(row.extra for row in fetched.leads)
        own = [*titled(LEAD_COLUMNS, column_titles()), *(f"q_{code}" for code in codes)]
        taken = set(own)
        header = [*own, *(f"file_{name}" if name in taken else name for name in extras)]
        rows = []
        for row in fetched.leads:
            answers = [_answer(row.answers.get(code, ""), code in numeric) for code in codes]
            extra = row.extra
            rows.append([*self._lead_cells(row), *answers, *(extra.get(n, "") for n in extras)])
        return header, rows

    def _lead_cells(self, row: _LeadRow) -> list[Cell]:
        lead, last = row.lead, row.last
        return [
            lead.phone_e164,
            *(getattr(row.customer, field.name) for field in LEAD_EXPORTED),
            lead.temperature,
            row.list_name,
            lead.status,
            lead.attempts,
            row.assigned,
            self._local(lead.callback_at or lead.next_attempt_at),
            self._local(last.at if last else None),
            last.operator if last else "",
            last.disposition if last else "",
            last.refusal_reason if last else "",
            last.note if last else "",
        ]

    def _local(self, moment: datetime | None) -> datetime | None:
        return moment.astimezone(self.zone) if moment is not None else None

    # -- VICIdial --------------------------------------------------------------------

    def _vicidial(self, fetched: _Fetched) -> tuple[list[str], list[list[Cell]]]:
        """The standard list-loader columns, each lead's latest status and call count, and
        its last call's date in VICIdial's plain local time, as its lead exports carry
        them; a lead never called has VICIdial's status NEW."""
        header = [*VICIDIAL_WEB, "status", "called_count", "last_local_call_time"]
        rows: list[list[Cell]] = []
        for row in fetched.leads:
            values = self._vicidial_values(row)
            lead = row.lead
            rows.append(
                [
                    *(values[name] for name in VICIDIAL_WEB),
                    lead.last_disposition or (row.last.disposition if row.last else VICIDIAL_NEW),
                    lead.attempts,
                    self._dialer_time(lead.last_attempt_at or (row.last.at if row.last else None)),
                ]
            )
        return header, rows

    def _vicidial_values(self, row: _LeadRow) -> dict[str, Cell]:
        extra, customer = row.extra, row.customer
        first, _space, last = customer.full_name.partition(" ")
        code, number = phone_parts(row.lead.phone_e164)
        return {
            **{name: extra.get(name, "") for name in VICIDIAL_WEB},
            "list_id": extra.get("list_id", row.list_name),
            "phone_code": code,
            "phone_number": number,
            "first_name": first,
            "last_name": last,
            "address1": " ".join(p for p in (customer.street, customer.house_number) if p),
            **{
                column: getattr(customer, field.name)
                for field in IN_DIALER_FILES
                for column in field.dialer_columns
                if column in VICIDIAL_WEB
            },
            "comments": row.last.note if row.last and row.last.note else extra.get("comments", ""),
        }

    def _dialer_time(self, moment: datetime | None) -> str:
        if moment is not None:
            return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M:%S")
        return ""


def phone_parts(e164: str) -> tuple[str, str]:
    """The country calling code and the national number, as dialers keep them apart:
    +447911123456 is 44 and 7911123456."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return "", e164.lstrip("+")
    return str(parsed.country_code), phonenumbers.national_significant_number(parsed)


def _leads(session: Session, campaign_id: uuid.UUID) -> dict[uuid.UUID, _LeadRow]:
    assignee = aliased(Operator)
    query = (
        select(Lead, Customer, col(LeadList.name), col(assignee.full_name))
        .join(Customer, col(Customer.id) == col(Lead.customer_id))
        .join(LeadList, col(LeadList.id) == col(Lead.list_id))
        .outerjoin(assignee, col(assignee.id) == col(Lead.assigned_to))
        .where(col(Lead.campaign_id) == campaign_id)
        .order_by(col(Lead.created_at), col(Lead.id))
    )
    return {
        lead.id: _LeadRow(lead, customer, list_name, assigned or "")
        for lead, customer, list_name, assigned in session.execute(query)
    }


def _add_attempts(
    session: Session, campaign_id: uuid.UUID, leads: dict[uuid.UUID, _LeadRow]
) -> None:
    """Each lead's latest attempt, and its survey answers (a later call's answer wins)."""
    query = (
        select(LeadAttempt, col(Operator.full_name))
        .join(Operator, col(Operator.id) == col(LeadAttempt.operator_id))
        .where(col(LeadAttempt.campaign_id) == campaign_id)
        .order_by(col(LeadAttempt.at), col(LeadAttempt.id))
    )
    for attempt, operator in session.execute(query):
        if attempt.lead_id in leads:
            leads[attempt.lead_id].last = _Attempt(
                attempt.at, operator, attempt.disposition, attempt.refusal_reason, attempt.note
            )
    answers = (
        select(SurveyAnswer)
        .where(col(SurveyAnswer.campaign_id) == campaign_id)
        .order_by(col(SurveyAnswer.at), col(SurveyAnswer.id))
    )
    for answer in session.scalars(answers):
        if answer.lead_id in leads:
            leads[answer.lead_id].answers[answer.question_code] = answer.value


def _extra_names(extras: Iterable[dict[str, str]]) -> list[str]:
    """The file columns the leads brought, in the order they were first seen."""
    names: dict[str, None] = {}
    for extra in extras:
        names.update(dict.fromkeys(extra))
    return list(names)


def _answer(value: str, numeric: bool) -> Cell:
    if numeric and value:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return number if number.is_finite() else value
    return value
