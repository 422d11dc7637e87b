"""The operator's outbound list and the header's count of due callbacks, both by the pick's
own rule of "callable now" (``lead_pick.Ready`` and ``hours_of``): a row says "now" only
when N could take it now; otherwise when it may next be called (its retry or callback
time, moved to its calling window's next opening), or that no call is allowed at all."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, Row, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.models import Campaign, Customer, Disposition, Lead, LeadStatus
from cc_terminal.services.outbound.lead_pick import Ready, hours_of, ready_rule
from cc_terminal.services.outbound.views import LeadFilter, LeadRow

LIST_LIMIT = 500
WORKING = (LeadStatus.OPEN.value, LeadStatus.CALLBACK.value, LeadStatus.CALLING.value)


def active_campaigns(session: Session) -> dict[uuid.UUID, Campaign]:
    found = session.scalars(select(Campaign).where(col(Campaign.active)))
    return {campaign.id: campaign for campaign in found}


def list_leads(
    session: Session, me: uuid.UUID, wanted: LeadFilter, now: datetime
) -> tuple[LeadRow, ...]:
    """The operator's leads, due callbacks first, then in the order they come next."""
    campaigns = active_campaigns(session)
    ready = ready_rule(me, campaigns, now)
    visible = or_(col(Lead.assigned_to) == me, col(Lead.claimed_by) == me, callback_for(me, now))
    query = (
        select(
            Lead,
            Campaign,
            Customer,
            ready.any().label("ready"),
            ready.legal.label("legal"),
            col(Disposition.label),
        )
        .join(Campaign, col(Campaign.id) == col(Lead.campaign_id))
        .join(Customer, col(Customer.id) == col(Lead.customer_id))
        .outerjoin(  # the last attempt's disposition, in words
            Disposition,
            (col(Disposition.campaign_id) == col(Lead.campaign_id))
            & (col(Disposition.code) == col(Lead.last_disposition)),
        )
        .where(visible, col(Campaign.active), *_filters(wanted, now))
        .order_by(
            (col(Lead.status) == LeadStatus.CALLING.value).desc(),
            (col(Lead.status) == LeadStatus.CALLBACK.value).desc(),
            col(Lead.callback_at),
            col(Lead.priority).desc(),
            col(Lead.heat).desc(),
            col(Lead.attempts),
            col(Lead.created_at),
            col(Customer.full_name),
            col(Lead.id),
        )
        .limit(LIST_LIMIT)
    )
    return tuple(_row(found, me, now) for found in session.execute(query))


def due_callbacks(session: Session, me: uuid.UUID, now: datetime) -> int:
    """Callbacks the operator's N would take now: due, allowed, inside their window."""
    campaigns = active_campaigns(session)
    ready: Ready = ready_rule(me, campaigns, now)
    query = select(col(Lead.campaign_id), col(Lead.time_zone)).where(ready.callback)
    return sum(
        1
        for campaign_id, zone in session.execute(query)
        if hours_of(campaigns[campaign_id], zone).open_at(now)
    )


def callback_for(me: uuid.UUID, now: datetime) -> ColumnElement[bool]:
    """Callbacks the operator may work now (their own, shared ones, released ones), wherever
    the calling window stands: the list shows them with their next moment."""
    return (
        (col(Lead.status) == LeadStatus.CALLBACK.value)
        & (col(Lead.callback_at) <= now)
        & or_(
            col(Lead.callback_by) == me,
            ~col(Lead.callback_personal),
            col(Lead.callback_released_at) <= now,
        )
    )


def _filters(wanted: LeadFilter, now: datetime) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if wanted.campaign:
        found.append(col(Campaign.code) == wanted.campaign)
    if wanted.temperature:
        found.append(col(Lead.temperature) == wanted.temperature)
    if wanted.status:
        found.append(col(Lead.status) == wanted.status)
    else:
        found.append(col(Lead.status).in_(WORKING))
    if wanted.due_only:
        found.append(or_(col(Lead.next_attempt_at).is_(None), col(Lead.next_attempt_at) <= now))
    return found


def _row(
    found: Row[Lead, Campaign, Customer, bool, bool, str | None], me: uuid.UUID, now: datetime
) -> LeadRow:
    lead, campaign, customer, ready, legal, last_label = found
    callable_now = bool(ready) and hours_of(campaign, lead.time_zone).open_at(now)
    return LeadRow(
        id=lead.id,
        campaign_code=campaign.code,
        campaign_name=campaign.name,
        customer_name=customer.full_name,
        city=customer.city,
        phone_e164=lead.phone_e164,
        temperature=lead.temperature,
        status=lead.status,
        attempts=lead.attempts,
        priority=lead.priority,
        next_attempt_at=lead.next_attempt_at,
        callback_at=lead.callback_at,
        last_disposition=lead.last_disposition,
        last_label=last_label or lead.last_disposition,
        mine=lead.assigned_to == me,
        callable_now=callable_now,
        blocked=not legal,
        next_call_at=None if callable_now or not legal else _next_call(lead, campaign, me, now),
    )


def _next_call(lead: Lead, campaign: Campaign, me: uuid.UUID, now: datetime) -> datetime | None:
    """When a lead that is not callable now may be called: its retry or callback time (a
    personal callback of someone else's when it is released), in its calling window."""
    if lead.status == LeadStatus.OPEN:
        due = lead.next_attempt_at or now
    elif lead.status == LeadStatus.CALLBACK and lead.callback_at is not None:
        due = lead.callback_at
        if lead.callback_personal and lead.callback_by != me:
            due = max(due, lead.callback_released_at or due)
    else:
        return None  # held in a call, or closed
    return hours_of(campaign, lead.time_zone).next_opening(max(due, now))
