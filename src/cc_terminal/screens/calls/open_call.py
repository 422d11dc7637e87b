"""The incoming call in progress as one value: the card it is about, the number it is filed
under, its id and its times. F2 holds one and replaces it whole when a call opens or ends,
so nothing of one caller's call outlives their card (a number looked up for an earlier
caller once did). No Textual here: the services' tests build calls with it too."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from cc_terminal.services.common.views import CallDraft, CallDraftState, CustomerCard


@dataclass(frozen=True, eq=False)  # compared by identity: each change is a new value
class OpenCall:
    card: CustomerCard
    # The number the caller was identified by, else the card's first: what the call is
    # saved under and what "do not call" blocks.
    phone_e164: str
    call_id: uuid.UUID
    started_at: datetime
    hung_up_at: datetime | None = None
    # What the call has done proposes how it ended (a request registered, an order taken):
    # the outcome list opens on it, so Enter accepts it.
    proposed_outcome: str = ""
    # The phone's call this one is (services/phone: its call_key), "" when typed by hand;
    # then the phone's answer and hang-up set the times, and the saved call is linked.
    phone_key: str = ""
    answered_at: datetime | None = None
    # The missed phone call this call calls back (F7's "My callbacks"): kept in the draft,
    # so a call restored after a crash still marks its callback done when saved.
    callback_of: uuid.UUID | None = None

    @classmethod
    def start(cls, card: CustomerCard, now: datetime, identified_by: str = "") -> OpenCall:
        """A new call. ``identified_by`` counts only when the card has that number (the
        new-customer form may have corrected a number typed wrong)."""
        known = any(phone.e164 == identified_by for phone in card.phones)
        return cls(card, identified_by if known else card_number(card), uuid.uuid4(), now)

    @classmethod
    def restore(cls, card: CustomerCard, draft: CallDraftState) -> OpenCall:
        """The call of a draft kept from before a crash, with the card as it is now."""
        phone = draft.phone_e164 or card_number(card)
        restored = cls(card, phone, draft.call_id, draft.started_at, draft.hung_up_at)
        return replace(
            restored,
            phone_key=draft.phone_key,
            answered_at=draft.answered_at,
            callback_of=draft.callback_of,
        )

    def with_card(self, card: CustomerCard) -> OpenCall:
        """The same caller's card read again (after an edit, an offer, a request)."""
        if card.id != self.card.id:
            raise ValueError("another customer's card belongs to another call")
        return replace(self, card=card)

    def proposing(self, outcome: str) -> OpenCall:
        return replace(self, proposed_outcome=outcome)

    def hung_up(self, when: datetime) -> OpenCall:
        return replace(self, hung_up_at=when)

    def from_phone(self, call_key: str, rang_at: datetime) -> OpenCall:
        """The call the phone rang: it started with the ring."""
        return replace(self, phone_key=call_key, started_at=rang_at)

    def answered(self, when: datetime) -> OpenCall:
        return replace(self, answered_at=when)

    def calling_back(self, phone_call_id: uuid.UUID | None) -> OpenCall:
        return replace(self, callback_of=phone_call_id)

    def draft_state(self, reason: str, notes: str) -> CallDraftState:
        return CallDraftState(
            customer_id=self.card.id,
            customer_name=self.card.full_name,
            phone_e164=self.phone_e164,
            started_at=self.started_at,
            hung_up_at=self.hung_up_at,
            reason=reason,
            notes=notes,
            call_id=self.call_id,
            phone_key=self.phone_key,
            answered_at=self.answered_at,
            callback_of=self.callback_of,
        )

    def finished(self, ended_at: datetime, reason: str, outcome: str, notes: str) -> CallDraft:
        return CallDraft(
            customer_id=self.card.id,
            phone_e164=self.phone_e164,
            started_at=self.started_at,
            answered_at=self.answered_at or self.started_at,
            ended_at=ended_at,
            reason=reason,
            outcome=outcome,
            notes=notes,
            call_id=self.call_id,
        )


def card_number(card: CustomerCard) -> str:
    """The card's first number, for a caller found by name; "" for a card without one."""
    return card.phones[0].e164 if card.phones else ""
