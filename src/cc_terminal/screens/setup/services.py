"""What F10 (the lists, catalogue, campaigns, teams, order fields, keeping, accounts,
mailboxes) and F11 (sync conflicts) reach of the workstation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from cc_terminal.screens.orders.services import TeamServices

if TYPE_CHECKING:
    from cc_terminal.services.calls.catalog import CatalogService
    from cc_terminal.services.channels.conversations import Conversations
    from cc_terminal.services.channels.mail import MailService
    from cc_terminal.services.common.reference import ReferenceService
    from cc_terminal.services.floor.conflicts import ConflictService
    from cc_terminal.services.orders.setup import OrderSetup
    from cc_terminal.services.outbound.campaigns import CampaignService
    from cc_terminal.services.phone.floor_limits import FloorSettings
    from cc_terminal.services.privacy.account_list import AccountDirectory
    from cc_terminal.services.privacy.accounts import AccountAdmin
    from cc_terminal.services.privacy.auth import AuthService
    from cc_terminal.services.privacy.retention import Retention


class SetupServices(TeamServices, Protocol):
    """Setup edits every domain's lists, so it reaches each one's setup service (the
    field teams through TeamServices) and nothing that works a call or an order."""

    reference: ReferenceService
    catalog: CatalogService
    campaigns: CampaignService
    order_setup: OrderSetup
    retention: Retention
    conflicts: ConflictService
    # the Accounts tab: the list, its changes, and a new account (auth's rules for one)
    account_list: AccountDirectory
    accounts: AccountAdmin
    auth: AuthService
    chats: Conversations  # how many chats each operator holds at once

    @property  # channels: the Mailboxes tab (the lead's mailboxes); opened when first used
    def mail(self) -> MailService: ...

    floor_settings: FloorSettings  # the floor board's limits (F)
