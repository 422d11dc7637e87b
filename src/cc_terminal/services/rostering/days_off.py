"""Days off: the operator's weekly form and the team lead's decisions.

States (TALLY_PAY_ROSTER.md): draft -> submitted -> approved | rejected (with a reason) |
waitlisted (-> approved | expired); the operator cancels a submitted, waitlisted or future
approved request; the lead revokes an approved one with a reason. Every transition is a
``DayOffEvent`` with who, when and why. A cancellation that frees room approves the
waitlisted requests of that day by itself, as long as every shift keeps its heads."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import N_, _
from cc_terminal.models import Operator
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.roster import (
    DayOffEvent,
    DayOffRequest,
    RequestState,
    Shift,
)
from cc_terminal.services.common.audit import config_change, refusals_audited
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.services.rostering.day_off_moves import (
    apply_to_published,
    approve_waitlisted,
    event,
    move,
    published,
)
from cc_terminal.services.rostering.planning_reads import (
    ACTIVE,
    Coverage,
    Fairness,
    coverage_of,
    fairness_of,
    monday_of,
    rules_of,
    team_names,
)
from cc_terminal.services.rostering.planning_rules import PlanningRules
from cc_terminal.store.database import Database

S = RequestState
OPERATOR_CANCELS = frozenset({S.DRAFT, S.SUBMITTED, S.WAITLISTED, S.APPROVED})
LEAD_DECIDES = frozenset({S.SUBMITTED, S.WAITLISTED})
FAIRNESS_WEEKS = 8
STATE_LABELS = {
    S.DRAFT: N_("draft"),
    S.SUBMITTED: N_("submitted"),
    S.APPROVED: N_("approved"),
    S.REJECTED: N_("rejected"),
    S.WAITLISTED: N_("waitlisted"),
    S.EXPIRED: N_("expired"),
    S.CANCELLED: N_("cancelled"),
    S.REVOKED: N_("revoked"),
}


@dataclass(frozen=True)
class RequestView:
    id: uuid.UUID
    operator_id: uuid.UUID
    operator_name: str
    day: date
    shift: str
    priority: int
    note: str
    state: RequestState
    reason: str
    late: bool
    change: bool


@refusals_audited
class DaysOff:
    def __init__(self, db: Database, timezone: str, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.zone = ZoneInfo(timezone)
        self.clock = clock

    def today(self) -> date:
        return self.clock().astimezone(self.zone).date()

    def window(self) -> tuple[date, date]:
        """The days requests are for: next week and the week after."""
        start = monday_of(self.today()) + timedelta(days=7)
        return start, start + timedelta(days=13)

    def cutoff(self, week_start: date) -> datetime:
        """Requests for the week starting ``week_start`` are due before this moment."""
        with self.db.read() as session:
            rules = rules_of(session)
        hours, minutes = (int(part) for part in rules.cutoff_time.split(":"))
        day = week_start - timedelta(days=7) + timedelta(days=rules.cutoff_weekday)
        return datetime.combine(day, time(hours, minutes), self.zone)

    # -- the operator's form ----------------------------------------------------------

    def file(
        self, actor: Actor, day: date, shift: str = "", priority: int = 2, note: str = ""
    ) -> uuid.UUID:
        """A draft request for a day (or one shift of it) in the planning window."""
        form = FormErrors()
        _check_request(form, self.window(), day, shift, priority)
        note = form.text("note", note, limits.SHORT_NOTE)
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            clash = _active_request(session, actor.operator_id, day)
            if clash is not None:
                message = _("You asked for this day already ({state}).")
                form.add("day", message.format(state=_(STATE_LABELS[S(clash.state)])))
            form.raise_if_any()
            request = DayOffRequest(
                operator_id=actor.operator_id,
                day=day,
                shift=shift,
                priority=priority,
                note=note,
                created_at=now,
                updated_at=now,
            )
            session.add(request)
            session.flush()
            event(session, request, "", S.DRAFT, actor, now, "")
        return request.id

    def submit(self, actor: Actor, request_ids: Iterable[uuid.UUID]) -> int:
        """Drafts become submitted; after the week's cutoff they are late, for the lead."""
        now = self.clock()
        count = 0
        with self.db.write(actor.operator_id) as session:
            for request in self._own(session, actor, request_ids):
                if request.state != S.DRAFT:
                    continue
                request.late = now >= self.cutoff(monday_of(request.day))
                request.change = published(session, monday_of(request.day))
                move(session, request, S.SUBMITTED, actor, now, "")
                count += 1
        return count

    def cancel(self, actor: Actor, request_id: uuid.UUID) -> None:
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            (request,) = self._own(session, actor, [request_id])
            if request.state not in OPERATOR_CANCELS or request.day <= self.today():
                raise ValidationFailed(
                    {"state": _("Only a request still to come can be cancelled.")}
                )
            freed = request.state == S.APPROVED
            move(session, request, S.CANCELLED, actor, now, "")
            if freed:
                approve_waitlisted(session, request.day, actor, now)

    def mine(self, actor: Actor) -> list[RequestView]:
        first, last = self.window()
        self._expire_due(actor)
        with self.db.read() as session:
            query = select(DayOffRequest).where(
                col(DayOffRequest.operator_id) == actor.operator_id,
                col(DayOffRequest.day) >= first - timedelta(days=7),
                col(DayOffRequest.day) <= last,
            )
            return [
                _view(row, actor.full_name)
                for row in session.scalars(query.order_by(col(DayOffRequest.day)))
            ]

    def reminder(self, actor: Actor, hours: int = 48) -> datetime | None:
        """The cutoff an operator is near without having filed for that week, if any."""
        if actor.is_lead:
            return None
        now = self.clock()
        for week_start in (self.window()[0], self.window()[0] + timedelta(days=7)):
            due = self.cutoff(week_start)
            if now < due <= now + timedelta(hours=hours) and not self.submitted_for(
                actor, week_start
            ):
                return due
        return None

    def submitted_for(self, actor: Actor, week_start: date) -> bool:
        with self.db.read() as session:
            return (
                session.scalars(
                    select(col(DayOffRequest.id)).where(
                        col(DayOffRequest.operator_id) == actor.operator_id,
                        col(DayOffRequest.day) >= week_start,
                        col(DayOffRequest.day) < week_start + timedelta(days=7),
                        col(DayOffRequest.state) != S.DRAFT.value,
                    )
                ).first()
                is not None
            )

    # -- the team lead ---------------------------------------------------------------

    def requests(self, actor: Actor, week_start: date) -> list[RequestView]:
        _require_lead(actor)
        self._expire_due(actor)
        with self.db.read() as session:
            names = team_names(session)
            query = select(DayOffRequest).where(
                col(DayOffRequest.day) >= week_start,
                col(DayOffRequest.day) < week_start + timedelta(days=7),
                col(DayOffRequest.state) != S.DRAFT.value,
                col(DayOffRequest.operator_id).in_(names),
            )
            order = (col(DayOffRequest.day), col(DayOffRequest.created_at))
            rows = session.scalars(query.order_by(*order))
            return [_view(row, names[row.operator_id]) for row in rows]

    def coverage(self, actor: Actor, week_start: date, extra: Iterable[uuid.UUID] = ()) -> Coverage:
        """Heads left per day and shift, with ``extra`` requests counted as approved: what
        approving them would do."""
        _require_lead(actor)
        with self.db.read() as session:
            return coverage_of(session, week_start, set(extra))

    def decide(
        self, actor: Actor, request_ids: Iterable[uuid.UUID], to: RequestState, reason: str = ""
    ) -> int:
        """Approve, reject (with a reason) or waitlist submitted and waitlisted requests."""
        _require_lead(actor)
        if to not in (S.APPROVED, S.REJECTED, S.WAITLISTED):
            raise ValidationFailed({"state": _("Approve, reject or waitlist.")})
        reason = reason.strip()
        if to is S.REJECTED and not reason:
            raise ValidationFailed({"reason": _("A rejection needs its reason.")})
        if len(reason) > limits.SHORT_NOTE:
            raise ValidationFailed(
                {"reason": _("At most {n} characters.").format(n=limits.SHORT_NOTE)}
            )
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            rows = [session.get(DayOffRequest, request_id) for request_id in request_ids]
            if any(row is None for row in rows):
                raise NotFound(_("No such request."))
            team = team_names(session)
            for row in rows:
                assert row is not None
                if row.operator_id not in team:
                    raise PermissionDenied(_("That operator is in another team lead's team."))
                if row.state not in LEAD_DECIDES:
                    raise ValidationFailed(
                        {
                            "state": _("{name}'s request is {state} already.").format(
                                name=team[row.operator_id], state=_(STATE_LABELS[S(row.state)])
                            )
                        }
                    )
                move(session, row, to, actor, now, reason)
                if to is S.APPROVED and row.change:
                    apply_to_published(session, row)
        return len(rows)

    def revoke(self, actor: Actor, request_id: uuid.UUID, reason: str) -> None:
        _require_lead(actor)
        if not reason.strip():
            raise ValidationFailed({"reason": _("A revocation needs its reason.")})
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            row = session.get(DayOffRequest, request_id)
            if row is None or row.state != S.APPROVED:
                raise ValidationFailed({"state": _("Only an approved request can be revoked.")})
            move(session, row, S.REVOKED, actor, now, reason.strip())

    def fairness(self, actor: Actor) -> dict[uuid.UUID, Fairness]:
        """Each operator's weekends off and requests denied over the last 8 weeks."""
        _require_lead(actor)
        since = monday_of(self.today()) - timedelta(weeks=FAIRNESS_WEEKS)
        with self.db.read() as session:
            return fairness_of(session, since, monday_of(self.today()))

    def history(self, actor: Actor, request_id: uuid.UUID) -> list[tuple[datetime, str, str, str]]:
        """Every transition: when, to what, who, why."""
        with self.db.read() as session:
            row = session.get(DayOffRequest, request_id)
            if row is None:
                raise NotFound(_("No such request."))
            if row.operator_id != actor.operator_id and not actor.is_lead:
                raise PermissionDenied(_("An operator sees only their own requests."))
            events = session.execute(
                select(DayOffEvent, col(Operator.full_name))
                .join(Operator, col(Operator.id) == col(DayOffEvent.actor_id))
                .where(col(DayOffEvent.request_id) == request_id)
                .order_by(col(DayOffEvent.at))
            ).all()
            return [(event.at, event.to_state, name, event.reason) for event, name in events]

    def rules(self) -> dict[str, int | str]:
        with self.db.read() as session:
            return PlanningRules.of(rules_of(session)).as_dict()

    @config_change(AuditKind.CONFIG_PLANNING)
    def set_rules(
        self,
        actor: Actor,
        cutoff_weekday: int,
        cutoff_time: str,
        floor_heads: int,
        contract_days: int,
        max_consecutive_days: int,
    ) -> None:
        _require_lead(actor)
        rules = PlanningRules(
            cutoff_weekday, cutoff_time, floor_heads, contract_days, max_consecutive_days
        )
        rules.check()
        with self.db.write(actor.operator_id) as session:
            rules.store(session, self.clock)

    # -- helpers ---------------------------------------------------------------------

    def _own(self, session: Session, actor: Actor, ids: Iterable[uuid.UUID]) -> list[DayOffRequest]:
        rows = []
        for request_id in ids:
            row = session.get(DayOffRequest, request_id)
            if row is None:
                raise NotFound(_("No such request."))
            if row.operator_id != actor.operator_id:
                raise PermissionDenied(_("Only the operator files and cancels their own requests."))
            rows.append(row)
        return rows

    def _expire_due(self, actor: Actor) -> None:
        """Waitlisted requests whose day came without room: expired (a write only when
        there are some, so reading the form never waits for the write lock)."""
        now = self.clock()
        stale = select(DayOffRequest).where(
            col(DayOffRequest.state) == S.WAITLISTED.value,
            col(DayOffRequest.day) <= now.astimezone(self.zone).date(),
        )
        with self.db.read() as session:
            if session.scalars(stale).first() is None:
                return
        with self.db.write(actor.operator_id) as session:
            for row in session.scalars(stale):
                move(session, row, S.EXPIRED, actor, now, _("the day came with no room"))


