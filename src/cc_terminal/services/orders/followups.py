"""Calls an order promises: a reminder before a loan's first payment, confirming a visit's new
time after a miss. They are callbacks of a campaign of their own ("order-calls"), so they
show in the header's callback count and F3 takes them first when due, like any callback."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.data.codes import SystemCampaign
from cc_terminal.i18n import _
from cc_terminal.models import (
    Campaign,
    CampaignKind,
    CustomerOrder,
    CustomerPhone,
    Lead,
    LeadList,
    LeadStatus,
)
from cc_terminal.models.lead import HEAT, Temperature
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.calling_rules import zone_of
from cc_terminal.services.outbound.campaigns import default_dispositions, disposition_row

FOLLOW_UP_CAMPAIGN = SystemCampaign.ORDER_CALLS.value
FOLLOW_UP_LIST = "orders"
REMINDER_DAYS_BEFORE = 3
REMINDER_AT = time(10, 0)


def schedule_callback(
    session: Session,
    operator_id: uuid.UUID,
    customer_id: uuid.UUID,
    at: datetime,
    note: str,
    now: datetime,
) -> bool:
    """A personal callback of the operator to the customer at ``at``; False when the
    customer has no phone to call."""
    phone = session.scalars(
        select(col(CustomerPhone.e164))
        .where(col(CustomerPhone.customer_id) == customer_id)
        .order_by(col(CustomerPhone.position))
    ).first()
    if phone is None:
        return False
    campaign, lead_list = _follow_up_campaign(session, operator_id, now)
    lead = _lead_for(session, campaign, lead_list, customer_id, phone, now)
    lead.status = LeadStatus.CALLBACK.value
    lead.priority = 1
    lead.callback_at = lead.next_attempt_at = at
    lead.callback_personal = True
    lead.callback_asked = False
    lead.callback_by = lead.assigned_to = operator_id
    lead.callback_released_at = at + timedelta(minutes=campaign.callback_release_minutes)
    lead.extra = json.dumps({"note": note}, ensure_ascii=False)
    return True


def _lead_for(
    session: Session,
    campaign: Campaign,
    lead_list: LeadList,
    customer_id: uuid.UUID,
    phone: str,
    now: datetime,
) -> Lead:
    """The follow-up campaign's lead for this phone: the one it has (a new version), or a
    new hot one."""
    lead = session.scalars(
        select(Lead).where(col(Lead.campaign_id) == campaign.id, col(Lead.phone_e164) == phone)
    ).first()
    if lead is None:
        lead = Lead(
            campaign_id=campaign.id,
            list_id=lead_list.id,
            customer_id=customer_id,
            phone_e164=phone,
            time_zone=zone_of(phone),
            temperature=Temperature.HOT.value,
            heat=HEAT[Temperature.HOT.value],
            created_at=now,
            updated_at=now,
        )
        session.add(lead)
    else:
        lead.version += 1
        lead.updated_at = now
    return lead


def loan_reminder(
    session: Session,
    actor: Actor,
    order: CustomerOrder,
    first_due: date | None,
    now: datetime,
    timezone: str,
) -> str:
    """A loan's reminder call before the first payment; what was planned, in a sentence."""
    if first_due is None:
        return ""
    zone = ZoneInfo(timezone)
    day = max(
        first_due - timedelta(days=REMINDER_DAYS_BEFORE),
        now.astimezone(zone).date() + timedelta(days=1),
    )
    at = datetime.combine(day, REMINDER_AT, zone)
    note = _("Remind the first payment of {number} due {due}.").format(
        number=order.number, due=first_due.strftime("%d.%m.%Y")
    )
    if schedule_callback(session, actor.operator_id, order.customer_id, at, note, now):
        return _("Reminder call planned for {at}.").format(at=at.strftime("%d.%m.%Y %H:%M"))
    return _("The client has no phone: no reminder call was planned.")


def _follow_up_campaign(
    session: Session, operator_id: uuid.UUID, now: datetime
) -> tuple[Campaign, LeadList]:
    campaign = session.scalars(
        select(Campaign).where(col(Campaign.code) == FOLLOW_UP_CAMPAIGN)
    ).first()
    if campaign is None:
        campaign = Campaign(
            code=FOLLOW_UP_CAMPAIGN,
            name=_("Order calls"),
            kind=CampaignKind.INFORMATIONAL.value,
            script=_("Dobrý den, {name}, volám k Vaší objednávce."),
            weekday_window="08:00-20:00",
            saturday_window="09:00-17:00",
            max_attempts=3,
            retry_minutes=60,
            order_success=False,
            created_at=now,
        )
        session.add(campaign)
        session.flush()
        for position, item in enumerate(default_dispositions()):
            session.add(disposition_row(campaign.id, item, position))
    lead_list = session.scalars(
        select(LeadList).where(
            col(LeadList.campaign_id) == campaign.id, col(LeadList.name) == FOLLOW_UP_LIST
        )
    ).first()
    if lead_list is None:
        lead_list = LeadList(
            campaign_id=campaign.id,
            name=FOLLOW_UP_LIST,
            source="orders",
            temperature=Temperature.HOT.value,
            created_at=now,
            created_by=operator_id,
        )
        session.add(lead_list)
        session.flush()
    return campaign, lead_list
