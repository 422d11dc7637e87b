"""What F8 (the chat area) reaches of the workstation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cc_terminal.services.calls.catalog import CatalogService
    from cc_terminal.services.calls.customers import CustomerService
    from cc_terminal.services.channels.conversations import Conversations


class ChannelsServices(Protocol):
    chats: Conversations
    # calls: the chat's customer's card and ledger; the knowledge base's canned answers
    customers: CustomerService
    catalog: CatalogService
