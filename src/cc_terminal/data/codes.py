"""The codes of the shipped lists that the code names: the lists themselves are data
(reference.json, dispositions.json; a team lead edits them on the floor), but a rule that
branches on one of their codes, or the demo that fills a floor with them, names it here,
and tests/common/test_shipped_codes.py checks each name against the shipped lists, so a
code renamed in the JSON fails a test instead of a rule going quiet. No imports: every
layer may use these."""

from __future__ import annotations

from enum import StrEnum


class RefusalReason(StrEnum):
    """Why an offer was refused (the list ``refusal_reason``)."""

    TOO_EXPENSIVE = "too_expensive"  # a cheaper offer later is offered again to these
    OTHER = "other"  # needs the refusal in the customer's words


class Department(StrEnum):
    """Where requests go and operators work (the list ``department``)."""

    CONTACT_CENTRE = "contact_centre"  # a new account's, unless told otherwise
    BILLING = "billing"
    TECHNICAL = "technical"
    COMPLAINTS = "complaints"


class CallReason(StrEnum):
    """Why a customer called (the list ``call_reason``)."""

    COMPLAINT = "complaint"


class CallOutcome(StrEnum):
    """How an incoming call ended (the list ``call_outcome``): what the call did proposes
    its outcome."""

    ORDER_TAKEN = "order_taken"
    REQUEST_REGISTERED = "request_registered"
    ESCALATED = "escalated"


class RequestCategory(StrEnum):
    """What a registered request is about (the list ``request_category``)."""

    COMPLAINT = "complaint"
    QUESTION = "question"  # a chat visitor's message left without a topic


class DispositionCode(StrEnum):
    """How a campaign call ended (dispositions.json, a new campaign's dispositions)."""

    SALE = "SALE"
    NOT_INTERESTED = "NI"
    CALL_BACK = "CALLBK"
    NO_ANSWER = "N"
    BUSY = "B"


class SystemCampaign(StrEnum):
    """Campaigns the workstation makes itself (not a list: a campaign's code)."""

    # Calls an order promises (a re-booked visit confirmed, a loan's reminder): the
    # operator's service to the customer, paid as talk time, never a success.
    ORDER_CALLS = "order-calls"
