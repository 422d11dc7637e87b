"""What F8 (the chat and letters area) reaches of the workstation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cc_terminal.services.calls.catalog import CatalogService
    from cc_terminal.services.calls.customers import CustomerService
    from cc_terminal.services.calls.escalations import EscalationService
    from cc_terminal.services.calls.search import CustomerSearch
    from cc_terminal.services.channels.conversations import Conversations
    from cc_terminal.services.channels.mail import MailService
    from cc_terminal.services.outbound.consents import ConsentService


class ChannelsServices(Protocol):
    chats: Conversations

    @property  # a letter's thread, reply, attachments; a chat's transcript; opened when first used
    def mail(self) -> MailService: ...

    # calls: the chat's customer's card and ledger; the knowledge base's canned answers
    customers: CustomerService
    catalog: CatalogService
    escalations: EscalationService  # F12 from a chat, as from a call
    search: CustomerSearch  # Ctrl+F: the customer a conversation is about
    consents: ConsentService  # O in a chat with a phone: its consent to marketing
