"""What the retention job erases for the "call notes" and "chat transcripts" kinds: the
free text written about a contact once it is older than the floor keeps it. Each purger
blanks its fields the way the data protection erasure does (services/privacy/erasure.py)
and leaves every figure: times, durations, outcomes, amounts, lines, statuses, tallies.
Orders and requests lose their text only once they are finished, so work still open
keeps what it needs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from cc_terminal.models import (
    ERASED_NAME,
    Call,
    Conversation,
    ConversationMessage,
    ConversationState,
    CustomerOrder,
    Escalation,
    EscalationStep,
    LeadAttempt,
    Offer,
    OrderEvent,
    OrderStatus,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
    SyncConflict,
    VisitBooking,
)

# Blanks at most ``limit`` records older than the cutoff, in the caller's transaction (as
# ORM writes, so they are ops); returns how many it changed, and the caller repeats it
# until a batch comes back short, so a changed record must no longer match. A kind kept
# in files (attachments, recordings) also removes its files once their rows are blank.
Purger = Callable[[Session, datetime, int], int]

FINISHED_ORDERS = (OrderStatus.DONE.value, OrderStatus.CANCELLED.value)
FINISHED_REQUESTS = (RequestStatus.RESOLVED.value, RequestStatus.CLOSED.value)


def blank_older(model: type[SQLModel], when: Any, *where: Any, **blanks: str) -> Purger:
    """A purger that sets ``blanks`` on the rows of ``model`` whose ``when`` is before the
    cutoff and that still hold something in one of those fields."""

    def purge(session: Session, cutoff: datetime, limit: int) -> int:
        held = or_(*(col(getattr(model, field)) != blank for field, blank in blanks.items()))
        query = select(model).where(col(when) < cutoff, held, *where).limit(limit)
        rows = list(session.scalars(query))
        for row in rows:
            for field, blank in blanks.items():
                if getattr(row, field) != blank:
                    setattr(row, field, blank)
        if rows:  # a losing value sync kept for one of these fields is the same text
            session.execute(
                delete(SyncConflict).where(
                    col(SyncConflict.entity) == model.__tablename__,
                    col(SyncConflict.row_id).in_([str(row.id) for row in rows]),  # type: ignore[attr-defined]
                    col(SyncConflict.field).in_(list(blanks)),
                )
            )
        return len(rows)

    return purge


NOTE_PURGERS: tuple[Purger, ...] = (
    blank_older(Call, Call.started_at, notes=""),
    blank_older(Escalation, Escalation.raised_at, notes=""),
    blank_older(EscalationStep, EscalationStep.at, text=""),
    blank_older(Offer, Offer.offered_at, refusal_note=""),
    blank_older(LeadAttempt, LeadAttempt.at, note=""),
    blank_older(RequestEvent, RequestEvent.at, note=""),
    blank_older(OrderEvent, OrderEvent.at, note=""),
    blank_older(
        VisitBooking, VisitBooking.booked_at, col(VisitBooking.status) != "booked", note=""
    ),
    blank_older(
        ServiceRequest,
        ServiceRequest.updated_at,
        col(ServiceRequest.status).in_(FINISHED_REQUESTS),
        summary=ERASED_NAME,
    ),
    blank_older(
        CustomerOrder,
        CustomerOrder.updated_at,
        col(CustomerOrder.status).in_(FINISHED_ORDERS),
        address_text="",
        address_override="",
        values="{}",
        read_back="",
        checklist="",
    ),
)

# "Chat transcripts": every line's text, and a closed chat's contact (its times, outcome
# and call stay).
CHAT_PURGERS: tuple[Purger, ...] = (
    blank_older(ConversationMessage, ConversationMessage.at, text=""),
    blank_older(
        Conversation,
        Conversation.closed_at,
        col(Conversation.state) == ConversationState.CLOSED.value,
        visitor_contact="",
    ),
)
