"""The records a tally's KPIs count, read for a set of operators and a stretch of time:
calls, signed-in and paused time, quality scores, complaints and refusals.

Every read is grouped by operator so one query serves one operator's tally and the whole
team's view alike; each walks an (operator, time) index."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.data.codes import SystemCampaign
from cc_terminal.models import (
    Author,
    Call,
    Campaign,
    Channel,
    Conversation,
    ConversationAssignment,
    ConversationMessage,
    Disposition,
    LeadAttempt,
    OperatorComplaint,
    PauseReason,
    QaEvaluation,
    WorkPause,
    WorkSession,
)
from cc_terminal.models.conversation import GIVING
from cc_terminal.services.tally.read_conditions import Ids, attempt_disposition, within

UNPAID_PAUSES = frozenset({PauseReason.LUNCH.value})


@dataclass
class CallFigures:
    handled: int = 0
    talk_seconds: int = 0
    wrap_seconds: int = 0
    valid_calls: int = 0
    valid_messages: int = 0  # a chat's: one per customer turn (stored when it closed)
    outbound: int = 0
    chats: int = 0
    letters: int = 0  # e-mail conversations closed: paid per message like chats


@dataclass
class WorkTime:
    signed_in_seconds: int = 0
    paid_seconds: int = 0
    ready_seconds: int = 0  # signed in and not paused
    days: set[date] = field(default_factory=set)


def call_figures(
    session: Session, operators: Ids, start: datetime, end: datetime, min_talk: int
) -> dict[uuid.UUID, CallFigures]:
    voice = col(Call.channel) == Channel.VOICE.value
    chat = col(Call.channel) == Channel.CHAT.value
    letter = col(Call.channel) == Channel.EMAIL.value
    query = (
        select(
            col(Call.operator_id),
            func.count(),
            func.coalesce(func.sum(col(Call.talk_seconds)), 0),
            func.coalesce(func.sum(col(Call.wrap_seconds)), 0),
            func.sum(case((and_(voice, col(Call.talk_seconds) >= min_talk), 1), else_=0)),
            func.sum(case((voice, 0), else_=col(Call.messages))),
            func.sum(case((col(Call.direction) == "out", 1), else_=0)),
            func.sum(case((chat, 1), else_=0)),
            func.sum(case((letter, 1), else_=0)),
        )
        .where(col(Call.operator_id).in_(operators), *within(col(Call.started_at), start, end))
        .group_by(col(Call.operator_id))
    )
    return {
        row[0]: CallFigures(*(int(value or 0) for value in row[1:]))
        for row in session.execute(query)
    }


def calls_per_day(
    session: Session, operator_id: uuid.UUID, start: datetime, end: datetime, zone: ZoneInfo
) -> dict[date, int]:
    query = select(col(Call.started_at)).where(
        col(Call.operator_id) == operator_id, *within(col(Call.started_at), start, end)
    )
    counts: dict[date, int] = defaultdict(int)
    for (started,) in session.execute(query):
        counts[started.astimezone(zone).date()] += 1
    return counts


def work_time(
    session: Session, operators: Ids, start: datetime, end: datetime, now: datetime, zone: ZoneInfo
) -> dict[uuid.UUID, WorkTime]:
    """Signed-in, paid and ready time inside the stretch; an open session runs until now."""
    times: dict[uuid.UUID, WorkTime] = defaultdict(WorkTime)
    sessions = select(
        col(WorkSession.operator_id), col(WorkSession.started_at), col(WorkSession.ended_at)
    ).where(
        col(WorkSession.operator_id).in_(operators),
        col(WorkSession.started_at) < end,
        or_(col(WorkSession.ended_at).is_(None), col(WorkSession.ended_at) > start),
    )
    for operator_id, started, ended in session.execute(sessions):
        seconds = _overlap(started, ended or now, start, end)
        if seconds <= 0:
            continue
        time = times[operator_id]
        time.signed_in_seconds += seconds
        time.paid_seconds += seconds
        time.ready_seconds += seconds
        time.days.add(max(started, start).astimezone(zone).date())
    pauses = select(
        col(WorkPause.operator_id),
        col(WorkPause.reason),
        col(WorkPause.started_at),
        col(WorkPause.ended_at),
    ).where(
        col(WorkPause.operator_id).in_(operators),
        col(WorkPause.started_at) < end,
        or_(col(WorkPause.ended_at).is_(None), col(WorkPause.ended_at) > start),
    )
    for operator_id, reason, started, ended in session.execute(pauses):
        seconds = max(0, _overlap(started, ended or now, start, end))
        time = times[operator_id]
        time.ready_seconds -= seconds
        if reason in UNPAID_PAUSES:
            time.paid_seconds -= seconds
    return times


def qa_totals(
    session: Session, operators: Ids, start: datetime, end: datetime
) -> dict[uuid.UUID, tuple[int, int, int]]:
    """Points earned, points possible and evaluations, by the evaluated calls' time."""
    query = (
        select(
            col(QaEvaluation.operator_id),
            func.sum(col(QaEvaluation.earned)),
            func.sum(col(QaEvaluation.possible)),
            func.count(),
        )
        .where(
            col(QaEvaluation.operator_id).in_(operators),
            *within(col(QaEvaluation.call_started_at), start, end),
        )
        .group_by(col(QaEvaluation.operator_id))
    )
    return {
        row[0]: (int(row[1] or 0), int(row[2] or 0), int(row[3])) for row in session.execute(query)
    }


