"""Reading orders: the list with its filters and search, one order with its steps, and the
misses of each field team over a period."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, case, func, select
from sqlmodel import col

from cc_terminal.i18n import _
from cc_terminal.models import (
    Customer,
    CustomerOrder,
    FieldTeam,
    Operator,
    OrderEvent,
    OrderStatus,
    VisitBooking,
)
from cc_terminal.services.calls.search import CustomerSearch
from cc_terminal.services.common.errors import NotFound
from cc_terminal.store.database import Database

LIST_LIMIT = 500
SEARCH_CUSTOMERS = 200
NUMBER = re.compile(r"^(?:[oO]-)?[0-9A-Fa-f]{4,8}$")
OPEN = (
    OrderStatus.DRAFT,
    OrderStatus.SUBMITTED,
    OrderStatus.SCHEDULED,
    OrderStatus.IN_PROGRESS,
    OrderStatus.MISSED,
    OrderStatus.RESCHEDULED,
)


@dataclass(frozen=True)
class OrderFilter:
    kind: str = ""
    status: str = ""  # "open": every status still to be worked
    day_from: date | None = None  # created, or the visit day when there is one
    day_to: date | None = None
    team: str = ""  # a team's code
    mine_of: uuid.UUID | None = None  # only the orders this operator took
    text: str = ""  # the number, the customer's name or the address


@dataclass(frozen=True)
class OrderRow:
    id: uuid.UUID
    number: str
    kind: str
    status: str
    customer_id: uuid.UUID
    customer_name: str
    address: str
    team_name: str
    visit_day: date | None
    visit_slot: str
    amount_minor: int | None
    currency: str
    priority: bool
    created_at: datetime
    created_by: uuid.UUID


@dataclass(frozen=True)
class OrderStep:
    at: datetime
    from_status: str
    to_status: str
    note: str
    operator_name: str


@dataclass(frozen=True)
class OrderDetail:
    row: OrderRow
    values: dict[str, str]
    lines: tuple[object, ...]  # priced lines (dicts); a draft's typed (code, quantity) pairs
    address_code: int | None
    address_override: str
    read_back: str
    checklist: tuple[str, ...]
    counts_as_success: bool
    steps: tuple[OrderStep, ...]
    version: int


@dataclass(frozen=True)
class TeamMisses:
    team_code: str
    team_name: str
    visits: int
    missed: int

    @property
    def share(self) -> float:
        return self.missed / self.visits if self.visits else 0.0


_ROW = (
    select(
        col(CustomerOrder.id),
        col(CustomerOrder.number),
        col(CustomerOrder.kind),
        col(CustomerOrder.status),
        col(CustomerOrder.customer_id),
        col(Customer.full_name),
        col(CustomerOrder.address_text),
        func.coalesce(col(FieldTeam.name), ""),
        col(CustomerOrder.visit_day),
        col(CustomerOrder.visit_slot),
        col(CustomerOrder.amount_minor),
        col(CustomerOrder.currency),
        col(CustomerOrder.priority),
        col(CustomerOrder.created_at),
        col(CustomerOrder.created_by),
    )
    .join(Customer, col(Customer.id) == col(CustomerOrder.customer_id))
    .outerjoin(FieldTeam, col(FieldTeam.id) == col(CustomerOrder.team_id))
)


class OrderBook:
    def __init__(self, db: Database, search: CustomerSearch) -> None:
        self.db = db
        self.search = search

    def orders(self, wanted: OrderFilter, limit: int = LIST_LIMIT) -> list[OrderRow]:
        """Priority first, then newest first. The text is an order's number, or what finds
        its customer in the caller search (name, street, town, e-mail)."""
        filters = _filters(wanted)
        typed = wanted.text.strip()
        if NUMBER.match(typed):
            number = typed.upper()
            filters.append(
                col(CustomerOrder.number).startswith(
                    number if number.startswith("O-") else f"O-{number}"
                )
            )
        elif typed:
            hits = self.search.search(typed, limit=SEARCH_CUSTOMERS)
            filters.append(col(CustomerOrder.customer_id).in_([hit.id for hit in hits]))
        query = _ROW.where(*filters).order_by(
            col(CustomerOrder.priority).desc(), col(CustomerOrder.created_at).desc()
        )
        with self.db.read() as session:
            return [OrderRow(*row) for row in session.execute(query.limit(limit))]

    def detail(self, order_id: uuid.UUID) -> OrderDetail:
        with self.db.read() as session:
            row = session.execute(_ROW.where(col(CustomerOrder.id) == order_id)).first()
            order = session.get(CustomerOrder, order_id)
            if row is None or order is None:
                raise NotFound(_("No such order."))
            steps = session.execute(
                select(
                    col(OrderEvent.at),
                    col(OrderEvent.from_status),
                    col(OrderEvent.to_status),
                    col(OrderEvent.note),
                    col(Operator.full_name),
                )
                .join(Operator, col(Operator.id) == col(OrderEvent.actor_id))
                .where(col(OrderEvent.order_id) == order_id)
                .order_by(col(OrderEvent.seq))
            ).all()
            return OrderDetail(
                OrderRow(*row),
                json.loads(order.values),
                tuple(json.loads(order.lines)),
                order.address_code,
                order.address_override,
                order.read_back,
                tuple(line for line in order.checklist.split("\n") if line),
                order.counts_as_success,
                tuple(OrderStep(*step) for step in steps),
                order.version,
            )

    def misses(self, day_from: date, day_to: date) -> list[TeamMisses]:
        """Each team's visits in the period (the missed ones too, not the cancelled) and how
        many it missed, the worst first."""
        missed_count = func.sum(case((col(VisitBooking.status) == "missed", 1), else_=0))
        query = (
            select(col(FieldTeam.code), col(FieldTeam.name), func.count(), missed_count)
            .join(VisitBooking, col(VisitBooking.team_id) == col(FieldTeam.id))
            .where(
                col(VisitBooking.day) >= day_from,
                col(VisitBooking.day) <= day_to,
                col(VisitBooking.status) != "cancelled",
            )
            .group_by(col(FieldTeam.code), col(FieldTeam.name))
        )
        with self.db.read() as session:
            rows = [
                TeamMisses(code, name, int(n), int(m or 0))
                for code, name, n, m in session.execute(query)
            ]
        return sorted(rows, key=lambda row: (-row.missed, -row.share, row.team_code))


def _filters(wanted: OrderFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if wanted.kind:
        found.append(col(CustomerOrder.kind) == wanted.kind)
    if wanted.status == "open":
        found.append(col(CustomerOrder.status).in_([status.value for status in OPEN]))
    elif wanted.status:
        found.append(col(CustomerOrder.status) == wanted.status)
    day = func.coalesce(col(CustomerOrder.visit_day), func.date(col(CustomerOrder.created_at)))
    if wanted.day_from is not None:
        found.append(day >= wanted.day_from)
    if wanted.day_to is not None:
        found.append(day <= wanted.day_to)
    if wanted.team:
        found.append(col(FieldTeam.code) == wanted.team)
    if wanted.mine_of is not None:
        found.append(col(CustomerOrder.created_by) == wanted.mine_of)
    return found
