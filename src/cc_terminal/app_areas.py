"""The work areas behind sign-in: one screen factory each, the app's modes (app.py). Each
area's screen module is imported when the area is first shown, never at the start."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from cc_terminal.screens.calls.services import CallsServices
    from cc_terminal.screens.channels.services import ChannelsServices
    from cc_terminal.screens.orders.services import OrdersServices
    from cc_terminal.screens.outbound.services import OutboundServices
    from cc_terminal.screens.pickers import RevealServices
    from cc_terminal.screens.privacy.services import PrivacyServices
    from cc_terminal.screens.rostering.services import RosteringServices
    from cc_terminal.screens.session.services import SessionServices
    from cc_terminal.screens.setup.services import SetupServices
    from cc_terminal.screens.tally.services import TallyServices
    from cc_terminal.services.common.views import Actor
    from cc_terminal.services.workstation import Workstation

    DomainServices = tuple[
        CallsServices,
        OutboundServices,
        OrdersServices,
        TallyServices,
        RosteringServices,
        PrivacyServices,
        SessionServices,
        SetupServices,
        RevealServices,
        ChannelsServices,
    ]


def every_domains_services(ws: Workstation) -> DomainServices:
    """The one workstation seen as each domain's services: mypy proves here that it
    satisfies every screen's Protocol, which the screens' ``services`` (screens/base.py)
    relies on."""
    return (ws, ws, ws, ws, ws, ws, ws, ws, ws, ws)


def incoming_screen() -> Screen:
    # Imported when first shown: its widgets (DataTable, TextArea, Select) are not needed
    # for the sign-in frame.
    from cc_terminal.screens.calls.incoming import IncomingCallScreen

    return IncomingCallScreen()


def outbound_screen() -> Screen:
    from cc_terminal.screens.outbound.outbound import OutboundScreen

    return OutboundScreen()


def orders_screen() -> Screen:
    from cc_terminal.screens.orders.orders import OrdersScreen

    return OrdersScreen()


def tally_screen() -> Screen:
    from cc_terminal.screens.tally.tally import TallyScreen

    return TallyScreen()


def days_off_screen() -> Screen:
    from cc_terminal.screens.rostering.days_off import DaysOffScreen

    return DaysOffScreen()


def queues_screen() -> Screen:
    from cc_terminal.screens.calls.queues import QueueScreen

    return QueueScreen()


def chats_screen() -> Screen:
    from cc_terminal.screens.channels.chats import ChatScreen

    return ChatScreen()


def setup_screen() -> Screen:
    from cc_terminal.screens.setup.setup import SetupScreen

    return SetupScreen()


# The work areas behind sign-in; each is rebuilt for the next person who signs in.
WORK_AREAS: dict[str, Callable[[], Screen]] = {
    "incoming": incoming_screen,
    "outbound": outbound_screen,
    "orders": orders_screen,
    "tally": tally_screen,
    "days_off": days_off_screen,
    "queues": queues_screen,
    "chats": chats_screen,
    "setup": setup_screen,
}


def landing_area(actor: Actor, services: CallsServices) -> str:
    """Where a sign-in lands: a team lead on their queue (F7), an operator, or anyone who
    left a call unfinished here, on the incoming call (F2), which offers it back."""
    if actor.is_lead and not services.drafts.kept(actor.operator_id):
        return "queues"
    return "incoming"
