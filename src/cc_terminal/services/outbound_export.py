"""Exports of a campaign for the team lead: every attempt with its disposition, refusal
reason and next step, the survey answers (a column per question), as CSV, XLSX, or in the
VICIdial column order for floors that report upstream. A value a spreadsheet would run as a
formula (starting with = + - @) is written as text; files are private to the user (0600)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import col

from cc_terminal.i18n import _
from cc_terminal.models import (
    Campaign,
    Customer,
    Lead,
    LeadAttempt,
    LeadList,
    Operator,
    SurveyAnswer,
)
from cc_terminal.services.audit import audited_file, refusals_audited
from cc_terminal.services.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.export_files import safe_cell, write_csv, write_xlsx
from cc_terminal.services.lead_files import VICIDIAL_WEB
from cc_terminal.services.surveys import QuestionView, questions_of
from cc_terminal.services.views import Actor
from cc_terminal.store.database import Database

FORMATS = ("csv", "xlsx", "vicidial")
ATTEMPT_COLUMNS = (
    "called_at",
    "phone",
    "customer",
    "city",
    "temperature",
    "list",
    "operator",
    "disposition",
    "refusal_reason",
    "note",
    "next_at",
    "attempts",
    "lead_status",
)


@dataclass(frozen=True)
class _Fetched:
    attempts: list[tuple[Any, ...]]
    questions: tuple[QuestionView, ...]
    answers: dict[uuid.UUID, dict[str, str]]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


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
        build = self._vicidial if kind == "vicidial" else self._rows
        header, rows = build(campaign_code)
        safe = [[safe_cell(value) for value in row] for row in rows]
        with audited_file(self.db, actor, "export", f"campaign {campaign_code}", path) as written:
            if kind == "xlsx":
                write_xlsx(path, header, safe, _("Attempts"))
            else:
                write_csv(path, header, safe, "|" if kind == "vicidial" else ";")
            written.rows = len(safe)
        return ExportResult(path, len(safe))

    def _fetch(self, campaign_code: str) -> _Fetched:
        with self.db.read() as session:
            campaign = session.scalars(
                select(Campaign).where(col(Campaign.code) == campaign_code)
            ).first()
            if campaign is None:
                raise NotFound(_("No campaign {code}.").format(code=campaign_code))
            query = (
                select(LeadAttempt, Lead, Customer, col(LeadList.name), col(Operator.full_name))
                .join(Lead, col(Lead.id) == col(LeadAttempt.lead_id))
                .join(Customer, col(Customer.id) == col(Lead.customer_id))
                .join(LeadList, col(LeadList.id) == col(Lead.list_id))
                .join(Operator, col(Operator.id) == col(LeadAttempt.operator_id))
                .where(col(LeadAttempt.campaign_id) == campaign.id)
                .order_by(col(LeadAttempt.at), col(LeadAttempt.id))
            )
            found = [tuple(row) for row in session.execute(query)]
            answers: dict[uuid.UUID, dict[str, str]] = {}
            for answer in session.scalars(
                select(SurveyAnswer).where(col(SurveyAnswer.campaign_id) == campaign.id)
            ):
                answers.setdefault(answer.call_id, {})[answer.question_code] = answer.value
            return _Fetched(found, questions_of(session, campaign.id), answers)

    def _rows(self, campaign_code: str) -> tuple[list[str], list[list[object]]]:
        fetched = self._fetch(campaign_code)
        codes = [question.code for question in fetched.questions]
        header = [*ATTEMPT_COLUMNS, *(f"q_{code}" for code in codes)]
        rows = []
        for attempt, lead, customer, list_name, operator in fetched.attempts:
            answered = fetched.answers.get(attempt.call_id, {})
            rows.append(
                [
                    self._local(attempt.at),
                    lead.phone_e164,
                    customer.full_name,
                    customer.city,
                    lead.temperature,
                    list_name,
                    operator,
                    attempt.disposition,
                    attempt.refusal_reason,
                    attempt.note,
                    self._local(attempt.next_at),
                    lead.attempts,
                    lead.status,
                    *(answered.get(code, "") for code in codes),
                ]
            )
        return header, rows

    def _vicidial(self, campaign_code: str) -> tuple[list[str], list[list[object]]]:
        """The standard list-loader columns, each lead's latest status and call count, and
        the call's date, as VICIdial's lead exports carry them."""
        header = [*VICIDIAL_WEB, "status", "called_count", "last_local_call_time"]
        rows = []
        for attempt, lead, customer, list_name, _operator in self._fetch(campaign_code).attempts:
            extra = json.loads(lead.extra or "{}")
            first, _space, last = customer.full_name.partition(" ")
            values = {
                **{name: extra.get(name, "") for name in VICIDIAL_WEB},
                "list_id": extra.get("list_id", list_name),
                "phone_code": lead.phone_e164[1:4],
                "phone_number": lead.phone_e164[4:],
                "first_name": first,
                "last_name": last,
                "address1": " ".join(p for p in (customer.street, customer.house_number) if p),
                "city": customer.city,
                "postal_code": customer.postal_code,
                "email": customer.email,
                "comments": attempt.note,
            }
            rows.append(
                [
                    *(values[name] for name in VICIDIAL_WEB),
                    attempt.disposition,
                    lead.attempts,
                    self._local(attempt.at),
                ]
            )
        return header, rows

    def _local(self, moment: datetime | None) -> str:
        if moment is not None:
            return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M:%S")
        return ""
