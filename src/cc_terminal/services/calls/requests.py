"""Requests: registered on a call, routed to a department, due by the category's
service-level target counted in the department's working hours (request_due.py), and
moved open -> forwarded -> resolved -> closed (or reopened). Every step is a stored event
with who, when and a note."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import (
    Customer,
    ListKind,
    Operator,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
)
from cc_terminal.services.calls.request_due import IN_QUEUE, FloorHours
from cc_terminal.services.common.audit import refusals_audited
from cc_terminal.services.common.errors import ConflictError, NotFound, PermissionDenied
from cc_terminal.services.common.reference import ReferenceLists, lists_in
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.services.common.working_hours import WorkingHours, overdue_cutoff
from cc_terminal.store.database import Database

S = RequestStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.FORWARDED, S.RESOLVED}),
    S.FORWARDED: frozenset({S.FORWARDED, S.RESOLVED}),
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset({S.FORWARDED, S.RESOLVED}),
}
MAX_DUE_AHEAD = timedelta(days=366)


@dataclass(frozen=True)
class RequestDraft:
    customer_id: uuid.UUID
    category: str
    summary: str
    department: str = ""  # empty: the category's department
    due_at: datetime | None = None  # None: now plus the category's target
    call_id: uuid.UUID | None = None


@dataclass(frozen=True)
class RequestView:
    id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    category: str
    department: str
    summary: str
    status: str
    due_at: datetime
    created_at: datetime
    created_by: str
    version: int
    hours: WorkingHours | None = None  # its department's; None: every moment counts

    def overdue(self, now: datetime) -> bool:
        """Still in the queue, and working time has passed since it fell due."""
        cutoff = now if self.hours is None else overdue_cutoff(now, self.hours)
        return self.status in IN_QUEUE and self.due_at < cutoff


@dataclass(frozen=True)
class RequestStep:
    at: datetime
    from_status: str
    to_status: str
    department: str
    note: str
    actor_name: str


@refusals_audited
class RequestService:
    def __init__(
        self, db: Database, clock: Callable[[], datetime], floor: FloorHours | None = None
    ) -> None:
        self.db = db
        self.clock = clock
        self.floor = floor or FloorHours()

    def default_due(
        self, lists: ReferenceLists, category: str, department: str = ""
    ) -> datetime | None:
        """When a request of this category registered now falls due, in the working
        hours of the department (empty: the category's)."""
        return self.floor.due(lists, category, department, self.clock())

    def overdue_count(self, actor: Actor) -> int:
        """A team lead's alert: the overdue requests of their department (of every one
        when they have none). Others have none: their queue marks them."""
        if not actor.is_lead:
            return 0
        with self.db.read() as session:
            return self.floor.overdue_count(session, lists_in(session), actor, self.clock())

    def create(self, actor: Actor, draft: RequestDraft) -> RequestView:
        now = self.clock()
        form = FormErrors()
        summary = form.text("summary", draft.summary, limits.REQUEST_SUMMARY, required=True)
        with self.db.write(actor.operator_id) as session:
            lists = lists_in(session)
            category = lists.find(ListKind.REQUEST_CATEGORY, draft.category)
            if not draft.category:
                form.add("category", _("Choose what kind of request this is."))
            elif category is None or not category.active:
                form.add("category", _("Unknown category: {code}.").format(code=draft.category))
            department = draft.department or (category.department if category else "")
            _check_department(form, lists, department)
            due_at = draft.due_at
            if due_at is None and category is not None and category.sla_minutes:
                # None: no working time reaches the target within the horizon
                found = self.floor.due(lists, category.code, department, now)
                due_at = found or now + MAX_DUE_AHEAD + timedelta(minutes=1)
            _check_due(form, due_at, now)
            form.customer_exists(session, draft.customer_id)
            form.raise_if_any()
            assert due_at is not None
            request = _add_request(session, actor, draft, summary, department, due_at, now)
            return _view(session, request, self.floor.of(lists, department))

    def transition(
        self,
        actor: Actor,
        request_id: uuid.UUID,
        to_status: str,
        note: str = "",
        *,
        department: str = "",
        expected_version: int | None = None,
    ) -> RequestView:
        """Move a request on. A lead may move any; an operator only their department's."""
        now = self.clock()
        form = FormErrors()
        note = form.text("note", note, limits.SHORT_NOTE)
        with self.db.write(actor.operator_id) as session:
            request = session.get(ServiceRequest, request_id)
            if request is None:
                raise NotFound(_("No such request."))
            _check_movable(actor, request, expected_version)
            target = _checked_move(form, session, request, to_status, department, note)
            form.raise_if_any()
            _move(session, actor, request, to_status, target, note, now)
            return _view(session, request, self.floor.of(lists_in(session), target))

    def queue(
        self, actor: Actor, department: str = "", *, everything: bool = False
    ) -> tuple[RequestView, ...]:
        """A department's requests by due time (still open ones unless ``everything``).
        An operator sees their own department's; a lead any (empty: every department)."""
        if not actor.is_lead:
            if department and department != actor.department:
                raise PermissionDenied(_("An operator sees only their own department's queue."))
            department = actor.department
        query = _SELECT.order_by(col(ServiceRequest.due_at)).limit(1000)
        if department:
            query = query.where(col(ServiceRequest.department) == department)
        if not everything:
            query = query.where(col(ServiceRequest.status).in_([s.value for s in IN_QUEUE]))
        with self.db.read() as session:
            lists = lists_in(session)
            return tuple(
                _row_view(row, self.floor.of(lists, row[0].department))
                for row in session.execute(query)
            )

    def get(self, actor: Actor, request_id: uuid.UUID) -> RequestView:
        """One request: for a team lead, its department, or whoever registered it."""
        with self.db.read() as session:
            row = session.execute(_SELECT.where(col(ServiceRequest.id) == request_id)).first()
            lists = lists_in(session)
        if row is None:
            raise NotFound(_("No such request."))
        _check_readable(actor, row[0])
        return _row_view(row, self.floor.of(lists, row[0].department))

    def history(self, actor: Actor, request_id: uuid.UUID) -> tuple[RequestStep, ...]:
        with self.db.read() as session:
            request = session.get(ServiceRequest, request_id)
        if request is None:
            raise NotFound(_("No such request."))
        _check_readable(actor, request)
        query = (
            select(RequestEvent, col(Operator.full_name))
            .join(Operator, col(Operator.id) == col(RequestEvent.actor_id))
            .where(col(RequestEvent.request_id) == request_id)
            .order_by(col(RequestEvent.at))
        )
        with self.db.read() as session:
            return tuple(
                RequestStep(e.at, e.from_status, e.to_status, e.department, e.note, name)
                for e, name in session.execute(query)
            )


def _check_readable(actor: Actor, request: ServiceRequest) -> None:
    """Another department's request stays with that department (its operators and the
    team leads); the operator who registered it on a call may follow it."""
    if actor.is_lead or request.department == actor.department:
        return
    if request.created_by == actor.operator_id:
        return
    raise PermissionDenied(
        _("This request belongs to the {department} department.").format(
            department=request.department
        )
    )


def _add_request(
    session: Session,
    actor: Actor,
    draft: RequestDraft,
    summary: str,
    department: str,
    due_at: datetime,
    now: datetime,
) -> ServiceRequest:
    """Store a new request and its opening step."""
    request = ServiceRequest(
        customer_id=draft.customer_id,
        call_id=draft.call_id,
        category=draft.category,
        department=department,
        summary=summary,
        due_at=due_at,
        created_by=actor.operator_id,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    session.flush()  # no ORM relationship tells the unit of work the order
    session.add(
        RequestEvent(
            request_id=request.id,
            to_status=S.OPEN.value,
            department=department,
            actor_id=actor.operator_id,
            at=now,
        )
    )
    session.flush()
    return request


def _check_movable(actor: Actor, request: ServiceRequest, expected_version: int | None) -> None:
    """Its department or a lead moves a request, and only as last seen."""
    if not actor.is_lead and actor.department != request.department:
        raise PermissionDenied(
            _("Only the {department} department or a team lead moves this request.").format(
                department=request.department
            )
        )
    if expected_version is not None and request.version != expected_version:
        raise ConflictError(_("Someone else moved this request meanwhile; look again."))


def _checked_move(
    form: FormErrors,
    session: Session,
    request: ServiceRequest,
    to_status: str,
    department: str,
    note: str,
) -> str:
    """Check the step (allowed from here, forwarded somewhere, reopened for a reason) and
    return the department the request goes to."""
    if to_status not in TRANSITIONS.get(request.status, frozenset()):
        form.add(
            "status",
            _("A {current} request cannot become {wanted}.").format(
                current=_(request.status), wanted=_(to_status)
            ),
        )
    target = request.department
    if to_status == S.FORWARDED:
        target = department
        if not department:
            form.add("department", _("Choose the department to forward it to."))
        else:
            _check_department(form, lists_in(session), department)
    if to_status == S.REOPENED and not note:
        form.add("note", _("Say why it is reopened."))
    return target


def _move(
    session: Session,
    actor: Actor,
    request: ServiceRequest,
    to_status: str,
    target: str,
    note: str,
    now: datetime,
) -> None:
    """Store the step and move the request."""
    session.add(
        RequestEvent(
            request_id=request.id,
            from_status=request.status,
            to_status=to_status,
            department=target,
            note=note,
            actor_id=actor.operator_id,
            at=now,
        )
    )
    request.status = to_status
    request.department = target
    request.updated_at = now
    request.version += 1
    session.flush()


_creator = aliased(Operator)
_SELECT = (
    select(ServiceRequest, col(Customer.full_name), col(_creator.full_name))
    .join(Customer, col(Customer.id) == col(ServiceRequest.customer_id))
    .join(_creator, col(_creator.id) == col(ServiceRequest.created_by))
)


def _view(session: Session, request: ServiceRequest, hours: WorkingHours) -> RequestView:
    return _row_view(
        session.execute(_SELECT.where(col(ServiceRequest.id) == request.id)).one(), hours
    )


def _row_view(row: Any, hours: WorkingHours) -> RequestView:
    request, customer_name, creator = row[0], row[1], row[2]
    return RequestView(
        id=request.id,
        customer_id=request.customer_id,
        customer_name=customer_name,
        category=request.category,
        department=request.department,
        summary=request.summary,
        status=request.status,
        due_at=request.due_at,
        created_at=request.created_at,
        created_by=creator,
        version=request.version,
        hours=hours,
    )


def _check_department(form: FormErrors, lists: ReferenceLists, department: str) -> None:
    if not lists.is_active(ListKind.DEPARTMENT, department):
        form.add("department", _("Unknown department: {code}.").format(code=department or "—"))


def _check_due(form: FormErrors, due_at: datetime | None, now: datetime) -> None:
    if due_at is None:
        form.add("due_at", _("Give a due time."))
    elif due_at.tzinfo is None:
        form.add("due_at", _("A due time must carry a timezone."))
    elif due_at <= now:
        form.add("due_at", _("The due time is already past."))
    elif due_at > now + MAX_DUE_AHEAD:
        form.add("due_at", _("The due time is more than a year away."))