def complaint_counts(
    session: Session, operators: Ids, start: datetime, end: datetime
) -> dict[uuid.UUID, int]:
    query = (
        select(col(OperatorComplaint.operator_id), func.count())
        .where(
            col(OperatorComplaint.operator_id).in_(operators),
            *within(col(OperatorComplaint.at), start, end),
        )
        .group_by(col(OperatorComplaint.operator_id))
    )
    return {row[0]: row[1] for row in session.execute(query)}


def refusal_counts(
    session: Session, operators: Ids, start: datetime, end: datetime
) -> dict[uuid.UUID, int]:
    """Outbound attempts that ended in a refusal, for conversion."""
    query = (
        select(col(LeadAttempt.operator_id), func.count())
        .join(Disposition, attempt_disposition())
        .where(
            col(LeadAttempt.operator_id).in_(operators),
            col(Disposition.refusal),
            *within(col(LeadAttempt.at), start, end),
        )
        .group_by(col(LeadAttempt.operator_id))
    )
    return {row[0]: row[1] for row in session.execute(query)}


def follow_up_counts(
    session: Session, operators: Ids, start: datetime, end: datetime
) -> dict[uuid.UUID, int]:
    """Calls an order promised (SystemCampaign.ORDER_CALLS), made: shown on the tally line
    beside the successes, never among them."""
    query = (
        select(col(LeadAttempt.operator_id), func.count())
        .join(Campaign, col(Campaign.id) == col(LeadAttempt.campaign_id))
        .where(
            col(LeadAttempt.operator_id).in_(operators),
            col(Campaign.code) == SystemCampaign.ORDER_CALLS.value,
            *within(col(LeadAttempt.at), start, end),
        )
        .group_by(col(LeadAttempt.operator_id))
    )
    return {row[0]: row[1] for row in session.execute(query)}


def first_responses(
    session: Session, operators: Ids, start: datetime, end: datetime
) -> dict[uuid.UUID, tuple[int, int]]:
    """Chats first answered in the stretch, by the operator whose line was the first
    answer: how many, and their seconds from the chat reaching that operator (given or
    taken; a chat never given: its start) to the answer, summed."""
    query = _first_answers(operators, start, end)
    answered: dict[uuid.UUID, tuple[int, int]] = {}
    for operator_id, created, reached, answer in session.execute(query):
        if operator_id is None or answer is None:  # the query's conditions exclude both
            continue
        waited = max(0, int((answer - (reached or created)).total_seconds()))
        count, seconds = answered.get(operator_id, (0, 0))
        answered[operator_id] = (count + 1, seconds + waited)
    return answered


def _first_answers(
    operators: Ids, start: datetime, end: datetime
) -> Select[uuid.UUID | None, datetime, datetime, datetime | None]:
    """Each chat first answered in the stretch: who answered, its start, when it reached
    them, the answer's moment."""
    chat, line, history = Conversation, ConversationMessage, ConversationAssignment
    # read from the chats answered in the stretch (each line found by its chat's index),
    # never from every line ever written
    answerer = (
        select(col(line.operator_id))
        .where(
            col(line.conversation_id) == col(chat.id),
            col(line.author) == Author.OPERATOR.value,
            col(line.at) == col(chat.first_response_at),
        )
        .limit(1)
        .correlate(chat)  # the chat of the outermost read, inside ``given`` too
        .scalar_subquery()
    )
    given = (
        select(func.max(col(history.at)))
        .where(
            col(history.conversation_id) == col(chat.id),
            col(history.operator_id) == answerer,
            col(history.reason).in_(GIVING),
            col(history.at) <= col(chat.first_response_at),
        )
        .scalar_subquery()
    )
    return select(answerer, col(chat.created_at), given, col(chat.first_response_at)).where(
        col(chat.channel) == Channel.CHAT.value,
        col(chat.first_response_at) >= start,
        col(chat.first_response_at) < end,
        answerer.in_(operators),
    )


def _overlap(first: datetime, last: datetime, start: datetime, end: datetime) -> int:
    return int((min(last, end) - max(first, start)).total_seconds())
