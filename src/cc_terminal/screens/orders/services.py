"""What F4 (orders, their forms, dispatch and the order setup) reaches of the workstation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cc_terminal.services.calls.catalog import CatalogService
    from cc_terminal.services.orders.addresses import AddressBook
    from cc_terminal.services.orders.dispatch import Dispatch
    from cc_terminal.services.orders.export import OrderExport
    from cc_terminal.services.orders.orders import OrderDesk
    from cc_terminal.services.orders.queries import OrderBook
    from cc_terminal.services.orders.setup import OrderSetup


class TeamServices(Protocol):
    """The field teams with their towns (the orders' setup, and F10's list of teams)."""

    dispatch: Dispatch
    addresses: AddressBook


class OrdersServices(TeamServices, Protocol):
    orders: OrderDesk
    order_book: OrderBook
    order_setup: OrderSetup
    order_export: OrderExport
    # An order's products come from calls' catalogue.
    catalog: CatalogService
