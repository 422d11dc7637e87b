"""One way in for ``cc-terminal ring`` and the webhook: store the event (``apply``), then
hand it to the running TUI of its extension on this host through its socket. A TUI that
is not running here is no error: the call is stored, and in server mode the TUI of
another host hears of it by NOTIFY."""

from __future__ import annotations

from dataclasses import dataclass

from cc_terminal.config import Settings
from cc_terminal.services.common.views import Actor
from cc_terminal.services.phone.calls import PhoneCalls
from cc_terminal.services.phone.events import PhoneEvent
from cc_terminal.services.phone.local_socket import forward, socket_path
from cc_terminal.services.phone.views import PhoneCallView


@dataclass(frozen=True)
class Delivered:
    call: PhoneCallView
    to_terminal: bool  # a TUI of the extension on this host took it
    refused: str = ""  # what that TUI said when it did not


def deliver(phone: PhoneCalls, settings: Settings, actor: Actor, event: PhoneEvent) -> Delivered:
    view = phone.apply(actor, event)
    try:
        refused = forward(socket_path(settings, event.extension), event)
    except OSError:
        return Delivered(view, False)
    return Delivered(view, not refused, refused)
