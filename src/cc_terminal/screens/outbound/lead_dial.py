"""F3's lead dialled through the terminal's softphone: N's lead and one opened from the
list with Enter alike, when the calling window and the legal basis allow it now (the pick
checks both before; the card's basis and claim are checked here: a lead that may not be
called is not dialled, and the card says why). The card's phone line says dialling,
ringing, answered or the SIP result; a call nobody talked on closes its attempt by that
result (busy, no answer, invalid number, refused: services/outbound/dialling.py), with no
key; unanswered for the campaign's ring time, it is hung up (no answer). An answered call
is closed by the operator (Ctrl+E) with its talk time from the phone's answer and hang-up.
Ctrl+X hands a live call on (blind transfer). A dial whose answer never came (sent, the
softphone's reply lost) is still followed: the phone's events for the dialled number drive
the card as if the answer had come. Without a softphone nothing here acts."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.widgets import TextArea

from cc_terminal.formats import local_time
from cc_terminal.i18n import _
from cc_terminal.screens.calls.transfer_picker import AsksTransferTarget
from cc_terminal.screens.outbound.lead_call import LeadCall
from cc_terminal.services.common import phones
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.outbound.dialling import dial_uri, why_not_dialled
from cc_terminal.services.outbound.views import Closed, Closing, LeadCard
from cc_terminal.services.phone.transfer import TransferTarget, extension_uri
from cc_terminal.widgets.call_timer import CallTimer
from cc_terminal.widgets.in_place_text import InPlaceText

if TYPE_CHECKING:
    from textual.timer import Timer

    from cc_terminal.services.phone.views import PhoneCallView

# A phone call is the dialled one when its number is the lead's and it rang after the
# dial (allowing the phone's clock this much earlier).
SAME_CALL_SLACK = timedelta(seconds=5)


@dataclass
class Dialled:
    """The lead's call as the phone reports it."""

    number: str  # the lead's E.164, as dialled
    started: datetime
    call_key: str = ""
    answered_at: datetime | None = None
    hung_up_at: datetime | None = None
    cancelled: bool = False  # our ring timeout hung up
    transferred_to: str = ""  # the target's name, once handed on

    def is_it(self, view: PhoneCallView) -> bool:
        if self.call_key:
            return view.call_key == self.call_key
        number = view.phone_e164 or view.number_raw
        return number == self.number and view.rang_at >= self.started - SAME_CALL_SLACK

    @property
    def live(self) -> bool:
        return self.answered_at is not None and self.hung_up_at is None


