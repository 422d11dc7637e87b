"""The floor board's reads: one query a kind of fact, each for every operator at once, in
one read transaction (services/phone/floor_board.py puts them together). They read the
durable shared records only: work sessions and pauses, saved calls, calls typed on F2 and
still open, held chats, phone calls, outbound attempts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.models import (
    Call,
    Campaign,
    Conversation,
    ConversationAssignment,
    ConversationState,
    Disposition,
    LeadAttempt,
    Operator,
    WorkPause,
    WorkSession,
)
from cc_terminal.models.floor import CallPresence
from cc_terminal.models.phone import EndReason, PhoneCall
from cc_terminal.services.phone.floor_views import CampaignToday, FloorState, PhoneToday

PEOPLE = ("operator", "lead")  # not the service identities (gateways, the phone)
HELD = (ConversationState.ASSIGNED.value, ConversationState.OPEN.value)


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    full_name: str
    username: str


@dataclass(frozen=True)
class Moment:
    """A state a fact puts an operator in, and since when."""

    state: FloorState
    since: datetime
    detail: str = ""


@dataclass
class Facts:
    """What one refresh read, keyed by operator."""

    people: list[Person] = field(default_factory=list)
    signed_in: dict[uuid.UUID, datetime] = field(default_factory=dict)
    signed_out: dict[uuid.UUID, datetime] = field(default_factory=dict)
    pauses: dict[uuid.UUID, Moment] = field(default_factory=dict)
    back_to_work: dict[uuid.UUID, datetime] = field(default_factory=dict)
    phone: dict[uuid.UUID, Moment] = field(default_factory=dict)
    chats: dict[uuid.UUID, tuple[int, datetime]] = field(default_factory=dict)
    typed_calls: dict[uuid.UUID, datetime] = field(default_factory=dict)  # open since


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def people(session: Session) -> list[Person]:
    query = (
        select(col(Operator.id), col(Operator.full_name), col(Operator.username))
        .where(col(Operator.active), col(Operator.role).in_(PEOPLE))
        .order_by(col(Operator.full_name))
    )
    return [Person(*row) for row in session.execute(query)]


def sessions(session: Session, facts: Facts, midnight: datetime) -> None:
    """Who is signed in since when; who signed out today and when."""
    query = select(
        col(WorkSession.operator_id), col(WorkSession.started_at), col(WorkSession.ended_at)
    ).where(or_(col(WorkSession.ended_at).is_(None), col(WorkSession.ended_at) >= midnight))
    for who, started, ended in session.execute(query):
        if ended is None:
            facts.signed_in[who] = max(aware(started), facts.signed_in.get(who, aware(started)))
        elif who not in facts.signed_out or facts.signed_out[who] < aware(ended):
            facts.signed_out[who] = aware(ended)


def pauses(session: Session, facts: Facts, midnight: datetime) -> None:
    """Open pauses with their reason; the end of each operator's last pause today."""
    query = select(
        col(WorkPause.operator_id),
        col(WorkPause.reason),
        col(WorkPause.started_at),
        col(WorkPause.ended_at),
    ).where(or_(col(WorkPause.ended_at).is_(None), col(WorkPause.ended_at) >= midnight))
    for who, reason, started, ended in session.execute(query):
        if ended is None:
            facts.pauses[who] = Moment(FloorState.PAUSED, aware(started), reason)
        else:
            _latest(facts.back_to_work, who, aware(ended))


def saved_calls(session: Session, facts: Facts, midnight: datetime) -> None:
    """The end of each operator's last saved call today: ready again from then."""
    query = (
        select(col(Call.operator_id), func.max(col(Call.ended_at)))
        .where(col(Call.started_at) >= midnight)
        .group_by(col(Call.operator_id))
    )
    for who, ended in session.execute(query):
        if ended is not None:
            _latest(facts.back_to_work, who, aware(ended))


def typed_calls(session: Session, facts: Facts) -> None:
    """Since when each operator has a call typed on F2 open (services/phone/presence.py),
    on the index of the open ones."""
    query = (
        select(col(CallPresence.operator_id), func.max(col(CallPresence.started_at)))
        .where(col(CallPresence.ended_at).is_(None))
        .group_by(col(CallPresence.operator_id))
    )
    for who, started in session.execute(query):
        facts.typed_calls[who] = aware(started)


def chats(session: Session, facts: Facts) -> None:
    """The chats each operator holds now, and since when they hold the latest given."""
    query = (
        select(
            col(Conversation.owner_id),
            func.count(func.distinct(col(Conversation.id))),
            func.max(col(ConversationAssignment.at)),
        )
        .join(
            ConversationAssignment,
            and_(
                col(ConversationAssignment.conversation_id) == col(Conversation.id),
                col(ConversationAssignment.operator_id) == col(Conversation.owner_id),
            ),
        )
        .where(col(Conversation.state).in_(HELD))
        .group_by(col(Conversation.owner_id))
    )
    for who, count, since in session.execute(query):
        if who is not None and since is not None:
            facts.chats[who] = (int(count), aware(since))


