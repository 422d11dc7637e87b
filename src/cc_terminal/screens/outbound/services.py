"""What F3 (the lead's call, campaigns, surveys, lead files) reaches of the workstation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cc_terminal.services.calls.customers import CustomerService
    from cc_terminal.services.calls.escalations import EscalationService
    from cc_terminal.services.outbound.campaigns import CampaignService
    from cc_terminal.services.outbound.consents import ConsentService
    from cc_terminal.services.outbound.lead_import import LeadImportService
    from cc_terminal.services.outbound.outbound import OutboundService
    from cc_terminal.services.outbound.surveys import SurveyService
    from cc_terminal.services.phone.calls import PhoneCalls


class OutboundServices(Protocol):
    outbound: OutboundService
    campaigns: CampaignService
    consents: ConsentService
    leads: LeadImportService
    surveys: SurveyService
    # A lead who is a customer shows the customer's card; a lead's complaint is escalated
    # like a caller's.
    customers: CustomerService
    escalations: EscalationService
    # A lead dialled through the softphone: its phone call is linked to the call record
    # and marked when transferred.
    phone: PhoneCalls
