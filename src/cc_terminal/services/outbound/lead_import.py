"""Putting leads into a campaign: from a lead file, or from a list the app made (re-offers).

Every person becomes a customer, matched by phone, so each lead has the one ledger; a
different name on a known number is reported, not written over. Numbers that objected,
duplicates within the file and numbers already in the campaign are reported and never
inserted twice, so importing the same file again adds nothing. Rows are stored staged in
batches of at most ``BATCH``, each batch one transaction with its change ops, and shown in one
short step (all of it or none of it: services.outbound.lead_staging);
the list is made with the first lead stored, so an import that adds none makes none. The
report lists every rejected row with its line and reason, and every row stored with
changes (services.lead_rows) with its line and what changed."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from functools import partial
from itertools import cycle
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import (
    Campaign,
    LeadList,
    Operator,
    Temperature,
)
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import audited_file, refusals_audited
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.lead_ahead import PreparedBatches
from cc_terminal.services.outbound.lead_checkpoints import Checkpoints
from cc_terminal.services.outbound.lead_files import LeadFile, read_lead_file
from cc_terminal.services.outbound.lead_pick import ZoneCache
from cc_terminal.services.outbound.lead_rows import draft_of
from cc_terminal.services.outbound.lead_staging import LeadStaging
from cc_terminal.services.outbound.lead_store import Destination, LeadBatch
from cc_terminal.services.outbound.lead_views import ImportReport, LeadDraft, Rejected
from cc_terminal.store.bulk_cache import bulk_cache, enlarge
from cc_terminal.store.database import Database
from cc_terminal.store.db import refresh_statistics

# Leads a transaction stores at most (the bulk path writes 2,000 in about 0.2 s idle).
BATCH = 2000
# On SQLite a batch holds the one write lock while it is written (its rows and ops are
# built before: services.outbound.lead_store), and a sign-in on another terminal waits for
# it: on a loaded host batches are cut so that one holds the lock about LOCK_SECONDS, and
# after one that held it longer the import steps aside a fifth of that (at most 100 ms),
# so a waiting writer, whose busy handler sleeps up to 100 ms between tries, finds it free.
LOCK_SECONDS = 0.25
LEAST_BATCH = 200
ANALYZE_AFTER = 5000  # leads added before the planner's figures are read again
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
            self.db, actor, AuditKind.IMPORT, f"leads {campaign_code}", lead_file.path
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
        drafts, rejected, warned = self.drafts(lead_file)
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
        report.warnings = warned
        report.file_format, report.encoding = lead_file.format.value, lead_file.encoding
        return report

    def drafts(self, lead_file: LeadFile) -> tuple[list[LeadDraft], list[Rejected], list[Rejected]]:
        """The rows' leads, the rejected rows, and the rows stored with changes."""
        drafts, rejected, warned = [], [], []
        for row in lead_file.rows():
            if row.problem:
                rejected.append(Rejected(row.line, row.problem))
                continue
            try:
                draft, warnings = draft_of(lead_file, row, self.region)
            except ValidationFailed as failed:
                rejected.append(Rejected(row.line, "; ".join(failed.errors.values())))
                continue
            drafts.append(draft)
            if warnings:
                warned.append(Rejected(row.line, "; ".join(warnings)))
        return drafts, rejected, warned

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
        """Store leads (phones already normalised) in batches; see the module's rules. The
        list is made with the first lead stored: when none is, there is no list."""
        _check_may_add(actor, temperature)
        report = ImportReport(campaign_code, list_name, rows=len(drafts))
        unique, duplicates = _first_of_each_phone(drafts)
        report.rejected += duplicates
        lists, operators = self._destination(
            actor, campaign_code, list_name, source, temperature, assign_to
        )
        owners = cycle(operators) if operators else None
        self._store(actor, lists, temperature, unique, owners, report, progress)
        report.no_list = lists.list_id is None
        self._after_import(report)
        return report

    def _destination(
        self,
        actor: Actor,
        campaign_code: str,
        list_name: str,
        source: str,
        temperature: str,
        assign_to: Sequence[str],
    ) -> tuple[_ListMaker, list[uuid.UUID]]:
        """The list the leads go to, and the operators they are dealt to in turn."""
        with self.db.read() as session:
            campaign = session.scalars(
                select(Campaign).where(col(Campaign.code) == campaign_code)
            ).first()
            if campaign is None:
                raise NotFound(_("No campaign {code}.").format(code=campaign_code))
            operators = _operators(session.connection(), assign_to)
            lists = _ListMaker(session, campaign.id, list_name, source, temperature, actor)
        return lists, operators

    def _store(
        self,
        actor: Actor,
        lists: _ListMaker,
        temperature: str,
        unique: list[LeadDraft],
        owners: Iterator[uuid.UUID] | None,
        report: ImportReport,
        progress: Progress | None,
    ) -> None:
        """Store the leads staged (services.outbound.lead_staging) in batches of
        ``BATCH``, one transaction each, then show them in one short step; a failure
        takes away what was staged."""
        if not unique:
            return
        staging = LeadStaging(self.db, self.clock, actor.operator_id)
        pace = _Pace(self.db.engine.dialect.name == "sqlite")
        to = Destination(lists.campaign_id, lists.id, temperature, owners)
        checkpoints = Checkpoints(self.db)
        ahead = self.db.engine.dialect.name == "postgresql"  # services.outbound.lead_ahead
        prepared = partial(self._prepared, actor, staging, to, report=report)
        try:
            # the batches' connection keeps a larger cache meanwhile
            with bulk_cache(), PreparedBatches(unique, prepared, ahead) as batches:
                done = 0
                while (job := batches.take(pace.size)) is not None:
                    held = self._stored(actor, staging, lists, job)
                    checkpoints.after_batch()
                    done += len(job.batch)
                    if progress is not None:
                        progress(done, len(unique))
                    pace.after(held, len(job.batch), last=done >= len(unique))
                checkpoints.close()
            staging.show()
        except BaseException:
            checkpoints.close_after_failure()
            staging.discard()
            raise

    def _prepared(
        self,
        actor: Actor,
        staging: LeadStaging,
        to: Destination,
        batch: list[LeadDraft],
        *,
        report: ImportReport,
    ) -> LeadBatch:
        """One batch prepared outside the write lock (its checks read, its rows built)."""
        job = LeadBatch(self.db.engine.dialect, actor, self.clock(), report, staging.id)
        with self.db.connect() as reading:
            job.prepare(reading, to, batch)
        return job

    def _stored(
        self, actor: Actor, staging: LeadStaging, lists: _ListMaker, job: LeadBatch
    ) -> float:
        """The prepared batch stored in the write lock, staged; the seconds it held it."""
        began = time.perf_counter()
        with self.db.write(actor.operator_id, durable=False) as session:
            enlarge(session.connection())
            job.store(session.connection(), lists.in_(session, job.now))
            staging.touched(session.connection(), lists.list_id)
        return time.perf_counter() - began

    def _after_import(self, report: ImportReport) -> None:
        """The planner's statistics after a big import; the pick's time zones read again."""
        if report.added >= ANALYZE_AFTER:
            with self.db.connect() as connection:
                refresh_statistics(connection, "lead")
                connection.commit()
        if self.zones is not None:
            self.zones.invalidate()