def phone_calls(session: Session, facts: Facts, midnight: datetime) -> None:
    """Each operator's live phone call today (ringing, on a call) or, else, their last one
    ended today when it puts them in wrap-up (answered, no saved call linked yet): the live
    calls and one row an operator, found on the indexes of migration 0023, never the whole
    day's rows."""
    someone = col(PhoneCall.operator_id).is_not(None)
    live = select(*_CALL_COLUMNS).where(
        col(PhoneCall.rang_at) >= midnight, someone, col(PhoneCall.ended_at).is_(None)
    )
    last = (
        select(col(PhoneCall.operator_id).label("who"), func.max(PhoneCall.ended_at).label("at"))
        .where(someone, col(PhoneCall.ended_at) >= midnight)
        .group_by(col(PhoneCall.operator_id))
        .subquery()
    )
    ended = select(*_CALL_COLUMNS).join(
        last, and_(last.c.who == PhoneCall.operator_id, last.c.at == PhoneCall.ended_at)
    )
    for query in (live, ended):
        for who, answered, ended_at, call_id, rang in session.execute(query):
            if who is not None:
                _operator_call(facts, who, _when(rang), _when(answered), _when(ended_at), call_id)


_CALL_COLUMNS = (
    col(PhoneCall.operator_id),
    col(PhoneCall.answered_at),
    col(PhoneCall.ended_at),
    col(PhoneCall.call_id),
    col(PhoneCall.rang_at),
)


def phone_today(session: Session, midnight: datetime, service_seconds: int) -> PhoneToday:
    """Today's incoming calls counted in the database: waiting (ringing, unanswered) and
    the longest wait, offered (answered or ended), answered, within the service level's
    seconds, abandoned, and the rest unanswered (rang out, rejected, busy, failed)."""
    waiting = and_(col(PhoneCall.answered_at).is_(None), col(PhoneCall.ended_at).is_(None))
    answered = col(PhoneCall.answered_at).is_not(None)
    abandoned = and_(~answered, col(PhoneCall.end_reason) == EndReason.ABANDONED.value)
    # a millisecond's slack: SQLite's julianday arithmetic is a float (20 s came out 20.0000001)
    in_time = and_(answered, _wait_seconds(session) <= service_seconds + 0.001)
    query = select(
        func.count(),
        func.sum(case((waiting, 1), else_=0)),
        func.min(case((waiting, col(PhoneCall.rang_at)))),
        func.sum(case((answered, 1), else_=0)),
        func.sum(case((in_time, 1), else_=0)),
        func.sum(case((abandoned, 1), else_=0)),
    ).where(col(PhoneCall.rang_at) >= midnight, col(PhoneCall.direction) == "in")
    total, ringing, longest, took, quick, gave_up = session.execute(query).one()
    ringing, took, gave_up = int(ringing or 0), int(took or 0), int(gave_up or 0)
    offered = int(total) - ringing
    return PhoneToday(
        ringing,
        _when(longest),
        offered,
        took,
        int(quick or 0),
        gave_up,
        offered - took - gave_up,
    )


def _wait_seconds(session: Session) -> ColumnElement[Any]:
    """Seconds from the ring to the answer, in the dialect's own arithmetic."""
    if session.get_bind().dialect.name == "sqlite":
        days = func.julianday(col(PhoneCall.answered_at)) - func.julianday(col(PhoneCall.rang_at))
        return days * 86400.0
    return func.extract("epoch", col(PhoneCall.answered_at) - col(PhoneCall.rang_at))


def _when(value: datetime | str | None) -> datetime | None:
    """Aware; a min() over a case loses the column's type on SQLite (a string comes back)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return aware(value)


def _operator_call(
    facts: Facts,
    who: uuid.UUID,
    rang: datetime | None,
    answered: datetime | None,
    ended: datetime | None,
    call_id: uuid.UUID | None,
) -> None:
    if ended is None and rang is not None:
        moment = Moment(FloorState.ON_CALL if answered else FloorState.RINGING, answered or rang)
    elif ended is not None and answered is not None and call_id is None:
        moment = Moment(FloorState.WRAP_UP, ended)
    else:
        return
    known = facts.phone.get(who)
    live = (FloorState.ON_CALL, FloorState.RINGING)
    if known is None or (moment.state in live, moment.since) > (known.state in live, known.since):
        facts.phone[who] = moment


def campaigns(session: Session, start: datetime, end: datetime) -> tuple[CampaignToday, ...]:
    """Today's outbound attempts per campaign: how many, how many reached the person, how
    many a success (the disposition's flags)."""
    flagged = and_(
        col(Disposition.campaign_id) == col(LeadAttempt.campaign_id),
        col(Disposition.code) == col(LeadAttempt.disposition),
    )
    query = (
        select(
            col(Campaign.code),
            col(Campaign.name),
            func.count(),
            func.sum(case((col(Disposition.contact), 1), else_=0)),
            func.sum(case((col(Disposition.success), 1), else_=0)),
        )
        .select_from(LeadAttempt)
        .join(Campaign, col(Campaign.id) == col(LeadAttempt.campaign_id))
        .outerjoin(Disposition, flagged)
        .where(col(LeadAttempt.at) >= start, col(LeadAttempt.at) < end)
        .group_by(col(Campaign.code), col(Campaign.name))
        .order_by(col(Campaign.code))
    )
    return tuple(
        CampaignToday(code, name, int(n), int(contacts or 0), int(successes or 0))
        for code, name, n, contacts, successes in session.execute(query)
    )


def _latest(into: dict[uuid.UUID, datetime], who: uuid.UUID, moment: datetime) -> None:
    if who not in into or into[who] < moment:
        into[who] = moment
