"""F2, the incoming call: find the caller (by phone, or by name, address or e-mail), read
their ledger, advise from the knowledge base, register requests, escalate, and end the
call with an outcome. What is typed is kept as a local draft until the call is saved."""

from __future__ import annotations

import uuid

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Select, TextArea

from cc_terminal import limits
from cc_terminal.formats import money
from cc_terminal.i18n import N_, _
from cc_terminal.memory import freeze_long_lived
from cc_terminal.models.reference import ListKind
from cc_terminal.phase_marks import mark
from cc_terminal.screens.calls.call_back import CallsBack
from cc_terminal.screens.calls.call_draft import KeepsCallDraft
from cc_terminal.screens.calls.call_presence import ShowsOnTheFloor
from cc_terminal.screens.calls.call_records import RecordsOnCall
from cc_terminal.screens.calls.call_saving import SavesCalls
from cc_terminal.screens.calls.call_transfer import TransfersCalls
from cc_terminal.screens.calls.caller_search import CallField
from cc_terminal.screens.calls.customer_form import CustomerFormScreen
from cc_terminal.screens.calls.knowledge import KnowledgeScreen
from cc_terminal.screens.calls.ledger_entry import OpensLedgerEntries
from cc_terminal.screens.calls.open_call import OpenCall
from cc_terminal.screens.calls.phone_ring import PopsOnRing
from cc_terminal.screens.pickers import OutcomePicker
from cc_terminal.services.calls.offers import OfferView
from cc_terminal.services.common.views import CallDraftState, CustomerCard
from cc_terminal.widgets.call_timer import CallTimer
from cc_terminal.widgets.customer_card import CustomerCard as CardView
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_field import FormField, form_field, show_field_errors
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.header import WorkstationHeader
from cc_terminal.widgets.pane import Pane
from cc_terminal.widgets.plain_widgets import PlainSelect, PlainTextArea
from cc_terminal.widgets.select_keys import after_keys_typed
from cc_terminal.widgets.today_strip import TodayStrip
from cc_terminal.widgets.worker_results import show_latest

WARM_UP_DELAY_SECONDS = 1.5


