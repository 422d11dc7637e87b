"""What F2 and F7 (the incoming call, its forms, the queues, the floor) reach of the
workstation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cc_terminal.services.calls.calls import CallService
    from cc_terminal.services.calls.catalog import CatalogService
    from cc_terminal.services.calls.customers import CustomerService
    from cc_terminal.services.calls.drafts import DraftStore
    from cc_terminal.services.calls.escalations import EscalationService
    from cc_terminal.services.calls.offers import OfferService
    from cc_terminal.services.calls.requests import RequestService
    from cc_terminal.services.calls.search import CustomerSearch
    from cc_terminal.services.outbound.consents import ConsentService
    from cc_terminal.services.phone.calls import PhoneCalls
    from cc_terminal.services.phone.floor_board import FloorBoard
    from cc_terminal.services.phone.presence import CallPresences
    from cc_terminal.services.privacy.audit_trail import AuditTrail


class CallsServices(Protocol):
    customers: CustomerService
    search: CustomerSearch
    calls: CallService
    drafts: DraftStore
    catalog: CatalogService
    offers: OfferService
    requests: RequestService
    escalations: EscalationService
    # A caller who objects to being called is written in outbound's objections.
    consents: ConsentService
    # The team lead's floor board on F7 (the phone's), and what F2 tells it of a call
    # typed without a phone link.
    floor_board: FloorBoard
    presence: CallPresences
    # Finding a caller writes who was looked up and viewed in the audit trail.
    audit: AuditTrail
    # A call the phone rang is linked, once saved, to the phone's record of it; F7's
    # missed calls and callbacks.
    phone: PhoneCalls
