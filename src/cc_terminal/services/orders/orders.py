"""The order desk: an order checked and read back, stored with its visit booked in the same
transaction, moved through its life (every step an event with who, when and why), and a
missed visit put right with one call: re-booked with the first free team, the client
flagged for priority, the apology in the ledger and a callback to confirm the new time."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import (
    Campaign,
    Customer,
    CustomerOrder,
    Lead,
    OrderEvent,
    OrderKind,
    OrderStatus,
    Product,
    VisitBooking,
)
from cc_terminal.services.calls.catalog import ProductItem
from cc_terminal.services.common.audit import refusals_audited
from cc_terminal.services.common.errors import ConflictError, NotFound, PermissionDenied
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.services.orders.dispatch import Dispatch, FreeSlot
from cc_terminal.services.orders.followups import loan_reminder, schedule_callback
from cc_terminal.services.orders.forms import prepare
from cc_terminal.services.orders.labels import status_label
from cc_terminal.services.orders.misses import callback_owner, check_missable
from cc_terminal.services.orders.readback import visit_text
from cc_terminal.services.orders.setup import extra_fields_of, loans_of
from cc_terminal.services.orders.values import OrderDraft, PreparedOrder, References
from cc_terminal.store.database import Database

S = OrderStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.SCHEDULED, S.CANCELLED}),
    S.SUBMITTED: frozenset({S.SCHEDULED, S.IN_PROGRESS, S.CANCELLED}),
    S.SCHEDULED: frozenset({S.IN_PROGRESS, S.MISSED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.DONE, S.CANCELLED}),
    S.MISSED: frozenset({S.RESCHEDULED, S.CANCELLED}),
    S.RESCHEDULED: frozenset({S.IN_PROGRESS, S.MISSED, S.CANCELLED}),
    S.DONE: frozenset(),
    S.CANCELLED: frozenset(),
}
VISIT_KINDS = frozenset({OrderKind.EQUIPMENT})

REBOOK_TRIES = 3
new_order_id = uuid.uuid4  # the number is its first 8 hex digits: unique without a counter


@dataclass(frozen=True)
class StoredOrder:
    id: uuid.UUID
    number: str
    status: str
    visit: str = ""  # the booked visit, as read to the client
    note: str = ""  # what else happened (a callback that could not be made)


@refusals_audited
class OrderDesk:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime],
        timezone: str,
        region: str,
        dispatch: Dispatch,
    ) -> None:
        self.db = db
        self.clock = clock
        self.zone = timezone
        self.region = region
        self.dispatch = dispatch

    # -- checking and storing ---------------------------------------------------------

    def prepare(self, draft: OrderDraft) -> PreparedOrder:
        """The order checked, priced, and put in one sentence; nothing is stored."""
        with self.db.read() as session:
            refs = self._references(session, draft)
        return prepare(draft, refs)

    def submit(self, actor: Actor, draft: OrderDraft) -> StoredOrder:
        """Store the order (a kept draft is finished); a visit is booked in the same
        transaction, so a slot taken meanwhile leaves nothing stored and names the next."""
        prepared = self.prepare(draft)
        now = self.clock()
        try:
            with self.db.write(actor.operator_id) as session:
                order = self._order_row(session, actor, draft, now)
                before = order.status
                _fill(order, prepared, now)
                order.counts_as_success = self._counts(session, draft)
                status = S.SUBMITTED
                visit = ""
                _event(session, order, before, status, actor, now)
                if draft.kind in VISIT_KINDS and draft.slot and draft.address:
                    self._book(session, actor, order, draft.slot)
                    visit = visit_text(draft.slot)
                    _event(session, order, status, S.SCHEDULED, actor, now, visit)
                    status = S.SCHEDULED
                order.status = status.value
                note = loan_reminder(session, actor, order, prepared.first_due, now, self.zone)
                return StoredOrder(order.id, order.number, order.status, visit, note)
        except IntegrityError:
            code = draft.address.code if draft.address else None
            raise ConflictError(self.dispatch.taken(code) if code else "") from None

    def keep_draft(self, actor: Actor, draft: OrderDraft) -> StoredOrder:
        """Keep what was typed as a draft, to finish later; only the customer must exist."""
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            order = self._order_row(session, actor, draft, now)
            new = order.status == S.DRAFT and order.version == 1 and order.read_back == ""
            order.values = json.dumps(dict(draft.values), ensure_ascii=False)
            order.lines = json.dumps([list(line) for line in draft.lines])
            if draft.address is not None:
                order.address_code = draft.address.code
                order.address_text = draft.address.text[: limits.LABEL * 2]
                order.address_override = draft.address.override_reason[: limits.SHORT_NOTE]
            order.updated_at = now
            if new and not session.scalar(
                select(col(OrderEvent.id)).where(col(OrderEvent.order_id) == order.id)
            ):
                _event(session, order, "", S.DRAFT, actor, now)
            return StoredOrder(order.id, order.number, order.status)

    # -- moving an order --------------------------------------------------------------

    def move(self, actor: Actor, order_id: uuid.UUID, to: OrderStatus, note: str = "") -> None:
        """One step of the order's life. Cancelling needs a reason and is for whoever took
        the order or a team lead; the field's steps (started, done) are anyone's."""
        note = note.strip()[: limits.SHORT_NOTE]
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            order = _get(session, order_id)
            if to.value not in TRANSITIONS[order.status]:
                raise ConflictError(
                    _("A {status} order cannot become {to}.").format(
                        status=status_label(order.status), to=status_label(to)
                    )
                )
            if to is S.CANCELLED:
                if not note:
                    form = FormErrors()
                    form.add("reason", _("Say why the order is cancelled."))
                    form.raise_if_any()
                if order.created_by != actor.operator_id and not actor.is_lead:
                    raise PermissionDenied(
                        _("Only whoever took the order or a team lead cancels it.")
                    )
                _release(session, order, "cancelled")
            if to is S.DONE:
                _release(session, order, "done")
            _event(session, order, order.status, to, actor, now, note)
            order.status = to.value
            order.updated_at = now
            order.version += 1

    def report_missed(self, actor: Actor, order_id: uuid.UUID, apology: str) -> StoredOrder:
        """The field team did not come: the miss is recorded against the team, the order is
        re-booked with the first free slot of any team serving the address, the client is
        flagged for priority, the apology goes in the ledger and a callback to confirm the
        new time is the order's operator's. Refused before the visit's slot has begun."""
        apology = apology.strip()[: limits.SHORT_NOTE]
        if not apology:
            form = FormErrors()
            form.add("apology", _("Write what you told the client."))
            form.raise_if_any()
        for _try in range(REBOOK_TRIES):
            with self.db.read() as session:
                order = _get(session, order_id)
                check_missable(order, self.clock(), ZoneInfo(self.zone))
                code = order.address_code
            if code is None:
                raise ConflictError(_("The order has no register address to send a team to."))
            free = self.dispatch.free_slots(code, limit=1)
            try:
                return self._missed(actor, order_id, apology, free[0] if free else None)
            except IntegrityError:
                continue  # another terminal took that slot a moment ago: the next one
        raise ConflictError(_("Every free slot was taken while booking; try again."))

    def _missed(
        self, actor: Actor, order_id: uuid.UUID, apology: str, slot: FreeSlot | None
    ) -> StoredOrder:
        now = self.clock()
        with self.db.write(actor.operator_id) as session:
            order = _get(session, order_id)
            check_missable(order, now, ZoneInfo(self.zone))
            _mark_missed(session, order, actor, now, apology)
            if slot is None:
                return StoredOrder(
                    order.id,
                    order.number,
                    order.status,
                    note=_("No team has a free slot in the next 30 days: call the client."),
                )
            return self._rebook(session, actor, order, slot, now)

    def _rebook(
        self, session: Session, actor: Actor, order: CustomerOrder, slot: FreeSlot, now: datetime
    ) -> StoredOrder:
        """Book the missed visit's new slot and plan the call that confirms it."""
        self._book(session, actor, order, slot)
        visit = visit_text(slot)
        _event(session, order, S.MISSED, S.RESCHEDULED, actor, now, visit)
        order.status = S.RESCHEDULED.value
        owner, note = callback_owner(session, order, actor)
        called = schedule_callback(
            session,
            owner,
            order.customer_id,
            now + timedelta(minutes=5),
            _("Confirm the new visit {visit} ({number}).").format(visit=visit, number=order.number),
            now,
        )
        if not called:
            note = _("The client has no phone: no callback was planned.")
        return StoredOrder(order.id, order.number, order.status, visit, note)

    # -- helpers ----------------------------------------------------------------------

    def _references(self, session: Session, draft: OrderDraft) -> References:
        customer = session.get(Customer, draft.customer_id)
        if customer is None:
            raise NotFound(_("No such customer."))
        catalogue = {
            row.code: ProductItem(
                row.code,
                row.name,
                row.kind,
                row.price_minor,
                row.currency,
                row.valid_from,
                row.valid_to,
            )
            for row in session.scalars(select(Product))
        }
        return References(
            customer.full_name,
            self.clock(),
            self.zone,
            self.region,
            catalogue,
            loans_of(session),
            extra_fields_of(session, draft.kind, active_only=True),
        )

    def _order_row(
        self, session: Session, actor: Actor, draft: OrderDraft, now: datetime
    ) -> CustomerOrder:
        if draft.order_id is not None:
            order = _get(session, draft.order_id)
            if order.status != S.DRAFT:
                raise ConflictError(_("This order was submitted already."))
            if order.created_by != actor.operator_id and not actor.is_lead:
                raise PermissionDenied(_("Only whoever kept the draft or a team lead finishes it."))
            order.version += 1
            return order
        if session.get(Customer, draft.customer_id) is None:
            raise NotFound(_("No such customer."))
        order_id = new_order_id()
        order = CustomerOrder(
            id=order_id,
            number=f"O-{order_id.hex[:8].upper()}",
            customer_id=draft.customer_id,
            kind=draft.kind.value,
            status=S.DRAFT.value,
            call_id=draft.call_id,
            lead_id=draft.lead_id,
            created_by=actor.operator_id,
            created_at=now,
            updated_at=now,
        )
        session.add(order)
        session.flush()
        return order

    def _counts(self, session: Session, draft: OrderDraft) -> bool:
        """A success for the tally: always from an incoming call, and from a lead where the
        lead's campaign says orders count."""
        if draft.lead_id is None:
            return True
        row = session.execute(
            select(col(Campaign.id), col(Campaign.order_success))
            .join(Lead, col(Lead.campaign_id) == col(Campaign.id))
            .where(col(Lead.id) == draft.lead_id)
        ).first()
        return bool(row is None or row[1])

    def _book(self, session: Session, actor: Actor, order: CustomerOrder, slot: FreeSlot) -> None:
        assert order.address_code is not None
        self.dispatch.book_in(
            session, actor, slot, order.customer_id, order.address_code, order.number, order.id
        )
        team_id = session.scalars(
            select(col(VisitBooking.team_id)).where(
                col(VisitBooking.order_id) == order.id, col(VisitBooking.status) == "booked"
            )
        ).one()
        order.team_id, order.visit_day, order.visit_slot = team_id, slot.day, slot.slot


