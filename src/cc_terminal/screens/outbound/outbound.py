"""F3, outbound: the operator's own leads (T makes the highlighted one warmer), the next
one to call (N), its card with the script, the legal basis and why it came next. Closing
it in one chord (Ctrl+E) and the other keys of its call are lead_call.py."""

from __future__ import annotations

import uuid
from dataclasses import replace
from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, Select, Static, TextArea
from textual.worker import get_current_worker

from cc_terminal.i18n import N_, _
from cc_terminal.screens.outbound.progressive import ProgressiveDialling
from cc_terminal.screens.outbound.text import (
    STATUS_LABELS,
    TEMPERATURE_LABELS,
    callback_line,
    count_line,
    list_columns,
    list_row,
)
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.outbound.views import LeadCard, LeadFilter, LeadRow
from cc_terminal.store.errors import StoreUnavailable
from cc_terminal.widgets.call_timer import CallTimer
from cc_terminal.widgets.customer_card import CustomerCard as CardView
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.header import WorkstationHeader
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.pane import Pane
from cc_terminal.widgets.plain_widgets import PlainSelect, PlainTextArea
from cc_terminal.widgets.questionnaire import Questionnaire
from cc_terminal.widgets.row_table import LazyRows, RowTable
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.today_strip import TodayStrip
from cc_terminal.widgets.words import label as word
from cc_terminal.widgets.words import labelled
from cc_terminal.widgets.worker_results import show_latest


