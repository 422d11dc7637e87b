"""Recording calls and the operator's figures for today, computed from the records."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import Call, ListKind
from cc_terminal.services.common.audit import refusals_audited
from cc_terminal.services.common.errors import ConflictError, PermissionDenied
from cc_terminal.services.common.reference import ReferenceLists, lists_in
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor, CallDraft, CallSummary, TodayStats
from cc_terminal.store.database import Database


@refusals_audited
class CallService:
    def __init__(self, db: Database, timezone: str, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.zone = ZoneInfo(timezone)
        self.clock = clock

    def record(self, actor: Actor, draft: CallDraft) -> CallSummary:
        """Store a finished call; talk runs from answer to end, wrap from end to now."""
        saved_at = self.clock()
        form = FormErrors()
        notes = form.text("notes", draft.notes, limits.NOTES)
        if draft.phone_e164 and not E164.fullmatch(draft.phone_e164):
            form.add("phone", _("Not a phone number in +420… form."))
        _check_times(form, draft, saved_at)
        answered = draft.answered_at or draft.started_at
        call = Call(
            id=draft.call_id,
            direction=draft.direction,
            channel=draft.channel,
            operator_id=actor.operator_id,
            customer_id=draft.customer_id,
            phone_e164=draft.phone_e164,
            started_at=draft.started_at,
            answered_at=draft.answered_at,
            ended_at=draft.ended_at,
            reason=draft.reason,
            outcome=draft.outcome,
            notes=notes,
            talk_seconds=_seconds(draft.ended_at - answered),
            wrap_seconds=_seconds(saved_at - draft.ended_at),
        )
        with self.db.write(actor.operator_id) as session:
            lists = lists_in(session)
            _check_choice(form, "reason", draft.reason, lists, ListKind.CALL_REASON)
            _check_choice(form, "outcome", draft.outcome, lists, ListKind.CALL_OUTCOME)
            form.customer_exists(session, draft.customer_id)
            form.raise_if_any()
            if session.get(Call, draft.call_id) is not None:
                raise ConflictError(_("This call was saved already."))
            session.add(call)
        return replace(call_summary(call), operator_name=actor.full_name)

    def today(self, actor: Actor, operator_id: uuid.UUID | None = None) -> TodayStats:
        """Calls handled since local midnight; an operator sees only their own."""
        operator_id = operator_id or actor.operator_id
        if operator_id != actor.operator_id and not actor.is_lead:
            raise PermissionDenied(_("Only a team lead sees another operator's figures."))
        since = self._local_midnight()
        query = (
            select(
                col(Call.outcome),
                func.count(),
                func.sum(col(Call.talk_seconds)),
                func.sum(col(Call.wrap_seconds)),
            )
            .where(col(Call.operator_id) == operator_id, col(Call.started_at) >= since)
            .group_by(Call.outcome)
        )
        with self.db.read() as session:
            rows = session.execute(query).all()
        return TodayStats(
            calls=sum(row[1] for row in rows),
            talk_seconds=sum(row[2] or 0 for row in rows),
            wrap_seconds=sum(row[3] or 0 for row in rows),
            by_outcome={row[0]: row[1] for row in rows},
        )

    def _local_midnight(self) -> datetime:
        local = self.clock().astimezone(self.zone)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _check_choice(
    form: FormErrors, field: str, code: str, lists: ReferenceLists, kind: ListKind
) -> None:
    if not code:
        form.add(field, _("Required."))
    elif not lists.is_active(kind, code):
        form.add(field, _("Unknown choice: {code}.").format(code=code))


E164 = re.compile(r"\+[1-9]\d{6,14}")


def _check_times(form: FormErrors, draft: CallDraft, saved_at: datetime) -> None:
    stamps = [draft.started_at, draft.answered_at, draft.ended_at]
    if any(stamp is not None and stamp.tzinfo is None for stamp in stamps):
        form.add("times", _("Times must carry a timezone."))
        return
    answered = draft.answered_at or draft.started_at
    if not draft.started_at <= answered <= draft.ended_at <= saved_at + timedelta(seconds=5):
        form.add("times", _("Call times are out of order."))


def _seconds(delta: timedelta) -> int:
    return max(0, round(delta.total_seconds()))


def call_summary(call: Call) -> CallSummary:
    return CallSummary(
        id=call.id,
        started_at=call.started_at,
        direction=call.direction,
        reason=call.reason,
        outcome=call.outcome,
        notes=call.notes,
        talk_seconds=call.talk_seconds,
        wrap_seconds=call.wrap_seconds,
    )
