"""Closing a chat: its outcome, the history's last row, the line that tells the visitor,
and the chat's call (channel "chat", the conversation's id) that puts it in the
customer's ledger and the operator's tally, with the messages it pays."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from cc_terminal.i18n import N_, _
from cc_terminal.models import (
    AssignmentReason,
    Author,
    Call,
    Channel,
    Conversation,
    ConversationAssignment,
    ConversationState,
    Direction,
    ListKind,
)
from cc_terminal.services.channels import lines, reading
from cc_terminal.services.channels.prechat import words_for
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.reference import lists_in
from cc_terminal.services.common.views import Actor

ENDED = N_("The chat has ended. Thank you for writing to us.")
OTHER_REASON = "other"


def close(
    session: Session, actor: Actor, conversation: Conversation, outcome: str, now: datetime
) -> Call:
    lists = lists_in(session)
    if not lists.is_active(ListKind.CALL_OUTCOME, outcome):
        raise ValidationFailed({"outcome": _("Choose how the chat ended.")})
    owner = conversation.owner_id or actor.operator_id
    # a letter's conversation closed before and reopened by the customer's new letter keeps
    # its last closing time (mail_store.py): this closing is a new call, paid from there
    before = conversation.closed_at
    conversation.state = ConversationState.CLOSED.value
    conversation.outcome = outcome
    conversation.closed_at = now
    conversation.operator_typing_at = None
    conversation.version += 1
    session.add(
        ConversationAssignment(
            conversation_id=conversation.id,
            operator_id=owner,
            department=conversation.department,
            reason=AssignmentReason.CLOSED.value,
            by_id=actor.operator_id,
            at=now,
        )
    )
    lines.append(session, conversation, Author.SYSTEM, words_for(conversation.language)(ENDED), now)
    call = _call_of(session, conversation, owner, outcome, now, before)
    session.add(call)
    session.flush()
    return call


def _call_of(
    session: Session,
    conversation: Conversation,
    owner: uuid.UUID,
    outcome: str,
    now: datetime,
    before: datetime | None,
) -> Call:
    """The chat as a call: answered at the first response, talk until the close."""
    lists = lists_in(session)
    reason = (
        conversation.topic
        if lists.is_active(ListKind.CALL_REASON, conversation.topic)
        else OTHER_REASON
    )
    answered = conversation.first_response_at
    contact = conversation.visitor_contact
    return Call(
        id=conversation.id if before is None else uuid.uuid4(),
        direction=Direction.INBOUND.value,
        channel=Channel(conversation.channel).value,
        operator_id=owner,
        customer_id=conversation.customer_id,
        phone_e164=contact if contact.startswith("+") else "",
        started_at=conversation.created_at,
        answered_at=answered,
        ended_at=now,
        reason=reason,
        outcome=outcome,
        talk_seconds=max(0, int((now - (answered or now)).total_seconds())),
        messages=reading.paid_turns(session, conversation.id, after=before),
    )
