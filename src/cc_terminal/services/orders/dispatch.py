"""Field teams and visit slots: which teams serve an address, their free slots soonest
first and nearest team first (straight-line distance from the register's coordinates), and
booking one. The database refuses a second booking of a slot (a partial unique index), so
of two operators booking the last slot at once one gets it and the other is offered the
next free one."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import AddressPoint, Customer
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.dispatch import FieldTeam, VisitBooking
from cc_terminal.services.common.audit import config_change, refusals_audited
from cc_terminal.services.common.errors import ConflictError, NotFound, PermissionDenied
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.calling_rules import WindowError, is_holiday, parse_window
from cc_terminal.store.database import Database

CODE = re.compile(r"^[a-z0-9_-]{1,40}$")
SEARCH_DAYS = 30


@dataclass(frozen=True)
class TeamDraft:
    code: str
    name: str
    municipalities: tuple[int, ...] = ()
    postal_prefixes: tuple[str, ...] = ()
    base_address_code: int | None = None
    working_days: str = "12345"
    slots: tuple[str, ...] = ("08:00-10:00", "10:00-12:00", "13:00-15:00", "15:00-17:00")
    active: bool = True


@dataclass(frozen=True, slots=True)
class FreeSlot:
    team_code: str
    team_name: str
    day: date
    slot: str
    distance_m: float | None  # None when the team or the address has no coordinates


@refusals_audited
class Dispatch:
    def __init__(self, db: Database, clock: Callable[[], datetime], timezone: str) -> None:
        self.db = db
        self.clock = clock
        self.zone = ZoneInfo(timezone)

    @config_change(AuditKind.CONFIG_TEAMS)
    def save_team(self, actor: Actor, draft: TeamDraft) -> None:
        """Add a team or change the one with this code (team leads)."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead sets up field teams."))
        form = FormErrors()
        if not CODE.match(draft.code):
            form.add("code", _("1 to 40 small letters, digits, - or _."))
        name = form.text("name", draft.name, limits.LABEL, required=True)
        if not draft.working_days or any(d not in "1234567" for d in draft.working_days):
            form.add("working_days", _("Weekday numbers, Monday 1 to Sunday 7: 12345."))
        slots = _checked_slots(form, draft.slots)
        if not (draft.municipalities or draft.postal_prefixes):
            form.add("area", _("Say which towns or postal codes the team serves."))
        if any(not (p.isdigit() and 1 <= len(p) <= 5) for p in draft.postal_prefixes):
            form.add("area", _("Postal-code prefixes are 1 to 5 digits."))
        with self.db.write(actor.operator_id) as session:
            base = None
            if draft.base_address_code is not None:
                base = session.get(AddressPoint, draft.base_address_code)
                if base is None:
                    form.add("base", _("No such address point in the register."))
            form.raise_if_any()
            query = select(FieldTeam).where(col(FieldTeam.code) == draft.code)
            row = session.scalars(query).first()
            if row is None:
                row = FieldTeam(code=draft.code, name=name)
                session.add(row)
            else:
                row.version += 1
            row.name = name
            row.municipalities = " ".join(str(code) for code in draft.municipalities)
            row.postal_prefixes = " ".join(draft.postal_prefixes)
            row.base_address_code = draft.base_address_code
            row.base_y, row.base_x = (base.y, base.x) if base else (None, None)
            row.working_days = "".join(sorted(set(draft.working_days)))
            row.slots = "\n".join(slots)
            row.active = draft.active

    def teams(self, *, active_only: bool = False) -> list[TeamDraft]:
        query = select(FieldTeam).order_by(col(FieldTeam.name))
        if active_only:
            query = query.where(col(FieldTeam.active))
        with self.db.read() as session:
            return [
                TeamDraft(
                    team.code,
                    team.name,
                    tuple(int(code) for code in team.municipalities.split()),
                    tuple(team.postal_prefixes.split()),
                    team.base_address_code,
                    team.working_days,
                    tuple(team.slots.split("\n")),
                    team.active,
                )
                for team in session.scalars(query)
            ]

    def free_slots(
        self, address_code: int, days: int = SEARCH_DAYS, *, limit: int | None = None
    ) -> list[FreeSlot]:
        """The free slots of the teams serving the address, from now on for ``days``,
        soonest first and nearest team first; with ``limit``, the first that many."""
        now = self.clock().astimezone(self.zone)
        with self.db.read() as session:
            point = session.get(AddressPoint, address_code)
            if point is None:
                raise NotFound(_("No such address point in the register."))
            teams = [team for team in _active_teams(session) if _serves(team, point)]
            if not teams:
                return []
            booked = _booked(session, teams, now.date(), now.date() + timedelta(days=days))
            plans = [_plan(team, point) for team in teams]
        free: list[FreeSlot] = []
        for offset in range(days + 1):
            day = now.date() + timedelta(days=offset)
            if is_holiday(day):
                continue
            started_by = now.time() if offset == 0 else None
            free.extend(_free_on(day, started_by, plans, booked))
            if limit is not None and len(free) >= limit:
                return free[:limit]
        return free

    def serves(self, address_code: int) -> bool:
        """Whether any team in use serves the address (no free slot or no team at all?)."""
        with self.db.read() as session:
            point = session.get(AddressPoint, address_code)
            return point is not None and any(_serves(t, point) for t in _active_teams(session))

    def offered(self, address_code: int, wanted: FreeSlot) -> bool:
        """Whether the slot is still free for this address (serves it, not past, not taken)."""
        days = (wanted.day - self.clock().astimezone(self.zone).date()).days
        if days < 0:
            return False
        return any(_same(wanted, free) for free in self.free_slots(address_code, days))

    def book(
        self,
        actor: Actor,
        team_code: str,
        day: date,
        slot: str,
        customer_id: uuid.UUID,
        address_code: int,
        note: str = "",
    ) -> uuid.UUID:
        """Book a free slot; a slot someone else has just taken is refused with the next
        free one named."""
        wanted = FreeSlot(team_code, "", day, slot, None)
        try:
            with self.db.write(actor.operator_id) as session:
                if session.get(Customer, customer_id) is None:
                    raise NotFound(_("No such customer."))
                return self.book_in(session, actor, wanted, customer_id, address_code, note)
        except IntegrityError:
            raise ConflictError(self.taken(address_code)) from None

    def book_in(
        self,
        session: Session,
        actor: Actor,
        wanted: FreeSlot,
        customer_id: uuid.UUID,
        address_code: int,
        note: str = "",
        order_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        """Book inside the caller's transaction; the flush raises IntegrityError when
        another terminal took the slot a moment ago."""
        team = session.scalars(
            select(FieldTeam).where(col(FieldTeam.code) == wanted.team_code)
        ).first()
        if team is None:
            raise NotFound(_("No field team {code}.").format(code=wanted.team_code))
        if not self.offered(address_code, wanted):
            raise ConflictError(self.taken(address_code))
        booking = VisitBooking(
            team_id=team.id,
            day=wanted.day,
            slot=wanted.slot,
            customer_id=customer_id,
            address_code=address_code,
            booked_by=actor.operator_id,
            booked_at=self.clock(),
            note=note[: limits.SHORT_NOTE],
            order_id=order_id,
        )
        session.add(booking)
        session.flush()
        return booking.id

    def taken(self, address_code: int) -> str:
        following = self.free_slots(address_code, limit=1)
        if not following:
            return _("That slot is taken and no team has a free slot in the next 30 days.")
        first = following[0]
        return _("That slot is taken. The next free one: {team}, {day} {slot}.").format(
            team=first.team_name, day=first.day.strftime("%d.%m."), slot=first.slot
        )


# A team as the slot search needs it: code, name, working days, distance, slots and starts.
_Plan = tuple[str, str, str, float | None, list[tuple[str, time]]]


def _plan(team: FieldTeam, point: AddressPoint) -> _Plan:
    return (team.code, team.name, team.working_days, _distance(team, point), _starts(team.slots))


def _booked(
    session: Session, teams: list[FieldTeam], first: date, last: date
) -> set[tuple[str, date, str]]:
    """The teams' booked slots between the two days, as (team code, day, slot)."""
    # Plain tuples keyed by the team's code: the search runs for every slot of every team
    # and day, so no ORM attribute or UUID is touched inside it.
    return {
        (code, day, slot)
        for code, day, slot in session.connection().execute(
            select(col(FieldTeam.code), col(VisitBooking.day), col(VisitBooking.slot))
            .join(FieldTeam, col(FieldTeam.id) == col(VisitBooking.team_id))
            .where(
                col(VisitBooking.day) >= first,
                col(VisitBooking.day) <= last,
                col(VisitBooking.status) == "booked",
                col(FieldTeam.code).in_([team.code for team in teams]),
            )
        )
    }


def _free_on(
    day: date, started_by: time | None, plans: list[_Plan], booked: set[tuple[str, date, str]]
) -> list[FreeSlot]:
    """The day's free slots, by slot and then nearest team first; with ``started_by``
    (today), only the slots that start later."""
    weekday = str(day.isoweekday())
    free: list[FreeSlot] = []
    for code, name, working_days, distance, starts in plans:
        if weekday not in working_days:
            continue
        for slot, start in starts:
            if started_by is not None and start <= started_by:
                continue
            if (code, day, slot) not in booked:
                free.append(FreeSlot(code, name, day, slot, distance))
    far = float("inf")
    free.sort(key=lambda s: (s.slot, far if s.distance_m is None else s.distance_m))
    return free


def _same(wanted: FreeSlot, free: FreeSlot) -> bool:
    return (wanted.team_code, wanted.day, wanted.slot) == (free.team_code, free.day, free.slot)


def _active_teams(session: Session) -> list[FieldTeam]:
    query = select(FieldTeam).where(col(FieldTeam.active)).order_by(col(FieldTeam.code))
    return list(session.scalars(query))


def _serves(team: FieldTeam, point: AddressPoint) -> bool:
    if str(point.municipality_code) in team.municipalities.split():
        return True
    return any(point.postal_code.startswith(prefix) for prefix in team.postal_prefixes.split())


def _distance(team: FieldTeam, point: AddressPoint) -> float | None:
    if None in (team.base_y, team.base_x, point.y, point.x):
        return None
    return math.hypot(team.base_y - point.y, team.base_x - point.x)  # type: ignore[operator]


def _starts(slots: str) -> list[tuple[str, time]]:
    starts = []
    for slot in slots.split("\n"):
        window = parse_window(slot)
        if window is not None:
            starts.append((slot, window.start))
    return starts


def _checked_slots(form: FormErrors, slots: tuple[str, ...]) -> list[str]:
    kept = []
    for slot in slots:
        try:
            window = parse_window(slot)
        except WindowError as error:
            form.add("slots", f"{slot}: {error}")
            continue
        if window is not None:
            kept.append(f"{window.start:%H:%M}-{window.end:%H:%M}")
    if not kept and "slots" not in form.errors:
        form.add("slots", _("At least one visit slot, such as 08:00-10:00."))
    return kept
