"""Calling back a missed call from F7's "My callbacks": F2 finds the number (the caller's
card, or the new-customer form with it), and saving that call marks the callback done,
linked to it. Mixed into the incoming call screen (incoming.py). The missed call waits here
until the call opens, then goes with the open call (OpenCall.callback_of) and so into its
draft: a call restored after a crash still marks its callback done when saved."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.widgets import Input

from cc_terminal.i18n import _
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.views import Actor, CallDraft

if TYPE_CHECKING:
    from cc_terminal.screens.calls.open_call import OpenCall
    from cc_terminal.screens.calls.services import CallsServices


class CallsBack:
    app: Any
    call: Any
    services: CallsServices
    callback_of: uuid.UUID | None = None  # the missed call the next call to open calls back

    def call_back(self, phone_call_id: uuid.UUID, number: str) -> None:
        if self.call is not None:
            self.app.notify(_("Finish the open call first."), severity="warning")
            return
        self.callback_of = phone_call_id
        self.query_one("#phone", Input).value = number  # type: ignore[attr-defined]
        self.lookup(number)  # type: ignore[attr-defined]
        self.app.notify(
            _("Calling back {number}: saving the call marks it done.").format(number=number),
            timeout=4,
        )

    def with_callback(self, call: OpenCall) -> OpenCall:
        """The call that opens for a callback carries it from now on (and its draft)."""
        missed, self.callback_of = self.callback_of, None
        return call.calling_back(missed) if missed is not None else call

    def as_callback(self, draft: CallDraft, call: OpenCall) -> CallDraft:
        """A callback is the operator's call out: stored, and counted by the tally, so."""
        return replace(draft, direction="out") if call.callback_of is not None else draft

    def forget_callback(self) -> None:
        self.callback_of = None

    def mark_callback_done(
        self, actor: Actor, call_id: uuid.UUID, missed: uuid.UUID | None
    ) -> None:
        """In the save's worker, after the call was stored."""
        if missed is None:
            return
        try:
            self.services.phone.callback_done(actor, missed, call_id)
        except ServiceError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
        else:
            self.app.call_from_thread(self.app.poll_escalations)  # the header's badge goes