class OutboundScreen(ProgressiveDialling):
    AREA = N_("Outbound")
    BINDINGS = [
        Binding("n", "next_lead", N_("Next lead"), id="outbound.next"),
        Binding("r", "refresh_list", N_("Refresh"), id="outbound.refresh"),
        Binding("t", "warmer", N_("Temperature"), id="outbound.temperature"),
        Binding("ctrl+e", "close_lead", N_("Close lead"), id="outbound.close", priority=True),
        Binding("ctrl+n", "focus_notes", N_("Notes"), id="outbound.notes", priority=True),
        Binding("ctrl+u", "focus_questions", N_("Questions"), id="outbound.questions"),
        Binding("ctrl+g", "consent", N_("Consent"), id="outbound.consent", priority=True),
        Binding("ctrl+d", "do_not_call", N_("Do not call"), id="outbound.dnc", priority=True),
        Binding("ctrl+k", "knowledge", N_("Knowledge base"), id="outbound.kb", priority=True),
        Binding("ctrl+w", "new_order", N_("New order"), id="outbound.order", priority=True),
        Binding("ctrl+l", "focus_ledger", N_("Ledger"), id="outbound.ledger", priority=True),
        Binding("f12", "escalate", N_("Escalate"), id="outbound.escalate", priority=True),
        Binding("escape", "give_back", N_("Give the lead back"), id="outbound.back"),
        Binding("ctrl+x", "transfer", N_("Transfer"), id="outbound.transfer", priority=True),
        Binding("escape", "stop_countdown", N_("Stop dialling"), id="outbound.stop"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: tuple[LeadRow, ...] = ()
        self.filter = LeadFilter()

    def compose(self) -> ComposeResult:
        settings = self.workstation.settings
        yield WorkstationHeader(_(self.AREA))
        yield TodayStrip(id="today")
        with Horizontal(id="outbound-body"):
            with Pane(id="lead-pane"), ContentSwitcher(initial="lead-list", id="lead-switch"):
                with Vertical(id="lead-list"):
                    with Horizontal(id="lead-filters"):
                        yield PlainSelect([], prompt=_("All campaigns"), id="filter-campaign")
                        yield PlainSelect(
                            labelled(TEMPERATURE_LABELS),
                            prompt=_("Any temperature"),
                            id="filter-temperature",
                        )
                        yield PlainSelect(
                            labelled(STATUS_LABELS),
                            prompt=_("To call"),
                            id="filter-status",
                        )
                    yield InPlaceText(_("Loading your leads…"), id="lead-count")
                    yield InPlaceText(id="dial-countdown")
                    yield RowTable(list_columns(), id="leads", share_width=True)
                yield CardView(
                    settings.timezone,
                    self.workstation.lists,
                    settings.default_region,
                    id="lead-card",
                )
            yield from self.compose_call_pane()
        yield KeyBar()

    def compose_call_pane(self) -> ComposeResult:
        """The lead's call: its timer, the phone's state, the legal basis, the script."""
        with Pane(id="lead-call-pane"):
            yield CallTimer(self.workstation.clock, id="lead-timer")
            yield InPlaceText(id="lead-dial")
            yield InPlaceText(id="lead-legal")
            yield InPlaceText(id="lead-why")
            yield InPlaceText(id="lead-callback")
            with VerticalScroll(id="lead-script"):
                yield Static(_("N takes your next lead."), id="lead-script-text")
            yield Questionnaire(id="lead-questions")
            yield FormField(
                _("Notes"), PlainTextArea(id="lead-notes", soft_wrap=True), name="notes"
            )

    def on_mount(self) -> None:
        self.query_one("#lead-notes", TextArea).cursor_blink = self.workstation.cursor_blink
        self.set_focus(self.query_one("#leads", RowTable))
        self.load_campaigns()
        self.warm_up()

    @work(thread=True, exit_on_error=False, group="warm-up")
    def warm_up(self) -> None:
        self.services.outbound.warm_up()

    def on_screen_resume(self) -> None:
        if not self.lead_open:
            self.load_list()

    def claim_context(self) -> tuple[uuid.UUID | None, uuid.UUID | None, str]:
        """What a claim (+) is about: the lead being worked, when one is."""
        card = self.card if self.lead_open else None
        if card is None:
            return None, None, ""
        return card.call_id, card.lead_id, card.customer.full_name

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_call = {
            "close_lead",
            "new_order",
            "focus_notes",
            "consent",
            "do_not_call",
            "knowledge",
            "focus_ledger",
            "escalate",
            "give_back",
        }
        if action in in_call:
            return self.lead_open
        if action == "focus_questions":
            return self.lead_open and bool(self.card and self.card.questions)
        if action == "transfer":
            return self.lead_open and self.may_transfer()
        if action == "stop_countdown":
            return not self.lead_open and self.counting_down
        if action in {"next_lead", "refresh_list"}:
            return not self.lead_open
        if action == "warmer":
            return not self.lead_open and bool(self.rows)
        return True

    # -- the list ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="lead-list")
    def load_list(self) -> None:
        rows = self.services.outbound.my_leads(self.workstation.require_actor(), self.filter)
        if not get_current_worker().is_cancelled:  # a newer load replaced this one
            show_latest(self.app, self.show_list, rows)

    @work(thread=True, exit_on_error=False, group="lead-campaigns")
    def load_campaigns(self) -> None:
        campaigns = self.services.campaigns.campaigns(active_only=True)
        options = [(campaign.name, campaign.code) for campaign in campaigns]
        self.app.call_from_thread(self.query_one("#filter-campaign", Select).set_options, options)

    def show_list(self, rows: tuple[LeadRow, ...]) -> None:
        table = self.query_one("#leads", RowTable)
        was = self.rows[table.cursor_row].id if table.cursor_row < len(self.rows) else None
        self.rows = rows
        table.show(LazyRows(rows, partial(list_row, zone=self.workstation.zone)))
        table.cursor_row = next((i for i, row in enumerate(rows) if row.id == was), 0)
        self.query_one("#lead-count", InPlaceText).text = count_line(rows)
        self.refresh_bindings()  # T needs a row to act on

    @on(Select.Changed, "#lead-filters Select")
    def filter_changed(self) -> None:
        def value(selector: str) -> str:
            chosen = self.query_one(selector, Select).value
            return "" if chosen is Select.NULL else str(chosen)

        self.filter = LeadFilter(
            campaign=value("#filter-campaign"),
            temperature=value("#filter-temperature"),
            status=value("#filter-status"),
        )
        self.load_list()

    def action_refresh_list(self) -> None:
        self.load_list()

    def action_warmer(self) -> None:
        """The highlighted lead one step warmer: cold, warm, hot, then cold again."""
        self.make_warmer(self.rows[self.query_one("#leads", RowTable).cursor_row].id)

    @work(thread=True, exit_on_error=False, group="lead-temperature")
    def make_warmer(self, lead_id: uuid.UUID) -> None:
        # Not exclusive: each press is one step, and none may be dropped.
        actor = self.workstation.require_actor()
        try:
            name, temperature = self.services.outbound.warmer(actor, lead_id)
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="warning")
            return
        label = word(TEMPERATURE_LABELS, temperature)
        message = _("{name} is now {temperature}.").format(name=name, temperature=label)
        self.app.call_from_thread(self.notify, message, timeout=4)
        self.app.call_from_thread(self.load_list)

    @on(RowTable.Selected, "#leads")
    def lead_chosen(self) -> None:
        # The cursor, not the message's row number: a list come back meanwhile keeps the
        # cursor on the lead that was highlighted, maybe at another row.
        index = self.query_one("#leads", RowTable).cursor_row
        if 0 <= index < len(self.rows):
            self.open_lead(self.rows[index].id)

    # -- taking a lead ----------------------------------------------------------------

    def action_next_lead(self) -> None:
        self.stop_countdown()
        self.take_next()

    @work(thread=True, exclusive=True, exit_on_error=False, group="lead")
    def take_next(self) -> None:
        try:  # a busy store is waited out in the service; past its bound, it says so
            card = self.services.outbound.next_lead(self.workstation.require_actor())
        except (ServiceError, StoreUnavailable) as error:
            self.app.call_from_thread(self.notify, str(error), severity="warning")
            return
        if card is None:
            message = _("Nothing to call now: no lead is due in its calling window.")
            self.app.call_from_thread(self.notify, message, timeout=6)
        else:
            self.app.call_from_thread(self.take_card, card)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lead")
    def open_lead(self, lead_id: uuid.UUID) -> None:
        card = self.read_lead(lead_id)
        if card is not None:
            show_latest(self.app, self.take_card, card)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lead-again")
    def reread_lead(self, lead_id: uuid.UUID) -> None:
        card = self.read_lead(lead_id)
        if card is not None:
            show_latest(self.app, self.refresh_card, card)

    def read_lead(self, lead_id: uuid.UUID) -> LeadCard | None:
        """From a worker: the lead's card, or None after saying why not."""
        try:
            return self.services.outbound.open_lead(self.workstation.require_actor(), lead_id)
        except (ServiceError, StoreUnavailable) as error:
            self.app.call_from_thread(self.notify, str(error), severity="warning")
            return None

    def take_card(self, card: LeadCard) -> None:
        """A lead taken (N) or opened from the list (Enter): either is dialled through the
        softphone when there is one and the lead may be called now (lead_dial.py). One at
        a time: a lead claimed by a key pressed twice is given back, and the call on
        screen stays as it is."""
        if self.card is not None:
            if card.lead_id != self.card.lead_id:
                self.release(card.lead_id)
            return
        self.card = card
        self.show_lead(card)
        self.query_one(Questionnaire).questions = card.questions
        self.query_one("#lead-notes", TextArea).text = ""
        self.lead_open = True
        self.call_after_refresh(self.set_focus, self.query_one("#lead-notes", TextArea))
        self.dial_card(card)

    def refresh_card(self, card: LeadCard) -> None:
        """The lead on screen read again (its legal basis after a consent): its call goes
        on, with its id, its start and what was typed; after that call ended, nothing."""
        if self.card is None or self.card.lead_id != card.lead_id:
            return
        self.card = replace(card, call_id=self.card.call_id, opened_at=self.card.opened_at)
        self.show_lead(self.card)

    def show_lead(self, card: LeadCard) -> None:
        self.query_one("#lead-card", CardView).card = card.customer
        legal = Text(("✓ " if card.legal.allowed else "✗ ") + card.legal.reason)
        legal.stylize("green" if card.legal.allowed else "bold red")
        self.query_one("#lead-legal", InPlaceText).text = legal
        why = _("{campaign} · {temperature} · try {n}. {why}").format(
            campaign=card.campaign.name,
            temperature=word(TEMPERATURE_LABELS, card.temperature),
            n=card.attempts + 1,
            why=card.why_next,
        )
        self.query_one("#lead-why", InPlaceText).text = why
        callback = self.query_one("#lead-callback", InPlaceText)
        callback.text = callback_line(card, self.workstation.zone)
        callback.display = bool(callback.text)
        self.query_one("#lead-script-text", Static).update(
            plain(card.script or _("(no script)"), multi_line=True)
        )