class DialsLeads(AsksTransferTarget, LeadCall):
    def __init__(self) -> None:
        super().__init__()
        self.dialled: Dialled | None = None
        self._ring_timer: Timer | None = None

    def dial_card(self, card: LeadCard) -> None:
        """Dial the lead just taken, when this terminal has a softphone and the lead may
        be called now (never a lead the window or the legal basis forbids)."""
        settings = self.workstation.settings
        if not settings.softphone:
            return
        refused = why_not_dialled(card)
        if refused:
            self.show_dial(_("☎ Not dialled: {why}").format(why=refused), True)
            return
        self.dialled = Dialled(card.phone_e164, self.workstation.clock())
        self.workstation.phone_dialler = self.dial_news
        self.show_dial(_("☎ Dialling {number}…").format(number=phones.display(card.phone_e164)))
        self.send_dial(dial_uri(card.phone_e164, settings.sip_gateway), card.campaign.ring_seconds)

    @work(exclusive=True, exit_on_error=False, group="lead-dial")
    async def send_dial(self, uri: str, ring_seconds: int) -> None:
        sent = time.monotonic()
        said = await self.workstation.softphone_said("dial", uri)
        dialled = self.dialled
        if dialled is None:
            return
        if said.problem and not said.unconfirmed:
            self.forget_dial()
            self.show_dial(
                _("☎ Not dialled: {problem} Dial by hand.").format(problem=said.problem), True
            )
            return
        if said.unconfirmed and not dialled.call_key:  # no event of it came meanwhile
            self.show_dial(_("☎ Dialled; the softphone did not confirm. Following the call…"))
        if dialled.answered_at is None and dialled.hung_up_at is None:
            left = max(1.0, ring_seconds - (time.monotonic() - sent))
            self._ring_timer = self.set_timer(left, self.ring_timed_out)

    def show_dial(self, words: str, bad: bool = False) -> None:
        line = self.query_one("#lead-dial", InPlaceText)
        line.text = Text(words, style="bold red" if bad else "")
        line.display = True

    def dial_news(self, view: PhoneCallView) -> None:
        """From the app: a state of an outgoing call of this extension."""
        dialled = self.dialled
        if dialled is None or not dialled.is_it(view):
            return
        dialled.call_key = view.call_key
        timer = self.query_one("#lead-timer", CallTimer)
        if view.answered_at is not None and dialled.answered_at is None:
            dialled.answered_at = view.answered_at
            self.stop_ring_timer()
            timer.started = view.answered_at  # talk time from the answer
            self.show_dial(_("☎ Answered: talking."))
        if view.ended_at is not None and dialled.hung_up_at is None:
            dialled.hung_up_at = view.ended_at
            self.stop_ring_timer()
            if dialled.transferred_to:
                words = _("☎ Transferred to {name}: choose the outcome with Ctrl+E.")
                self.show_dial(words.format(name=dialled.transferred_to))
            elif dialled.answered_at is not None:
                timer.hung_up = view.ended_at
                self.show_dial(_("☎ Hung up: choose the outcome with Ctrl+E."))
            else:
                self.close_unanswered(self.closing(), view.end_code, dialled.cancelled)
        elif dialled.answered_at is None and dialled.hung_up_at is None:
            self.show_dial(_("☎ Ringing {number}…").format(number=phones.display(dialled.number)))
        self.refresh_bindings()

    def ring_timed_out(self) -> None:
        dialled = self.dialled
        if dialled is None or dialled.answered_at is not None or dialled.hung_up_at is not None:
            return
        dialled.cancelled = True
        self.show_dial(_("☎ No answer: hanging up."))
        self.send_command("hangup")

    def stop_ring_timer(self) -> None:
        if self._ring_timer is not None:
            self._ring_timer.stop()
            self._ring_timer = None

    @work(exit_on_error=False, group="lead-phone")
    async def send_command(self, name: str, params: str = "") -> None:
        problem = await self.workstation.phone_command(name, params)
        if problem:
            self.notify(problem, severity="warning", timeout=6)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lead-dial-close")
    def close_unanswered(self, closing: Closing, code: int | None, cancelled: bool) -> None:
        actor = self.workstation.require_actor()
        try:
            closed = self.services.outbound.close_unanswered(actor, closing, code, cancelled)
        except ServiceError as error:
            self.app.call_from_thread(self.show_dial, f"☎ {error}", True)
            return
        if closed is None:
            words = _("☎ The call ended ({code}): choose the outcome with Ctrl+E.")
            self.app.call_from_thread(self.show_dial, words.format(code=code or "—"), True)
        else:
            self.app.call_from_thread(self.lead_closed, closed)

    # -- the lead's call, with the phone ---------------------------------------------

    def closing(self) -> Closing:
        closing = super().closing()
        dialled = self.dialled
        if dialled is None:
            return closing
        answered, hung_up = dialled.answered_at, dialled.hung_up_at
        return replace(closing, by_phone=True, answered_at=answered, hung_up_at=hung_up)

    def lead_closed(self, closed: Closed | None) -> None:
        if closed is not None and self.card is not None:
            self.phone_over(self.card.call_id)
        super().lead_closed(closed)

    def action_give_back(self) -> None:
        self.phone_over(None)
        super().action_give_back()

    def phone_over(self, call_id: uuid.UUID | None) -> None:
        """The lead's call is over here: a call still on the line is hung up, and the
        phone's record is linked to the saved call."""
        dialled = self.dialled
        if dialled is not None:
            if dialled.hung_up_at is None and not dialled.transferred_to:
                self.send_command("hangup")
            if dialled.call_key and call_id is not None:
                self.link_phone(dialled.call_key, call_id)
        self.forget_dial()

    def forget_dial(self) -> None:
        self.stop_ring_timer()
        self.dialled = None
        if self.workstation.phone_dialler == self.dial_news:
            self.workstation.phone_dialler = None

    def end_lead(self) -> None:
        line = self.query_one("#lead-dial", InPlaceText)
        line.text, line.display = "", False
        super().end_lead()

    @work(thread=True, exit_on_error=False, group="lead-phone-link")
    def link_phone(self, call_key: str, call_id: uuid.UUID) -> None:
        try:
            self.services.phone.link_call(self.workstation.require_actor(), call_key, call_id)
        except ServiceError as error:  # the call is saved; only the link is missing
            self.app.call_from_thread(self.notify, str(error), severity="warning")

    # -- transfer (Ctrl+X) -----------------------------------------------------------

    def may_transfer(self) -> bool:
        return self.dialled is not None and self.dialled.live and not self.dialled.transferred_to

    @work(exclusive=True, exit_on_error=False, group="lead-transfer")
    async def transfer_to(self, target: TransferTarget) -> None:
        settings = self.workstation.settings
        uri = extension_uri(target.extension, settings.sip_gateway, settings.softphone)
        problem = await self.workstation.phone_command("transfer", uri)
        dialled = self.dialled
        if problem or dialled is None:
            self.notify(problem or _("The call is over."), severity="warning", timeout=6)
            return
        dialled.transferred_to = target.name
        when = local_time(self.workstation.clock(), self.workstation.zone, "%H:%M")
        line = _("Transferred to {name} ({ext}) at {when}.")
        notes = self.query_one("#lead-notes", TextArea)
        said = line.format(name=target.name, ext=target.extension, when=when)
        notes.text = "\n".join(part for part in (notes.text.rstrip(), said) if part)
        words = _("☎ Transferred to {name}: choose the outcome with Ctrl+E.")
        self.show_dial(words.format(name=target.name))
        self.mark_transferred(dialled.call_key)
        await self.workstation.phone_command("hangup")  # baresip keeps our leg otherwise
        self.refresh_bindings()

    @work(thread=True, exit_on_error=False, group="lead-phone-link")
    def mark_transferred(self, call_key: str) -> None:
        try:
            self.services.phone.transferred(self.workstation.require_actor(), call_key)
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="warning")
