"""F3's lead while its call is on: the card and the call timer in place of the list,
closing the call in one chord (Ctrl+E) or giving the lead back, and the keys at hand in
the call: notes, questions, consent, do not call, a new order, the ledger, the knowledge
base, escalation. Taking a lead and the list are outbound.py."""

from __future__ import annotations

import uuid
from dataclasses import replace
from functools import partial

from textual import work
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, Static, TextArea

from cc_terminal.formats import coming_time
from cc_terminal.i18n import N_, _
from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.screens.calls.escalating import RaisesEscalations
from cc_terminal.screens.calls.knowledge import KnowledgeScreen
from cc_terminal.screens.calls.ledger_entry import OpensLedgerEntries
from cc_terminal.screens.outbound.consent_form import ConsentForm
from cc_terminal.screens.outbound.disposition_chord import DispositionChord
from cc_terminal.screens.outbound.services import OutboundServices
from cc_terminal.screens.outbound.text import STATUS_LABELS
from cc_terminal.screens.pickers import ConfirmObjection
from cc_terminal.services.calls.escalations import EscalationDraft
from cc_terminal.services.common import phones
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.views import CustomerCard as CustomerView
from cc_terminal.services.outbound.views import Closed, Closing, LeadCard
from cc_terminal.widgets.call_timer import CallTimer
from cc_terminal.widgets.customer_card import CustomerCard as CardView
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.questionnaire import Questionnaire
from cc_terminal.widgets.row_table import RowTable
from cc_terminal.widgets.select_keys import after_keys_typed
from cc_terminal.widgets.words import label
from cc_terminal.widgets.worker_results import show_latest


