"""The phone on F2: a ring opens its caller's card through the same lookup as a typed
number (or the new-customer form, or the picker of several), and the call starts at the
ring; the phone's answer and hang-up set the call's times (F9 stays for calls without a
phone). A second ring during a call, or while a dialog is open on F2, never replaces what
is on screen: a notice names the number instead. Mixed into the incoming call screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input

from cc_terminal.control_pictures import shown
from cc_terminal.i18n import _
from cc_terminal.screens.calls.caller_search import CallField, FindsCallers
from cc_terminal.screens.calls.open_call import OpenCall
from cc_terminal.services.common import phones
from cc_terminal.services.phone.views import PhoneCallView


def number_words(view: PhoneCallView) -> str:
    """The caller's number for a line on screen: formatted when it parsed, else as the
    phone said it with its control characters made visible."""
    if view.phone_e164:
        return phones.display(view.phone_e164)
    return shown(view.number_raw) or _("unknown number")


def with_phone_times(call: OpenCall, view: PhoneCallView) -> OpenCall:
    """The open call with what the phone said since: answered, hung up (the first of each)."""
    if view.answered_at is not None and call.answered_at is None:
        call = call.answered(view.answered_at)
    if view.ended_at is not None and call.hung_up_at is None:
        call = call.hung_up(view.ended_at)
    return call


class PopsOnRing(FindsCallers):
    """What the phone tells F2 (the app hands over each call's newest state)."""

    # the ring whose card is being found (a lookup, the picker, the new-customer form)
    ringing: PhoneCallView | None = None

    if TYPE_CHECKING:

        def save_draft_soon(self) -> None: ...

    def phone_news(self, view: PhoneCallView) -> None:
        call = self.call
        if call is not None and call.phone_key == view.call_key:
            self.call = with_phone_times(call, view)
            self.save_draft_soon()
        elif self.ringing is not None and self.ringing.call_key == view.call_key:
            self.ringing = view
            if view.ended_at is not None and view.answered_at is None:
                message = _("The caller hung up before the card opened: {number}")
                self.notify(message.format(number=number_words(view)), timeout=10)
        elif view.ended_at is None:
            self.phone_rang(view)

    def phone_rang(self, view: PhoneCallView) -> None:
        if self.call is not None or self.app.screen is not self:
            message = _("Another call ringing: {number}")
            self.notify(message.format(number=number_words(view)), timeout=10)
            return
        self.ringing = view
        self.field(CallField.PHONE).error = ""
        found = self.query_one("#phone", Input)
        if view.phone_e164:
            found.value = phones.display(view.phone_e164)
            self.lookup(view.phone_e164)
            return
        found.value = shown(view.number_raw)[: found.max_length or None]
        message = _("Unknown number: the phone said “{number}”. Find the caller by name.")
        self.field(CallField.PHONE).error = message.format(number=number_words(view))
        self.set_focus(found)

    def phone_call_of(self, call: OpenCall) -> OpenCall:
        """A call opening while a ring waits for its card is that ring's call."""
        ringing, self.ringing = self.ringing, None
        if ringing is None:
            return call
        return with_phone_times(call.from_phone(ringing.call_key, ringing.rang_at), ringing)
