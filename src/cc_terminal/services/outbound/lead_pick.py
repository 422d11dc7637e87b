"""Which lead an operator calls next, and claiming it so nobody else calls it too.

Three short queries, in this order: callbacks that are due (the operator's own, anyone's,
and personal ones nobody worked in time); the operator's own leads; the campaign pools.
Each skips numbers that objected, cold sales leads without consent and leads outside their
calling window, agreed callbacks too (``Ready`` and ``hours_of``: the rule the list counts
and marks its rows by). The first found is claimed in the same transaction: its status
becomes "calling" with a lease, so it leaves the open leads the next pick walks. On
PostgreSQL the candidates are read ``FOR UPDATE SKIP LOCKED``, so two terminals never take
the same lead; on SQLite the write transaction holds the database's write lock. A lease
that ran out (a terminal that died mid-call) gives the lead back."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select, true, tuple_
from sqlalchemy.orm import Session, aliased
from sqlmodel import col

from cc_terminal.i18n import _
from cc_terminal.models import (
    Campaign,
    CampaignKind,
    Consent,
    Customer,
    Lead,
    LeadStatus,
    Objection,
)
from cc_terminal.services.outbound.calling_rules import CallingHours

LEASE = timedelta(minutes=15)
BATCH = 8
ZONES_TTL_SECONDS = 60.0
EXPIRED_BATCH = 100


@dataclass(frozen=True)
class Pick:
    lead: Lead
    why: str


class ZoneCache:
    """Which (campaign, time zone) pairs have leads to call; read again after a minute or
    after an import, because a pick needs the pairs whose window is open now."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pairs: set[tuple[uuid.UUID, str]] = set()
        self._read_at = float("-inf")

    def invalidate(self) -> None:
        with self._lock:
            self._read_at = float("-inf")

    def pairs(self, session: Session) -> set[tuple[uuid.UUID, str]]:
        with self._lock:
            if time.monotonic() - self._read_at > ZONES_TTL_SECONDS:
                query = (
                    select(col(Lead.campaign_id), col(Lead.time_zone))
                    .where(col(Lead.status) == LeadStatus.OPEN.value)
                    .distinct()
                )
                self._pairs = {(row[0], row[1]) for row in session.execute(query)}
                self._read_at = time.monotonic()
            return set(self._pairs)


def release(lead: Lead) -> None:
    """Give a held lead back: to its callback if it had one, else to the open leads."""
    lead.status = (LeadStatus.CALLBACK if lead.callback_at else LeadStatus.OPEN).value
    lead.claimed_by = None
    lead.claimed_until = None


def claim(lead: Lead, operator_id: uuid.UUID, now: datetime) -> None:
    lead.status = LeadStatus.CALLING.value
    lead.claimed_by = operator_id
    lead.claimed_until = now + LEASE


def reopen_expired(session: Session, now: datetime) -> None:
    expired = select(Lead).where(
        col(Lead.status) == LeadStatus.CALLING.value, col(Lead.claimed_until) < now
    )
    for lead in session.scalars(expired.limit(EXPIRED_BATCH)).all():
        release(lead)


def legal_clauses(sales_campaigns: Iterable[uuid.UUID]) -> list[ColumnElement[bool]]:
    """Objected numbers and customers flagged "do not call" never; cold sales leads only
    with a consent for the number."""
    sales = list(sales_campaigns)
    consent = exists().where(col(Consent.phone_e164) == col(Lead.phone_e164))
    flagged = aliased(Customer)  # its own name: the list joins the lead's customer too
    return [
        ~exists().where(col(Objection.phone_e164) == col(Lead.phone_e164)),
        ~exists().where(col(flagged.id) == col(Lead.customer_id), col(flagged.do_not_call)),
        or_(
            col(Lead.temperature) != "cold",
            col(Lead.campaign_id).not_in(sales) if sales else true(),
            consent,
        ),
    ]


@dataclass(frozen=True)
class Ready:
    """The one rule of "callable now" for one operator, but for the calling window (which
    ``hours_of`` decides for a lead's campaign and zone): the pick takes its leads by it,
    and the list counts and marks its rows by it. Each part is one of the pick's queries."""

    legal: ColumnElement[bool]
    callback: ColumnElement[bool]
    mine: ColumnElement[bool]
    pool: ColumnElement[bool]

    def any(self) -> ColumnElement[bool]:
        return or_(self.callback, self.mine, self.pool)