def _check_request(
    form: FormErrors, window: tuple[date, date], day: date, shift: str, priority: int
) -> None:
    """A day of the planning window, the whole day or one shift, priority 1 to 3."""
    first, last = window
    if not first <= day <= last:
        message = _("Only days of the next two weeks: {first:%d.%m.} to {last:%d.%m.%Y}.")
        form.add("day", message.format(first=first, last=last))
    if shift not in ("", *(s.value for s in Shift)):
        form.add("shift", _("The whole day, early or late."))
    if priority not in (1, 2, 3):
        form.add("priority", _("Priority 1 (must), 2 or 3."))


def _active_request(session: Session, operator_id: uuid.UUID, day: date) -> DayOffRequest | None:
    """The operator's request for the day still in play, if there is one."""
    return session.scalars(
        select(DayOffRequest).where(
            col(DayOffRequest.operator_id) == operator_id,
            col(DayOffRequest.day) == day,
            col(DayOffRequest.state).in_([s.value for s in ACTIVE]),
        )
    ).first()


def _view(row: DayOffRequest, name: str) -> RequestView:
    return RequestView(
        row.id,
        row.operator_id,
        name,
        row.day,
        row.shift,
        row.priority,
        row.note,
        S(row.state),
        row.reason,
        row.late,
        row.change,
    )


def _require_lead(actor: Actor) -> None:
    if not actor.is_lead:
        raise PermissionDenied(_("Only a team lead decides days off and rosters."))
