"""When requests fall due and which are overdue, in their departments' working hours
(services/common/working_hours.py): the floor's time zone and its country's holidays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.models import ListKind, RequestStatus, ServiceRequest
from cc_terminal.services.common.reference import ReferenceLists
from cc_terminal.services.common.views import Actor
from cc_terminal.services.common.working_hours import (
    WorkingHours,
    due_at,
    overdue_cutoff,
    working_hours,
)

S = RequestStatus
IN_QUEUE = (S.OPEN, S.FORWARDED, S.REOPENED)


@dataclass(frozen=True)
class FloorHours:
    """Where the floor is: its time zone and the country whose holidays it keeps."""

    zone: str = "Europe/Prague"
    country: str = "CZ"

    def of(self, lists: ReferenceLists, department: str) -> WorkingHours:
        """A department's working hours (an unknown one: the default week)."""
        choice = lists.find(ListKind.DEPARTMENT, department)
        text = choice.working_hours if choice is not None else ""
        return working_hours(text or "", self.zone, self.country)

    def due(
        self, lists: ReferenceLists, category: str, department: str, start: datetime
    ) -> datetime | None:
        """When a request of the category registered at ``start`` falls due: its target
        counted in the department's (empty: the category's) working hours. None: the
        category has no target, or no working time reaches it within the horizon."""
        choice = lists.find(ListKind.REQUEST_CATEGORY, category)
        if choice is None or not choice.sla_minutes:
            return None
        return due_at(start, choice.sla_minutes, self.of(lists, department or choice.department))

    def overdue_count(
        self, session: Session, lists: ReferenceLists, actor: Actor, now: datetime
    ) -> int:
        """The requests overdue in the actor's department (every department when the
        actor has none)."""
        departments = (
            [actor.department]
            if actor.department
            else [choice.code for choice in lists.by_kind[ListKind.DEPARTMENT]]
        )
        return sum(
            _overdue_in(session, code, overdue_cutoff(now, self.of(lists, code)))
            for code in departments
        )


def _overdue_in(session: Session, department: str, cutoff: datetime) -> int:
    query = (
        select(func.count())
        .select_from(ServiceRequest)
        .where(col(ServiceRequest.department) == department)
        .where(col(ServiceRequest.status).in_([s.value for s in IN_QUEUE]))
        .where(col(ServiceRequest.due_at) < cutoff)
    )
    return int(session.execute(query).scalar_one())