class IncomingCallScreen(
    OpensLedgerEntries,
    RecordsOnCall,
    SavesCalls,
    CallsBack,
    PopsOnRing,
    KeepsCallDraft,
    TransfersCalls,
    ShowsOnTheFloor,
):
    AREA = N_("Incoming call")
    BINDINGS = [
        Binding("ctrl+f", "find_caller", N_("Find caller"), id="incoming.find", priority=True),
        Binding("ctrl+r", "focus_reason", N_("Reason"), id="incoming.reason", priority=True),
        Binding("ctrl+n", "focus_notes", N_("Notes"), id="incoming.notes", priority=True),
        Binding("ctrl+l", "focus_ledger", N_("Ledger"), id="incoming.ledger", priority=True),
        Binding(
            "ctrl+k", "knowledge", N_("Knowledge base"), id="incoming.knowledge", priority=True
        ),
        Binding("ctrl+t", "new_request", N_("New request"), id="incoming.request", priority=True),
        Binding("f12", "escalate", N_("Escalate"), id="incoming.escalate", priority=True),
        Binding("ctrl+w", "new_order", N_("New order"), id="incoming.order", priority=True),
        Binding("ctrl+d", "do_not_call", N_("Do not call"), id="incoming.dnc", priority=True),
        # Ctrl+U, a priority over a field's delete-to-start: F8 is the chat area everywhere.
        Binding(
            "ctrl+u",
            "edit_customer",
            N_("Edit customer"),
            id="incoming.edit_customer",
            priority=True,
        ),
        # Ctrl+A only while the softphone rings (else a field's go-to-start).
        Binding("ctrl+a", "answer_phone", N_("Pick up"), id="incoming.answer", priority=True),
        Binding("f9", "hang_up_phone", N_("Hang up"), id="incoming.hang_up_phone"),
        Binding("f9", "hang_up", N_("Hung up"), id="incoming.hang_up"),
        Binding("ctrl+x", "transfer", N_("Transfer"), id="incoming.transfer", priority=True),
        Binding("ctrl+e", "end_call", N_("End call"), id="incoming.end", priority=True),
        Binding("escape", "clear", N_("Clear number"), id="incoming.clear"),
    ]

    # The key bar's order during a call (widgets/footer.py): ending it first.
    KEY_RANK = (
        "answer_phone",
        "end_call",
        "hang_up_phone",
        "hang_up",
        "focus_reason",
        "focus_notes",
        "new_request",
        "knowledge",
        "new_order",
        "escalate",
        "edit_customer",
        "focus_ledger",
        "do_not_call",
        "find_caller",
    )

    call: reactive[OpenCall | None] = reactive(None, bindings=True, repaint=False)
    # Textual repaints the whole screen when the focus moves (a screen pop moves it to the
    # reason); the widgets the move restyles repaint themselves, so here nothing else does.
    focused: reactive[Widget | None] = reactive(None, repaint=False)

    class CallChanged(Message):
        """A call opened or closed; the app asks before quitting with one open."""

        def __init__(self, screen: IncomingCallScreen, call_open: bool) -> None:
            super().__init__()
            self.screen = screen
            self.call_open = call_open

        @property
        def control(self) -> IncomingCallScreen:
            return self.screen

    def __init__(self) -> None:
        super().__init__()
        self._draft_timer: Timer | None = None

    @property
    def call_open(self) -> bool:
        return self.call is not None

    @property
    def card(self) -> CustomerCard | None:
        return self.call.card if self.call is not None else None

    def ledger_customer(self) -> uuid.UUID | None:
        return self.call.card.id if self.call is not None else None

    def compose(self) -> ComposeResult:
        lists = self.workstation.lists
        settings = self.workstation.settings
        yield WorkstationHeader(_(self.AREA))
        yield TodayStrip(id="today")
        with Horizontal(id="incoming-body"):
            with Pane(id="caller-pane"):
                yield FormField(
                    _("Find caller: phone, or name, street, town, e-mail"),
                    FormInput(
                        placeholder=_("+420 601 123 456  or  Nováková Brno"),
                        id="phone",
                        max_length=limits.SEARCH,
                    ),
                    name=CallField.PHONE,
                )
                yield CardView(settings.timezone, lists, settings.default_region, id="card")
            with Pane(id="call-pane"):
                yield CallTimer(self.workstation.clock, id="timer")
                reasons = [(_(r.label), r.code) for r in lists.active(ListKind.CALL_REASON)]
                yield FormField(
                    _("Reason"),
                    PlainSelect(reasons, prompt=_("Choose a reason"), id="reason"),
                    name=CallField.REASON,
                )
                yield FormField(
                    _("Notes"),
                    PlainTextArea(id="notes", soft_wrap=True),
                    name=CallField.NOTES,
                )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#notes", TextArea).cursor_blink = self.workstation.cursor_blink
        self.set_focus(self.query_one("#phone", Input))
        # Not at once: loading them holds the interpreter while today's figures come in.
        self.set_timer(WARM_UP_DELAY_SECONDS, self.warm_up)

    @work(thread=True, exit_on_error=False, group="warm-up")
    def warm_up(self) -> None:
        """Load the money formats before the first caller, not during their screen pop, and
        take this screen out of the garbage collector's full passes."""
        money(0, "CZK", self.workstation.settings.default_region)
        freeze_long_lived()

    def claim_context(self) -> tuple[uuid.UUID | None, uuid.UUID | None, str]:
        """What a claim (+) is about: the call in progress, when one is."""
        if self.call is not None:
            return self.call.call_id, None, self.call.card.full_name
        return None, None, ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {
            "end_call",
            "focus_reason",
            "focus_notes",
            "edit_customer",
            "focus_ledger",
            "new_request",
            "new_order",
            "escalate",
            "do_not_call",
        }:
            return self.call_open
        if action == "hang_up":
            return self.call is not None and self.call.hung_up_at is None and not self.linked()
        if action == "hang_up_phone":
            return self.linked()
        if action == "answer_phone":
            return self.phone_ringing()
        if action == "transfer":
            return self.call_open and self.may_transfer()
        if action in {"clear", "find_caller"}:
            return not self.call_open
        return True

    def watch_call(self, was: OpenCall | None, call: OpenCall | None) -> None:
        """Everything on screen that belongs to a call follows the one value."""
        if was is None or call is None or was.card is not call.card:
            self.query_one(CardView).card = call.card if call is not None else None
        timer = self.query_one("#timer", CallTimer)
        timer.started = call.started_at if call is not None else None
        timer.hung_up = call.hung_up_at if call is not None else None
        if (was is None) != (call is None):
            # Not `disabled`: that restyles the whole field on the screen-pop path.
            self.query_one("#phone", Input).can_focus = call is None
            self.post_message(self.CallChanged(self, call is not None))

    # -- the open call ----------------------------------------------------------------

    def open_call(
        self, card: CustomerCard, identified_by: str = "", restore: CallDraftState | None = None
    ) -> None:
        if self.call is not None:
            return  # a late answer (a card, a restored draft): the call in progress stays
        mark("update")
        if restore is not None:
            self.call = OpenCall.restore(card, restore)
        else:
            started = OpenCall.start(card, self.workstation.clock(), identified_by)
            self.call = self.with_callback(self.phone_call_of(started))
        if restore is not None:
            self.restore_typed(restore)
        self.on_the_floor(self.call)
        self.save_draft_soon()
        # Paint the card first; moving the focus restyles both panes (about 10 ms).
        self.call_after_refresh(self._focus_reason_unless_moved)
        mark("updated")

    def _focus_reason_unless_moved(self) -> None:
        # A quick operator may already be in the reason list (Ctrl+R, Enter): leave them there.
        focused = self.focused
        if focused is None or focused.id == "phone":
            self.set_focus(self.query_one("#reason", Select))

    def action_focus_reason(self) -> None:
        self.set_focus(self.query_one("#reason", Select))

    def action_focus_notes(self) -> None:
        self.set_focus(self.query_one("#notes", TextArea))

    def action_focus_ledger(self) -> None:
        self.set_focus(self.query_one("#ledger-table"))

    def action_knowledge(self) -> None:
        call = self.call
        screen = (
            KnowledgeScreen(call.card.id, call.call_id) if call else KnowledgeScreen(None, None)
        )
        self.app.push_screen(screen, self.offer_recorded)

    def offer_recorded(self, offer: OfferView | None) -> None:
        if offer is not None and self.call is not None:
            answer = _("accepted") if offer.accepted else _("refused")
            self.notify(
                _("Offer of {name} recorded: {answer}.").format(
                    name=offer.product_name, answer=answer
                )
            )
            self.reload_card(self.call.call_id, self.call.card.id)

    def action_clear(self) -> None:
        self.forget_callback()
        self.query_one("#phone", Input).value = ""
        self.field(CallField.PHONE).error = ""
        self.set_focus(self.query_one("#phone", Input))

    def action_edit_customer(self) -> None:
        if self.call is not None:
            self.app.push_screen(CustomerFormScreen.edit(self.call.card), self.customer_edited)

    def customer_edited(self, card: CustomerCard | None) -> None:
        call = self.call
        if call is None:
            return
        if card is None:
            self.reload_card(call.call_id, call.card.id)  # someone else may have saved it
        else:
            self.show_card(call.call_id, card)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lookup")
    def reload_card(self, call_id: uuid.UUID, customer_id: uuid.UUID) -> None:
        card = self.services.customers.card(customer_id)
        show_latest(self.app, self.show_card, call_id, card)

    def show_card(self, call_id: uuid.UUID, card: CustomerCard) -> None:
        """A card read again for the call ``call_id``: dropped once that call has ended."""
        call = self.call
        if call is not None and call.call_id == call_id and call.card.id == card.id:
            self.call = call.with_card(card)
            self.save_draft_soon()

    def action_hang_up(self) -> None:
        """The customer has gone: talk time stops, wrap-up time starts."""
        if self.call is not None:
            self.call = self.call.hung_up(self.workstation.clock())
            self.save_draft_soon()

    def action_end_call(self) -> None:
        after_keys_typed(self, self.end_call_now)  # a priority key: behind the keys typed

    def end_call_now(self) -> None:
        call = self.call
        if call is None or not self.check_ready_to_end():
            return
        ended_at = call.hung_up_at or self.workstation.clock()

        def outcome_chosen(outcome: str | None) -> None:
            if outcome is not None and self.call is call:
                self.finish_call(call, ended_at, outcome)

        outcomes = self.workstation.lists.active(ListKind.CALL_OUTCOME)
        picker = OutcomePicker(outcomes, proposed=call.proposed_outcome)
        self.app.push_screen(picker, outcome_chosen)

    def check_ready_to_end(self) -> bool:
        errors: dict[str, str] = {}
        if self.query_one("#reason", Select).value is Select.NULL:
            errors[CallField.REASON] = _("Choose why they called before ending the call.")
        if len(self.query_one("#notes", TextArea).text) > limits.NOTES:
            errors[CallField.NOTES] = _("Too long: at most {limit} characters.").format(
                limit=limits.NOTES
            )
        self.show_errors(errors)
        return not errors

    def reason(self) -> str:
        reason = self.query_one("#reason", Select).value
        return "" if reason is Select.NULL else str(reason)

    def call_saved(self) -> None:
        self.notify(_("Call saved."), timeout=3)
        self.reset_call()
        self.workstation.refresh_today()

    def reset_call(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.call, self.unsaved = None, None
        self.query_one("#reason", Select).clear()
        self.query_one("#notes", TextArea).clear()
        self.action_clear()

    # -- errors -------------------------------------------------------------------------

    def field(self, name: CallField) -> FormField:
        return form_field(self, name)

    def show_errors(self, errors: dict[str, str]) -> None:
        first = show_field_errors(self, errors)
        other = [message for key, message in errors.items() if key not in set(CallField)]
        if other:
            self.notify("\n".join(other), severity="error")
        if first is not None:
            self.set_focus(first.field)
