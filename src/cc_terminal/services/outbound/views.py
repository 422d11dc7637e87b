"""What the outbound services hand to the screens and the CLI: plain, immutable values."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from cc_terminal.services.common.views import CustomerCard
from cc_terminal.services.outbound.calling_rules import CallingHours, LegalBasis
from cc_terminal.services.outbound.campaigns import CampaignView, DispositionView
from cc_terminal.services.outbound.surveys import QuestionView


@dataclass(frozen=True)
class LeadFilter:
    """What the operator narrows their list to; empty means any."""

    campaign: str = ""
    temperature: str = ""
    status: str = ""
    due_only: bool = False


@dataclass(frozen=True)
class LeadRow:
    """One line of the operator's list."""

    id: uuid.UUID
    campaign_code: str
    campaign_name: str
    customer_name: str
    city: str
    phone_e164: str
    temperature: str
    status: str
    attempts: int
    priority: int
    next_attempt_at: datetime | None
    callback_at: datetime | None
    last_disposition: str
    last_label: str  # the last disposition in words (its code when the campaign lost it)
    mine: bool
    callable_now: bool = False  # N could take it now (the pick's own rule)
    blocked: bool = False  # no call is allowed: an objection, or a cold lead's consent missing
    next_call_at: datetime | None = None  # when it may next be called, if not now nor blocked


@dataclass(frozen=True)
class EarlierOffer:
    """The refused offer a re-offer answers."""

    product_name: str
    price_minor: int
    currency: str
    offered_at: datetime


@dataclass(frozen=True)
class LeadCard:
    """The lead being worked: who, the campaign, the script filled in, whether and why the
    call may be made, and why this lead came next."""

    lead_id: uuid.UUID
    call_id: uuid.UUID
    opened_at: datetime
    campaign: CampaignView
    customer: CustomerCard
    phone_e164: str
    temperature: str
    status: str
    attempts: int
    script: str
    legal: LegalBasis
    why_next: str
    dispositions: tuple[DispositionView, ...]
    questions: tuple[QuestionView, ...] = ()
    callback_at: datetime | None = None
    callback_agreed_at: datetime | None = None  # when the callback was agreed on a call
    callback_agreed_by: str = ""  # who agreed it (or set it, as an order's follow-up)
    calling_hours: CallingHours | None = None  # the campaign's window in the lead's zone
    earlier_offer: EarlierOffer | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Closing:
    """The disposition chord: how the call ended, and what happens next."""

    lead_id: uuid.UUID
    call_id: uuid.UUID
    started_at: datetime
    disposition: str
    refusal_reason: str = ""
    refusal_note: str = ""
    callback: str = ""  # as typed: +2h, zítra 10:00, po 9 ...
    callback_personal: bool = True
    notes: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    # dialled through the softphone: its answer and hang-up give the talk time (no answer:
    # none), not the card's opening and the closing
    by_phone: bool = False
    answered_at: datetime | None = None
    hung_up_at: datetime | None = None


@dataclass(frozen=True)
class Closed:
    """What the closing did, for the screen to say."""

    lead_id: uuid.UUID
    status: str
    next_attempt_at: datetime | None
    callback_at: datetime | None
