"""A ledger entry opened whole (Enter on it, during a call or a lead): every field, the
notes unabridged, the steps of the same request, order or escalation, and for an order what
was read back to the customer (its lines, the visit, the amount)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cc_terminal.i18n import N_, _
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.calls.services import CallsServices
from cc_terminal.services.common.views import EntryKind, LedgerEntry, of_kind
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.ledger import TITLES, Ledger
from cc_terminal.widgets.row_table import RowTable
from cc_terminal.widgets.safe_text import plain, shown
from cc_terminal.widgets.words import titles


class LedgerEntryDialog(WorkstationAccess[CallsServices], ModalScreen[None]):
    AREA = N_("Ledger entry")
    BINDINGS = [Binding("escape,enter", "close", N_("Back"), id="entry.close")]

    def __init__(self, ledger: Ledger, entry: LedgerEntry, customer_id: uuid.UUID) -> None:
        super().__init__()
        self.ledger, self.entry, self.customer_id = ledger, entry, customer_id

    def compose(self) -> ComposeResult:
        with Vertical(id="ledger-entry", classes="dialog"):
            yield Static(plain(self.title_text()), classes="dialog-title")
            with VerticalScroll(id="entry-body"):
                yield Static(plain(self.fields_text(), multi_line=True), id="entry-fields")
                yield Static(plain(self.steps_text(), multi_line=True), id="entry-steps")
                yield Static("", id="entry-read-back")
            yield Static(_("Escape or Enter goes back to the ledger."), classes="hint")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.entry.kind is EntryKind.ORDER:
            self.read_back()

    def title_text(self) -> str:
        cells = self.ledger.cells_of(self.entry)
        return f"{cells[1]} · {cells[2]}"

    def fields_text(self) -> Text:
        cells = self.ledger.cells_of(self.entry)
        labels = titles(TITLES)
        rows = list(zip(labels, cells, strict=True))
        rows[4] = (labels[4], self.entry.detail or "—")  # whole, every line of it
        width = max(len(label) for label in labels) + 2
        text = Text()
        for number, (label, value) in enumerate(rows):
            if number:
                text.append("\n")
            text.append(f"{label + ':':<{width}}", style="dim")
            text.append_text(
                value if isinstance(value, Text) else Text(shown(str(value), multi_line=True))
            )
        return text

    def steps_text(self) -> Text:
        """The other entries of the same record (a request's steps, an order's), oldest first."""
        steps = same_record(self.ledger.entries, self.entry)
        if not steps:
            return Text()
        text = Text(_("Its history, oldest first:"), style="bold")
        for step in steps:
            cells = self.ledger.cells_of(step)
            line = f"{cells[0]}  {cells[3]}  {cells[4]}  · {cells[5]}".rstrip(" ·")
            style = "reverse" if step is self.entry else ""
            text.append("\n")
            text.append(shown(line), style=style)
        return text

    @work(thread=True, exclusive=True, exit_on_error=False, group="entry-read-back")
    def read_back(self) -> None:
        said = self.services.customers.order_read_back(self.customer_id, self.entry.record_id)
        if said:
            text = Text(_("Read back to the customer:"), style="bold")
            text.append("\n" + shown(said, multi_line=True))
            self.app.call_from_thread(self.query_one("#entry-read-back", Static).update, text)

    def action_close(self) -> None:
        self.dismiss(None)


def same_record(entries: Sequence[LedgerEntry], entry: LedgerEntry) -> list[LedgerEntry]:
    """The entries of ``entry``'s record, oldest first; none when it is the only one."""
    if entry.kind is EntryKind.REQUEST_STEP:
        kinds = {EntryKind.REQUEST, EntryKind.REQUEST_STEP}
    else:
        kinds = (
            {entry.kind, EntryKind.REQUEST_STEP}
            if entry.kind is EntryKind.REQUEST
            else {entry.kind}
        )
    steps = [e for e in of_kind(entries, *kinds) if e.record_id == entry.record_id]
    return sorted(steps, key=lambda e: e.at) if len(steps) > 1 else []


class OpensLedgerEntries:
    """Mixed into a screen showing a customer's card: Enter on a ledger entry opens it."""

    app: Any
    query_one: Any

    def ledger_customer(self) -> uuid.UUID | None:
        raise NotImplementedError

    def on_row_table_selected(self, event: RowTable.Selected) -> None:
        if event.table.id != "ledger-table":
            return
        ledger = event.table.parent
        customer_id = self.ledger_customer()
        if isinstance(ledger, Ledger) and customer_id is not None:
            entry = ledger.entry_at(event.index)
            if entry is not None:
                self.app.push_screen(LedgerEntryDialog(ledger, entry, customer_id))
