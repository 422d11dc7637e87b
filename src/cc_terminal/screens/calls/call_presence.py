"""F2 tells the floor board of a call typed without a phone link: on the board from the
moment it opens (services/phone/presence.py) until it is saved or its draft thrown away.
A call the phone rang is on the board by the phone's own record. Mixed into the incoming
call screen (incoming.py); the writes run in a worker and never hold the call up."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from textual import work

from cc_terminal.services.common.errors import ServiceError
from cc_terminal.store.errors import StoreUnavailable

if TYPE_CHECKING:
    from cc_terminal.screens.calls.open_call import OpenCall
    from cc_terminal.screens.calls.services import CallsServices


class ShowsOnTheFloor:
    workstation: Any
    services: CallsServices

    def on_the_floor(self, call: OpenCall) -> None:
        if not call.phone_key:
            self._write_started(call)

    @work(thread=True, exit_on_error=False, group="presence")
    def _write_started(self, call: OpenCall) -> None:
        actor = self.workstation.require_actor()
        # Only the board's picture: a server away must not trouble the call itself.
        with contextlib.suppress(ServiceError, StoreUnavailable):
            self.services.presence.started(actor, call.call_id, call.started_at)

    def off_the_floor(self) -> None:
        """In a worker (the save's, the draft's): the operator's typed call has ended."""
        with contextlib.suppress(ServiceError, StoreUnavailable):
            self.services.presence.ended(self.workstation.require_actor())
