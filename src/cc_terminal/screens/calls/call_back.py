"""Calling back a missed call from F7's "My callbacks": F2 finds the number (the caller's
card, or the new-customer form with it), and saving that call marks the callback done,
linked to it. Mixed into the incoming call screen (incoming.py). What marks it is kept in
memory only: a call restored from its draft after a crash is saved without the mark (the
callback stays on the list, to be marked by the next call to that number)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.widgets import Input

from cc_terminal.i18n import _
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.views import Actor, CallDraft

if TYPE_CHECKING:
    from cc_terminal.screens.calls.services import CallsServices


class CallsBack:
    app: Any
    call: Any
    services: CallsServices
    callback_of: uuid.UUID | None = None  # the missed call this call is the callback of

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

    def as_callback(self, draft: CallDraft) -> CallDraft:
        """A callback is the operator's call out: stored, and counted by the tally, so."""
        return replace(draft, direction="out") if self.callback_of is not None else draft

    def forget_callback(self) -> None:
        self.callback_of = None

    def mark_callback_done(self, actor: Actor, call_id: uuid.UUID) -> None:
        """In the save's worker, after the call was stored."""
        missed, self.callback_of = self.callback_of, None
        if missed is None:
            return
        try:
            self.services.phone.callback_done(actor, missed, call_id)
        except ServiceError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
