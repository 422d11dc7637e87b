"""The phone on F2: a ring opens its caller's card through the same lookup as a typed
number (or the new-customer form, or the picker of several), and the call starts at the
ring; the phone's answer and hang-up set the call's times (F9 stays for calls without a
phone). A second ring during a call, or while a dialog is open on F2, never replaces what
is on screen: a notice names the number instead. With the terminal's softphone ringing,
Ctrl+A answers on it; on its call F9 hangs up on it (its hang-up then ends the call as any
other). Mixed into the incoming call screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.widgets import Input

from cc_terminal.control_pictures import shown
from cc_terminal.i18n import _
from cc_terminal.screens.calls.caller_search import CallField, FindsCallers
from cc_terminal.screens.calls.open_call import OpenCall
from cc_terminal.services.common import phones
from cc_terminal.services.phone.baresip import from_softphone
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

    def softphone_key(self) -> str:
        """The call key of the softphone's call on screen or ringing for its card, if any."""
        if not self.workstation.settings.softphone:
            return ""
        call, ringing = self.call, self.ringing
        if call is not None:
            return call.phone_key if from_softphone(call.phone_key) else ""
        if ringing is not None and from_softphone(ringing.call_key):
            return ringing.call_key
        return ""

    def phone_ringing(self) -> bool:
        """The softphone rings for the call on screen (or for the card being found)."""
        if not self.softphone_key():
            return False
        if self.call is not None:
            return self.call.answered_at is None and self.call.hung_up_at is None
        return self.ringing is not None and self.ringing.answered_at is None

    def linked(self) -> bool:
        """The call on screen is the softphone's and still on the line (or ringing)."""
        return self.call is not None and self.call.hung_up_at is None and bool(self.softphone_key())

    def action_answer_phone(self) -> None:
        self.tell_softphone("accept")

    def action_hang_up_phone(self) -> None:
        """F9 on the softphone's call: hung up there; its hang-up event ends the call here."""
        self.tell_softphone("hangup")

    @work(exclusive=True, exit_on_error=False, group="softphone-key")
    async def tell_softphone(self, command: str) -> None:
        problem = await self.workstation.phone_command(command)
        if not problem:
            return
        self.notify(problem, severity="warning", timeout=6)
        if command == "hangup" and self.call is not None and self.call.hung_up_at is None:
            self.call = self.call.hung_up(self.workstation.clock())  # F9's own meaning
            self.save_draft_soon()

    def phone_news(self, view: PhoneCallView) -> None:
        call = self.call
        if call is not None and call.phone_key == view.call_key:
            self.call = with_phone_times(call, view)
            self.save_draft_soon()
        elif self.ringing is not None and self.ringing.call_key == view.call_key:
            self.ringing = view
            self.refresh_bindings()
            self.app.screen.refresh_bindings()  # a dialog over F2 offers Ctrl+A too
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
        self.refresh_bindings()
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