def ready_rule(
    operator_id: uuid.UUID, campaigns: dict[uuid.UUID, Campaign], now: datetime
) -> Ready:
    sales = [c.id for c in campaigns.values() if c.kind == CampaignKind.SALES]
    legal = and_(col(Lead.campaign_id).in_(list(campaigns)), *legal_clauses(sales))
    due = or_(col(Lead.next_attempt_at).is_(None), col(Lead.next_attempt_at) <= now)
    waiting = and_(col(Lead.status) == LeadStatus.OPEN.value, due, legal)
    callback = and_(
        col(Lead.status) == LeadStatus.CALLBACK.value,
        col(Lead.callback_at) <= now,
        or_(
            col(Lead.callback_by) == operator_id,
            ~col(Lead.callback_personal),
            col(Lead.callback_released_at) <= now,
        ),
        legal,
    )
    return Ready(
        legal=legal,
        callback=callback,
        mine=and_(col(Lead.assigned_to) == operator_id, waiting),
        pool=and_(col(Lead.assigned_to).is_(None), waiting),
    )


def hours_of(campaign: Campaign, zone: str) -> CallingHours:
    """The campaign's calling window in a lead's zone: the window half of "callable now"."""
    return CallingHours(campaign.weekday_window, campaign.saturday_window, zone)


def pick(
    session: Session,
    operator_id: uuid.UUID,
    campaigns: dict[uuid.UUID, Campaign],
    zones: ZoneCache,
    now: datetime,
) -> Pick | None:
    if not campaigns:
        return None
    reopen_expired(session, now)
    ready = ready_rule(operator_id, campaigns, now)
    waiting = _open_pairs(zones.pairs(session), campaigns, now)
    for query, why in _queries(ready, _due_callback_pairs(session, campaigns, now), waiting):
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=Lead)
        for lead in session.scalars(query.limit(BATCH)).all():
            claim(lead, operator_id, now)
            return Pick(lead, why)
    return None


def _open_pairs(
    pairs: Iterable[tuple[uuid.UUID, str]], campaigns: dict[uuid.UUID, Campaign], now: datetime
) -> list[tuple[uuid.UUID, str]]:
    return [
        pair
        for pair in pairs
        if pair[0] in campaigns and hours_of(campaigns[pair[0]], pair[1]).open_at(now)
    ]


def _due_callback_pairs(
    session: Session, campaigns: dict[uuid.UUID, Campaign], now: datetime
) -> list[tuple[uuid.UUID, str]]:
    """The (campaign, zone) pairs of due callbacks whose window is open: read each time
    (few rows, on the status and callback index), as a callback is set at any moment."""
    query = (
        select(col(Lead.campaign_id), col(Lead.time_zone))
        .where(col(Lead.status) == LeadStatus.CALLBACK.value, col(Lead.callback_at) <= now)
        .distinct()
    )
    return _open_pairs(((row[0], row[1]) for row in session.execute(query)), campaigns, now)


def _queries(
    ready: Ready,
    callback_pairs: list[tuple[uuid.UUID, str]],
    open_pairs: list[tuple[uuid.UUID, str]],
) -> list[tuple[Select[Lead], str]]:
    order = (
        col(Lead.priority).desc(),
        col(Lead.heat).desc(),
        col(Lead.attempts),
        col(Lead.created_at),
        col(Lead.id),
    )
    callbacks = (
        select(Lead)
        .where(ready.callback, _within(callback_pairs))
        .order_by(col(Lead.callback_at), col(Lead.id))
    )
    mine = select(Lead).where(ready.mine, _within(open_pairs)).order_by(*order)
    pool = select(Lead).where(ready.pool, _within(open_pairs)).order_by(*order)
    return [
        (callbacks, _("A callback that is due.")),
        (mine, _("Your next lead: highest priority, hottest, fewest attempts.")),
        (pool, _("From the campaign's pool: highest priority, hottest, fewest attempts.")),
    ]


def _within(pairs: list[tuple[uuid.UUID, str]]) -> ColumnElement[bool]:
    if not pairs:
        return false()
    return tuple_(col(Lead.campaign_id), col(Lead.time_zone)).in_(pairs)