def _fill(order: CustomerOrder, prepared: PreparedOrder, now: datetime) -> None:
    draft = prepared.draft
    assert draft.address is not None
    order.kind = draft.kind.value
    order.address_code = draft.address.code
    order.address_text = draft.address.text[: limits.LABEL * 2]
    order.address_override = draft.address.override_reason.strip()[: limits.SHORT_NOTE]
    order.values = json.dumps(prepared.values, ensure_ascii=False, sort_keys=True)
    order.lines = json.dumps([asdict(line) for line in prepared.lines], ensure_ascii=False)
    order.amount_minor = prepared.amount_minor
    order.currency = prepared.currency
    order.checklist = "\n".join(prepared.checklist)
    order.read_back = prepared.read_back
    order.updated_at = now


def _event(
    session: Session,
    order: CustomerOrder,
    before: str,
    after: str,
    actor: Actor,
    now: datetime,
    note: str = "",
) -> None:
    taken = session.scalar(
        select(func.count()).select_from(OrderEvent).where(col(OrderEvent.order_id) == order.id)
    )
    session.add(
        OrderEvent(
            order_id=order.id,
            seq=(taken or 0) + 1,
            from_status=before,
            to_status=str(after),
            note=note[: limits.SHORT_NOTE],
            actor_id=actor.operator_id,
            at=now,
        )
    )


def _mark_missed(
    session: Session, order: CustomerOrder, actor: Actor, now: datetime, apology: str
) -> None:
    """The visit was missed: its slot freed, the step stored, the order and its client
    flagged for priority."""
    _release(session, order, "missed")
    _event(session, order, order.status, S.MISSED, actor, now, apology)
    order.status = S.MISSED.value
    order.priority = True
    customer = session.get(Customer, order.customer_id)
    if customer is not None and not customer.priority:
        customer.priority = True
        customer.version += 1
    order.version += 1
    order.updated_at = now


def _release(session: Session, order: CustomerOrder, status: str) -> None:
    """The order's live booking ends (cancelled, missed or done): its slot is free again
    unless missed or done."""
    for booking in session.scalars(
        select(VisitBooking).where(
            col(VisitBooking.order_id) == order.id, col(VisitBooking.status) == "booked"
        )
    ):
        booking.status = status


def _get(session: Session, order_id: uuid.UUID) -> CustomerOrder:
    order = session.get(CustomerOrder, order_id)
    if order is None:
        raise NotFound(_("No such order."))
    return order