class _Pace:
    """How many leads the next batch stores, and the pause after one (SQLite only)."""

    def __init__(self, sqlite: bool) -> None:
        self.sqlite = sqlite
        self.size = BATCH

    def after(self, held: float, stored: int, *, last: bool) -> None:
        """After a batch that held the write lock ``held`` seconds: the next one sized to
        hold it about ``LOCK_SECONDS``, and a pause when this one held it longer."""
        if not self.sqlite or last:
            return
        per_second = stored / max(held, 0.001)
        self.size = min(BATCH, max(LEAST_BATCH, int(per_second * LOCK_SECONDS)))
        if held > LOCK_SECONDS:
            time.sleep(min(0.1, held / 5))


def _check_may_add(actor: Actor, temperature: str) -> None:
    if not actor.is_lead:
        raise PermissionDenied(_("Only a team lead adds leads to a campaign."))
    if temperature not in set(Temperature):
        raise ValidationFailed({"temperature": _("cold, warm or hot.")})


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


class _ListMaker:
    """The list the leads go to: the one of that name if the campaign has it, else made in
    the transaction that stores the first lead (an import that stores none makes none)."""

    def __init__(
        self,
        session: Session,
        campaign_id: uuid.UUID,
        name: str,
        source: str,
        temperature: str,
        actor: Actor,
    ) -> None:
        self.campaign_id = campaign_id
        self.name, self.source = name[: limits.LABEL], source[: limits.LABEL]
        self.temperature, self.actor = temperature, actor
        self.list_id: uuid.UUID | None = session.scalars(
            select(col(LeadList.id)).where(
                col(LeadList.campaign_id) == campaign_id, col(LeadList.name) == self.name
            )
        ).first()
        self.id = self.list_id or uuid.uuid4()  # the list's id, before it is made

    def in_(self, session: Session, now: datetime) -> Callable[[], uuid.UUID]:
        """The list's id, made in ``session`` at ``now`` when first asked for."""

        def list_id() -> uuid.UUID:
            if self.list_id is None:
                lead_list = LeadList(
                    id=self.id,
                    campaign_id=self.campaign_id,
                    name=self.name,
                    source=self.source,
                    temperature=self.temperature,
                    created_at=now,
                    created_by=self.actor.operator_id,
                )
                session.add(lead_list)
                session.flush()
                self.list_id = lead_list.id
            return self.list_id

        return list_id
