"""Putting leads into a campaign: from a lead file, or from a list the app made (re-offers).

Every person becomes a customer, matched by phone, so each lead has the one ledger; a
different name on a known number is reported, not written over. Numbers that objected,
duplicates within the file and numbers already in the campaign are reported and never
inserted twice, so importing the same file again adds nothing. Rows are stored in batches
of ``BATCH``, each batch one transaction with its change ops (all of it or none of it);
the report lists every rejected row with its line and reason."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import cycle
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.folding import fold
from cc_terminal.i18n import _
from cc_terminal.models import (
    Campaign,
    LeadList,
    Operator,
    Temperature,
)
from cc_terminal.services import phones
from cc_terminal.services.audit import audited_file, refusals_audited
from cc_terminal.services.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.lead_files import FileFormat, LeadFile, SourceRow, read_lead_file
from cc_terminal.services.lead_pick import ZoneCache
from cc_terminal.services.lead_store import LeadBatch
from cc_terminal.services.lead_views import ImportReport, LeadDraft, Rejected
from cc_terminal.services.views import Actor
from cc_terminal.store.database import Database
from cc_terminal.store.db import refresh_statistics

BATCH = 5000
YES = {"1", "yes", "ano", "y", "a", "true", "x", "souhlas", "consent"}
Progress = Callable[[int, int], None]


@refusals_audited
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
        with audited_file(
            self.db, actor, "import", f"leads {campaign_code}", lead_file.path
        ) as read:
            report = self._import(
                actor, lead_file, campaign_code, list_name, temperature, assign_to, progress
            )
            read.rows = report.added
        return report

    def _import(
        self,
        actor: Actor,
        lead_file: LeadFile,
        campaign_code: str,
        list_name: str,
        temperature: str,
        assign_to: Sequence[str],
        progress: Progress | None,
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
                batch_job = LeadBatch(session.connection(), actor, self.clock(), report)
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
