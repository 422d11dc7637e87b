"""What an incoming call stores besides itself, each at once and under the call's key: a
request, an order, an escalation, a "do not call me again". What it stored proposes the
call's outcome, and a request's category its reason."""

from __future__ import annotations

import uuid
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import work
from textual.widgets import TextArea

from cc_terminal.data.codes import CallOutcome
from cc_terminal.i18n import _
from cc_terminal.screens.calls.escalating import RaisesEscalations
from cc_terminal.screens.calls.open_call import OpenCall
from cc_terminal.screens.calls.request_form import RequestForm
from cc_terminal.screens.pickers import ConfirmObjection
from cc_terminal.services.calls.escalations import EscalationDraft
from cc_terminal.services.calls.requests import RequestView
from cc_terminal.services.common import phones
from cc_terminal.widgets.plain_widgets import PlainSelect
from cc_terminal.widgets.select_keys import after_keys_typed

if TYPE_CHECKING:
    from cc_terminal.screens.calls.services import CallsServices


class RecordsOnCall(RaisesEscalations):
    """Mixed into the incoming call screen (screens/calls/incoming.py)."""

    app: Any
    call: OpenCall | None
    services: CallsServices
    workstation: Any
    query_one: Any
    notify: Any
    reload_card: Any
    reason: Any

    def action_new_request(self) -> None:
        if self.call is not None:
            card = self.call.card
            form = RequestForm(card.id, card.full_name, self.call.call_id)
            self.app.push_screen(form, self.request_registered)

    def action_new_order(self) -> None:
        # Imported when first used: the order screens pull in the database layer.
        from cc_terminal.screens.orders.start import start_order

        call = self.call
        if call is not None:
            card = call.card
            taken = partial(self.call_did, call, CallOutcome.ORDER_TAKEN)
            screen: Any = self
            start_order(
                screen, card.id, card.full_name, call_id=call.call_id, then=taken, card=card.values
            )

    def request_registered(self, request: RequestView | None) -> None:
        call = self.call
        if request is not None and call is not None:
            due = request.due_at.astimezone(self.workstation.zone).strftime("%d.%m. %H:%M")
            self.notify(_("Request registered, due {due}.").format(due=due))
            reason = self.query_one("#reason", PlainSelect)
            if reason.is_blank() and request.category in reason.choices:
                reason.value = request.category  # the request says why they called
            self.call_did(call, CallOutcome.REQUEST_REGISTERED)

    def call_did(self, call: OpenCall, outcome: CallOutcome) -> None:
        """Something stored on ``call`` proposes its outcome; its card is read again."""
        if self.call is call or (self.call is not None and self.call.call_id == call.call_id):
            self.call = self.call.proposing(outcome)
            self.reload_card(call.call_id, call.card.id)

    def action_escalate(self) -> None:
        # F12 is a priority key: it runs before the notes have handled the keys typed just
        # before it. Queue behind them, so the supervisor gets every word.
        screen: Any = self
        after_keys_typed(screen, self.escalate_with_context)

    def escalate_with_context(self) -> None:
        call = self.call
        if call is None:
            return
        self.raise_escalation(
            EscalationDraft(
                call_id=call.call_id,
                customer_id=call.card.id,
                call_started_at=call.started_at,
                reason=self.reason(),
                notes=self.query_one("#notes", TextArea).text,
            )
        )

    def escalated(self, call_id: uuid.UUID) -> None:
        if self.call is not None and self.call.call_id == call_id:
            self.call_did(self.call, CallOutcome.ESCALATED)

    def action_do_not_call(self) -> None:
        """ "Do not call me again", heard on an incoming call: every campaign stops."""
        call = self.call
        if call is None or not call.phone_e164:
            return

        def answered(record: bool | None) -> None:
            if record:
                self.record_objection(call)

        self.app.push_screen(ConfirmObjection(phones.display(call.phone_e164)), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="objection")
    def record_objection(self, call: OpenCall) -> None:
        actor = self.workstation.require_actor()
        self.services.consents.record_objection(actor, call.phone_e164, call.call_id)
        self.app.call_from_thread(self.notify, _("Recorded: no campaign calls this number."))
        self.reload_card(call.call_id, call.card.id)
