"""The floor board's reads: one query a kind of fact, each for every operator at once, in
one read transaction (services/phone/floor_board.py puts them together). They read the
durable shared records only: work sessions and pauses, saved calls, held chats, phone
calls, outbound attempts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import and_, case, func, or_, select
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


def phone_calls(
    session: Session, facts: Facts, midnight: datetime, service_seconds: int
) -> PhoneToday:
    """Today's phone calls: each operator's live one (ringing, on a call) or the one in
    wrap-up (ended, answered, no saved call linked yet), and the floor's incoming figures."""
    query = select(
        col(PhoneCall.operator_id),
        col(PhoneCall.direction),
        col(PhoneCall.rang_at),
        col(PhoneCall.answered_at),
        col(PhoneCall.ended_at),
        col(PhoneCall.end_reason),
        col(PhoneCall.call_id),
    ).where(col(PhoneCall.rang_at) >= midnight)
    today = _Tally(service_seconds)
    for who, direction, rang, answered, ended, reason, call_id in session.execute(query):
        rang, answered = aware(rang), answered and aware(answered)
        ended = ended and aware(ended)
        if who is not None:
            _operator_call(facts, who, rang, answered, ended, call_id)
        if direction == "in":
            today.count(rang, answered, ended, reason)
    return today.done()


def _operator_call(
    facts: Facts,
    who: uuid.UUID,
    rang: datetime,
    answered: datetime | None,
    ended: datetime | None,
    call_id: uuid.UUID | None,
) -> None:
    if ended is None:
        moment = Moment(FloorState.ON_CALL if answered else FloorState.RINGING, answered or rang)
    elif answered is not None and call_id is None:
        moment = Moment(FloorState.WRAP_UP, ended)
    else:
        return
    known = facts.phone.get(who)
    live = (FloorState.ON_CALL, FloorState.RINGING)
    if known is None or (moment.state in live, moment.since) > (known.state in live, known.since):
        facts.phone[who] = moment


@dataclass
class _Tally:
    service_seconds: int
    waiting: int = 0
    longest: datetime | None = None
    offered: int = 0
    answered: int = 0
    in_time: int = 0
    abandoned: int = 0
    unanswered: int = 0

    def count(
        self, rang: datetime, answered: datetime | None, ended: datetime | None, reason: str
    ) -> None:
        if answered is None and ended is None:
            self.waiting += 1
            self.longest = rang if self.longest is None else min(self.longest, rang)
            return
        self.offered += 1
        if answered is not None:
            self.answered += 1
            self.in_time += (answered - rang).total_seconds() <= self.service_seconds
        elif reason == EndReason.ABANDONED.value:
            self.abandoned += 1
        else:
            self.unanswered += 1

    def done(self) -> PhoneToday:
        return PhoneToday(
            self.waiting,
            self.longest,
            self.offered,
            self.answered,
            self.in_time,
            self.abandoned,
            self.unanswered,
        )


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
