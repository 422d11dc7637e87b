"""The work areas behind sign-in: one screen factory each, the app's modes (app.py). Each
area's screen module is imported when the area is first shown, never at the start."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen


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
    "setup": setup_screen,
}
