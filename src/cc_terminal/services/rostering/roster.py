"""The week's roster: staffing needs (set by hand, or proposed by Erlang C from the volume
the same weekdays had), solving with the requests (services/rostering/roster_solver.py), pinning
cells and solving again, publishing, and the published week for every operator, exported
as CSV or XLSX or printed on 80 columns."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.formats import short_day, weekday
from cc_terminal.i18n import _, ngettext, pgettext
from cc_terminal.models import Call, Operator
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.roster import (
    DayOffRequest,
    RosterCell,
    Shift,
    StaffingNeed,
)
from cc_terminal.services.common.audit import audited_file, refusals_audited
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.common.export_files import private_file, private_folder, write_table
from cc_terminal.services.common.views import Actor
from cc_terminal.services.rostering.erlang import Target, staffing
from cc_terminal.services.rostering.planning_reads import (
    monday_of,
    needs_of,
    rules_of,
    team_of,
)
from cc_terminal.services.rostering.roster_input import cells_of, roster_of, week_of
from cc_terminal.services.rostering.roster_solver import solve
from cc_terminal.services.rostering.roster_terms import (
    BUDGET,
    Solution,
    above_team,
    cell_word,
    erlang_detail,
)
from cc_terminal.store.database import Database

SHIFT_HOURS = {Shift.EARLY.value: (6, 14), Shift.LATE.value: (14, 22)}
HALF_HOUR = 1800
HISTORY_WEEKS = 4
PRINT_WIDTH = 80


@dataclass(frozen=True)
class DeniedRequest:
    """A day off the solved week could not grant: whose, which day, which shift ("" the
    whole day), and why."""

    operator_name: str
    day: date
    shift: str
    why: str


@dataclass(frozen=True)
class RosterView:
    week_start: date
    state: str  # "" (none yet), draft, published
    cells: dict[tuple[uuid.UUID, date], tuple[str, bool]]  # (shift or "", pinned)
    names: dict[uuid.UUID, str]
    explanations: dict[str, str]
    status: str
    denied: tuple[DeniedRequest, ...] = ()

    @property
    def days(self) -> list[date]:
        return [self.week_start + timedelta(days=n) for n in range(7)]


@dataclass(frozen=True)
class Proposal:
    day: date
    shift: str
    calls: float  # expected in the busiest half hour
    heads: int
    detail: str


@refusals_audited
class RosterService:
    def __init__(self, db: Database, timezone: str, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.zone = ZoneInfo(timezone)
        self.clock = clock

    # -- staffing needs ----------------------------------------------------------------

    def needs(self, week_start: date) -> dict[tuple[date, str], int]:
        with self.db.read() as session:
            return needs_of(session, week_start)

    def need_reasons(self, week_start: date) -> dict[tuple[date, str], str]:
        """Why each need is what it is: set by hand, by Erlang C (with its figures), or the
        floor's minimum."""
        with self.db.read() as session:
            rows = session.scalars(
                select(StaffingNeed).where(
                    col(StaffingNeed.day) >= week_start,
                    col(StaffingNeed.day) < week_start + timedelta(days=7),
                )
            )
            return {
                (row.day, row.shift): row.detail
                or (_("Erlang C") if row.source == "erlang" else _("set by a team lead"))
                for row in rows
            }

    def set_need(
        self, actor: Actor, day: date, shift: str, heads: int, source: str = "set", detail: str = ""
    ) -> None:
        _lead(actor)
        if shift not in SHIFT_HOURS:
            raise ValidationFailed({"shift": _("Early or late.")})
        with self.db.write(actor.operator_id) as session:
            team = len(team_of(session))
            if not 0 <= heads <= 500:
                raise ValidationFailed({"heads": _("0 to 500 heads.")})
            row = session.scalars(
                select(StaffingNeed).where(
                    col(StaffingNeed.day) == day, col(StaffingNeed.shift) == shift
                )
            ).first()
            if row is None:
                row = StaffingNeed(
                    day=day, shift=shift, heads=heads, set_by=actor.operator_id, set_at=self.clock()
                )
                session.add(row)
            else:
                row.version += 1
            row.heads, row.source, row.detail = (
                heads,
                source,
                detail or (above_team(team) if heads > team else ""),
            )
            row.set_by, row.set_at = actor.operator_id, self.clock()

    def expected_volume(self, day: date) -> dict[int, float]:
        """Calls per half hour (0 = 00:00-00:30) the same weekday had, on average over the
        last four weeks."""
        counts: dict[int, int] = defaultdict(int)
        with self.db.read() as session:
            for back in range(1, HISTORY_WEEKS + 1):
                past = day - timedelta(weeks=back)
                start = datetime.combine(past, time(), self.zone)
                query = select(col(Call.started_at)).where(
                    col(Call.started_at) >= start, col(Call.started_at) < start + timedelta(days=1)
                )
                for (started,) in session.execute(query):
                    local = started.astimezone(self.zone)
                    counts[local.hour * 2 + local.minute // 30] += 1
        return {slot: count / HISTORY_WEEKS for slot, count in counts.items()}

    def propose(
        self,
        actor: Actor,
        week_start: date,
        aht_seconds: float,
        target: Target | None = None,
        volume: Callable[[date], dict[int, float]] | None = None,
    ) -> list[Proposal]:
        """Heads per day and shift from Erlang C over the shift's busiest half hour, never
        below the floor the team lead set; stored as the week's needs."""
        _lead(actor)
        with self.db.read() as session:
            floor = rules_of(session).floor_heads
        proposals = []
        for day in (week_start + timedelta(days=n) for n in range(7)):
            per_slot = (volume or self.expected_volume)(day)
            for shift, (first, last) in SHIFT_HOURS.items():
                slots = [per_slot.get(slot, 0.0) for slot in range(first * 2, last * 2)]
                busiest = max(slots, default=0.0)
                needed = staffing(busiest, aht_seconds, HALF_HOUR, target or Target())
                heads = max(floor, needed.scheduled)
                detail = erlang_detail(busiest, needed.agents, needed.scheduled)
                proposals.append(Proposal(day, shift, busiest, heads, detail))
        for proposal in proposals:
            self.set_need(
                actor, proposal.day, proposal.shift, proposal.heads, "erlang", proposal.detail
            )
        return proposals

    # -- solving, pinning, publishing --------------------------------------------------

    def solve(
        self,
        actor: Actor,
        week_start: date,
        progress: Callable[[str], None] | None = None,
        budget: float = BUDGET,
    ) -> Solution:
        _lead(actor)
        week_start = monday_of(week_start)
        with self.db.read() as session:
            week = week_of(session, week_start, budget)
        solution = solve(week, progress)
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            roster = roster_of(session, week_start, create=True)
            assert roster is not None
            if roster.state == "published":
                raise ValidationFailed({"week": _("The week is published; file change requests.")})
            pinned = {(c.operator_id, c.day): c for c in cells_of(session, roster.id) if c.pinned}
            for cell in cells_of(session, roster.id):
                if not cell.pinned:
                    session.delete(cell)
            session.flush()  # the old cells go before the new ones come (a unique key)
            for (operator, day), shift in solution.cells.items():
                if (operator, day) not in pinned:
                    session.add(
                        RosterCell(roster_id=roster.id, operator_id=operator, day=day, shift=shift)
                    )
            roster.solved_at, roster.solved_by, roster.seed = now, actor.operator_id, week.seed
            roster.explanations = json.dumps(
                {str(k): v for k, v in solution.denied.items()}, ensure_ascii=False
            )
            roster.status = _status(solution)
            roster.version += 1
        return solution

    def pin(
        self, actor: Actor, week_start: date, operator_id: uuid.UUID, day: date, shift: str
    ) -> None:
        """Fix one cell by hand (a shift, or "" for off); the next solve keeps it."""
        _lead(actor)
        if shift not in ("", *SHIFT_HOURS):
            raise ValidationFailed({"shift": _("Early, late or off.")})
        week = monday_of(week_start)
        if not week <= day < week + timedelta(days=7):
            message = _("{day} is not in the week of {week:%d.%m.%Y}.")
            raise ValidationFailed({"day": message.format(day=short_day(day), week=week)})
        with self.db.write(actor.operator_id) as session:
            roster = roster_of(session, monday_of(week_start), create=True)
            assert roster is not None
            if roster.state == "published":
                raise ValidationFailed({"week": _("The week is published; file change requests.")})
            cell = session.scalars(
                select(RosterCell).where(
                    col(RosterCell.roster_id) == roster.id,
                    col(RosterCell.operator_id) == operator_id,
                    col(RosterCell.day) == day,
                )
            ).first()
            if cell is None:
                cell = RosterCell(roster_id=roster.id, operator_id=operator_id, day=day)
                session.add(cell)
            else:
                cell.version += 1
            cell.shift, cell.pinned = shift, True

    def publish(self, actor: Actor, week_start: date) -> None:
        _lead(actor)
        with self.db.write(actor.operator_id) as session:
            roster = roster_of(session, monday_of(week_start), create=False)
            if roster is None or roster.solved_at is None or not cells_of(session, roster.id):
                raise ValidationFailed({"week": _("Solve the week before publishing it.")})
            if roster.status.startswith("!"):
                raise ValidationFailed({"week": _("The week has no feasible roster yet.")})
            roster.state = "published"
            roster.published_at, roster.published_by = self.clock(), actor.operator_id
            roster.version += 1

    def view(self, actor: Actor, week_start: date) -> RosterView:
        """A lead sees the draft and the published week; an operator the published one."""
        week_start = monday_of(week_start)
        with self.db.read() as session:
            roster = roster_of(session, week_start, create=False)
            names = {row.id: row.full_name for row in team_of(session)}
            if roster is None or (roster.state != "published" and not actor.is_lead):
                return RosterView(week_start, "", {}, names, {}, "")
            cells = {
                (cell.operator_id, cell.day): (cell.shift, cell.pinned)
                for cell in cells_of(session, roster.id)
                if actor.is_lead or cell.operator_id == actor.operator_id
            }
            explanations = json.loads(roster.explanations)
            return RosterView(
                week_start,
                roster.state,
                cells,
                names,
                explanations,
                roster.status,
                _denied(session, explanations),
            )

    # -- export and print ------------------------------------------------------------

    def export(self, actor: Actor, week_start: date, path: Path) -> int:
        _lead(actor)
        view = self.view(actor, week_start)
        if view.state != "published":
            raise ValidationFailed({"week": _("Only a published week is exported.")})
        header = [_("operator"), *(day.isoformat() for day in view.days)]
        rows = [
            [
                name,
                *(cell_word(view.cells.get((operator, day), ("", False))[0]) for day in view.days),
            ]
            for operator, name in sorted(view.names.items(), key=lambda item: item[1])
        ]
        kind = path.suffix.lower().lstrip(".")
        if kind not in ("csv", "xlsx"):
            raise ValidationFailed({"path": _("A .csv or .xlsx file.")})
        with audited_file(
            self.db, actor, AuditKind.EXPORT, f"roster {week_start}", path
        ) as written:
            title = _("Week {day:%d.%m.%Y}").format(day=view.week_start)
            write_table(path, kind, header, rows, title)
            written.rows = len(rows)
        return len(rows)

    def write_week(self, actor: Actor, week_start: date, folder: Path) -> str:
        """The published week as CSV, XLSX and the printout, side by side in ``folder``;
        returns their common path without the suffix."""
        private_folder(folder)
        base = folder / f"roster-{monday_of(week_start).isoformat()}"
        self.export(actor, week_start, base.with_suffix(".csv"))
        self.export(actor, week_start, base.with_suffix(".xlsx"))
        printout = base.with_suffix(".txt")
        private_file(printout)
        printout.write_text(self.week_text(actor, week_start), encoding="utf-8")
        return str(base)

    def week_text(self, actor: Actor, week_start: date) -> str:
        """The published week in plain text no wider than 80 columns, for the wall."""
        view = self.view(actor, week_start)
        if view.state != "published":
            raise ValidationFailed({"week": _("Only a published week is printed.")})
        name_width = PRINT_WIDTH - 7 * 8 - 1
        marks = {"early": pgettext("shift mark", "E"), "late": pgettext("shift mark", "L"), "": "-"}
        lines = [
            _("Roster, week of {day:%d.%m.%Y}").format(day=view.week_start),
            _("{early} early 06-14, {late} late 14-22, - off").format(**marks),
            "",
            " " * name_width
            + " "
            + "".join(f"{weekday(day)} {day:%d}".ljust(8) for day in view.days),
        ]
        for operator, name in sorted(view.names.items(), key=lambda item: item[1]):
            cells = "".join(
                marks[view.cells.get((operator, day), ("", False))[0]].ljust(8) for day in view.days
            )
            lines.append(f"{name[:name_width]:<{name_width}} {cells}".rstrip())
        return "\n".join(lines) + "\n"


def _status(solution: Solution) -> str:
    if not solution.feasible:
        return "! " + " ".join(solution.problems)
    quality = _("optimal") if solution.optimal else _("the best found in the time limit")
    return ngettext(
        "{granted} request granted, {denied} not; {quality}",
        "{granted} requests granted, {denied} not; {quality}",
        len(solution.granted),
    ).format(granted=len(solution.granted), denied=len(solution.denied), quality=quality)


def _lead(actor: Actor) -> None:
    if not actor.is_lead:
        raise PermissionDenied(_("Only a team lead sets needs, solves and publishes the roster."))


__all__ = ["Proposal", "RosterService", "RosterView"]


def _denied(session: Session, explanations: dict[str, str]) -> tuple[DeniedRequest, ...]:
    """The explained requests with whose they are (named even if they left the team since),
    by day, then name."""
    ids = [uuid.UUID(key) for key in explanations]
    if not ids:
        return ()
    requests = session.execute(
        select(DayOffRequest, col(Operator.full_name))
        .join(Operator, col(Operator.id) == col(DayOffRequest.operator_id))
        .where(col(DayOffRequest.id).in_(ids))
    )
    denied = [DeniedRequest(name, r.day, r.shift, explanations[str(r.id)]) for r, name in requests]
    return tuple(sorted(denied, key=lambda d: (d.day, d.operator_name, d.shift)))