class LeadCall(RaisesEscalations, OpensLedgerEntries, WorkstationScreen[OutboundServices]):
    """The lead being called (``card``) and what the keys do with it; the screen
    (outbound.py) lists the leads and opens one."""

    ESCALATED = N_("Escalated: the team leads see it now. Stay with the customer.")

    lead_open: reactive[bool] = reactive(False, bindings=True, repaint=False)

    def __init__(self) -> None:
        super().__init__()
        self.card: LeadCard | None = None

    def load_list(self) -> object:
        """Reload the list of leads (the screen's own)."""

    def reread_lead(self, lead_id: uuid.UUID) -> object:
        """Read the lead on screen again, keeping its call (the screen's own)."""

    def watch_lead_open(self, lead_open: bool) -> None:
        switcher = self.query_one("#lead-switch", ContentSwitcher)
        switcher.current = "lead-card" if lead_open else "lead-list"
        self.set_class(lead_open, "-lead-open")  # below 100 columns the call's pane shows only then
        card = self.card if lead_open else None
        self.query_one("#lead-timer", CallTimer).started = card.opened_at if card else None

    def closing(self) -> Closing:
        assert self.card is not None
        return Closing(
            lead_id=self.card.lead_id,
            call_id=self.card.call_id,
            started_at=self.card.opened_at,
            disposition="",
            notes=self.query_one("#lead-notes", TextArea).text,
            answers=self.query_one(Questionnaire).answers(),
        )

    def action_close_lead(self) -> None:
        if self.card is not None:
            card = self.card
            chord = DispositionChord(card.dispositions, self.closing, card.calling_hours)
            self.app.push_screen(chord, self.lead_closed)

    def lead_closed(self, closed: Closed | None) -> None:
        if closed is None:
            return
        when = closed.callback_at or closed.next_attempt_at
        message = _("Lead closed: {status}.").format(status=label(STATUS_LABELS, closed.status))
        if when is not None:
            message += " " + _("Next call {when}.").format(
                when=coming_time(when, self.workstation.zone, self.workstation.clock())
            )
        self.notify(message, timeout=4)
        self.end_lead()
        self.workstation.refresh_today()

    def end_lead(self) -> None:
        self.card = None
        self.lead_open = False
        self.query_one("#lead-card", CardView).card = None
        for widget in ("#lead-legal", "#lead-why", "#lead-callback"):
            self.query_one(widget, InPlaceText).text = ""
        self.query_one("#lead-callback").display = False
        self.query_one("#lead-script-text", Static).update(_("N takes your next lead."))
        self.query_one(Questionnaire).questions = ()
        self.query_one("#lead-notes", TextArea).text = ""
        self.set_focus(self.query_one("#leads", RowTable))
        self.load_list()

    def action_give_back(self) -> None:
        if self.card is not None:
            self.release(self.card.lead_id)
            self.end_lead()

    @work(thread=True, exit_on_error=False, group="lead-release")
    def release(self, lead_id: uuid.UUID) -> None:
        self.services.outbound.release(self.workstation.require_actor(), lead_id)

    def action_focus_notes(self) -> None:
        self.set_focus(self.query_one("#lead-notes", TextArea))

    def action_focus_questions(self) -> None:
        self.query_one(Questionnaire).focus_first()

    def ledger_customer(self) -> uuid.UUID | None:
        return self.card.customer.id if self.card is not None else None

    def action_focus_ledger(self) -> None:
        self.set_focus(self.query_one("#lead-card #ledger-table"))

    def action_consent(self) -> None:
        if self.card is not None:
            self.app.push_screen(ConsentForm(self.card.phone_e164), self.consent_recorded)

    def consent_recorded(self, consent: object) -> None:
        if consent is not None and self.card is not None:
            self.notify(_("Consent recorded."), timeout=3)
            self.reread_lead(self.card.lead_id)  # the legal basis again

    def action_do_not_call(self) -> None:
        if self.card is None:
            return
        dnc = next((d for d in self.card.dispositions if d.dnc), None)

        def answered(record: bool | None) -> None:
            if record and self.card is not None:
                if dnc is not None:  # the call ends with it, as any disposition would
                    self.store_dnc(replace_disposition(self.closing(), dnc.code))
                else:
                    self.object_only(self.card.phone_e164)

        display = phones.display(self.card.phone_e164)
        self.app.push_screen(ConfirmObjection(display), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lead-dnc")
    def store_dnc(self, closing: Closing) -> None:
        try:
            closed = self.services.outbound.close(self.workstation.require_actor(), closing)
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
        else:
            self.app.call_from_thread(self.lead_closed, closed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lead-dnc")
    def object_only(self, phone: str) -> None:
        self.services.consents.record_objection(self.workstation.require_actor(), phone)
        self.app.call_from_thread(self.notify, _("Recorded: never called again."))

    def action_new_order(self) -> None:
        # Imported when first used: the order screens pull in the database layer.
        from cc_terminal.screens.orders.start import start_order

        card = self.card
        if card is not None and self.lead_open:
            start_order(
                self,
                card.customer.id,
                card.customer.full_name,
                call_id=card.call_id,
                lead_id=card.lead_id,
                then=partial(self.reload_ledger, card.customer.id),
                card=card.customer.values,
            )

    @work(thread=True, exclusive=True, exit_on_error=False, group="lead-ledger")
    def reload_ledger(self, customer_id: uuid.UUID) -> None:
        customer = self.services.customers.card(customer_id)
        show_latest(self.app, self.show_customer, customer)

    def show_customer(self, customer: CustomerView) -> None:
        if self.card is not None and self.card.customer.id == customer.id:
            self.card = replace(self.card, customer=customer)
            self.query_one("#lead-card", CardView).card = customer

    def action_knowledge(self) -> None:
        if self.card is not None:
            screen = KnowledgeScreen(self.card.customer.id, self.card.call_id)
            self.app.push_screen(screen)

    def action_escalate(self) -> None:
        after_keys_typed(self, self.escalate_with_context)  # a priority key: behind the keys

    def escalate_with_context(self) -> None:
        if self.card is None:
            return
        draft = EscalationDraft(
            call_id=self.card.call_id,
            customer_id=self.card.customer.id,
            call_started_at=self.card.opened_at,
            reason=self.card.campaign.code,
            notes=self.query_one("#lead-notes", TextArea).text,
        )
        self.raise_escalation(draft)


def replace_disposition(closing: Closing, code: str) -> Closing:
    return replace(closing, disposition=code)
