"""The work areas behind sign-in: one screen factory each, the app's modes (app.py). Each
area's screen module is imported when the area is first shown, never at the start."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual._context import active_app
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


def _styled_now(screen: Screen) -> Screen:
    """A new area's screen is styled by the stylesheet as it is when its widgets mount.
    Textual counts stylesheet changes per screen and a new screen's count starts unset, so
    the first show of every mode re-parsed every stylesheet and restyled the whole app,
    twice (before and after the screen mounted): a quarter of sign-in's work on the UI
    thread (profiled). The area screens have no CSS of their own (the app's file and the
    widgets' DEFAULT_CSS only), so a new one is current; a theme change later still counts
    up and restyles it."""
    screen._css_update_count = active_app.get()._css_update_count
    return screen


def incoming_screen() -> Screen:
    # Imported when first shown: its widgets (DataTable, TextArea, Select) are not needed
    # for the sign-in frame.
    from cc_terminal.screens.calls.incoming import IncomingCallScreen

    return _styled_now(IncomingCallScreen())


def outbound_screen() -> Screen:
    from cc_terminal.screens.outbound.outbound import OutboundScreen

    return _styled_now(OutboundScreen())


def orders_screen() -> Screen:
    from cc_terminal.screens.orders.orders import OrdersScreen

    return _styled_now(OrdersScreen())


def tally_screen() -> Screen:
    from cc_terminal.screens.tally.tally import TallyScreen

    return _styled_now(TallyScreen())


def days_off_screen() -> Screen:
    from cc_terminal.screens.rostering.days_off import DaysOffScreen

    return _styled_now(DaysOffScreen())


def queues_screen() -> Screen:
    from cc_terminal.screens.calls.queues import QueueScreen

    return _styled_now(QueueScreen())


def chats_screen() -> Screen:
    from cc_terminal.screens.channels.chats import ChatScreen

    return _styled_now(ChatScreen())


def setup_screen() -> Screen:
    from cc_terminal.screens.setup.setup import SetupScreen

    return _styled_now(SetupScreen())


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
