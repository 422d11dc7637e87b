"""The knowledge base inside a call: search products, tariffs, services and promotions,
read the description, and record an offer of the highlighted one."""

from __future__ import annotations

import uuid

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from cc_terminal import limits
from cc_terminal.formats import money
from cc_terminal.i18n import N_, _, pgettext
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.calls.offer_form import OfferForm
from cc_terminal.screens.calls.services import CallsServices
from cc_terminal.services.calls.catalog import PRODUCT_KIND_LABELS, ProductItem, matching
from cc_terminal.services.calls.offers import OfferView
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.plain_widgets import PlainTable
from cc_terminal.widgets.safe_text import ControlPictures, plain
from cc_terminal.widgets.words import label
from cc_terminal.widgets.worker_results import show_latest


class KnowledgeScreen(WorkstationAccess[CallsServices], ModalScreen[OfferView | None]):
    """Dismisses with the offer recorded, or None. Without a caller it is read-only."""

    AREA = N_("Knowledge base")
    BINDINGS = [
        Binding("escape", "close", N_("Back"), id="kb.close"),
        Binding("ctrl+f", "focus_search", N_("Search"), id="kb.search"),
        Binding("down", "results", show=False),
    ]

    def __init__(self, customer_id: uuid.UUID | None = None, call_id: uuid.UUID | None = None):
        super().__init__()
        self.customer_id = customer_id
        self.call_id = call_id
        self.items: tuple[ProductItem, ...] = ()
        self.shown_query: str | None = None  # what the items on screen were found for
        self.offer_first_of: str | None = None  # Enter came before that search's items
        self.catalogue: tuple[ProductItem, ...] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="knowledge", classes="dialog"):
            yield Static(plain(_(self.AREA), multi_line=True), classes="dialog-title")
            yield FormInput(
                placeholder=_("Words of the name or description; typos are forgiven"),
                highlighter=ControlPictures(),
                id="kb-query",
                max_length=limits.SEARCH,
            )
            table: DataTable[str] = PlainTable(id="kb-results", cursor_type="row")
            table.add_columns(
                _("Code"), pgettext("item", "Name"), _("Kind"), _("Price"), _("Valid until")
            )
            yield table
            yield Static("", id="kb-description")
            hint = (
                _("Enter offers the item described to this caller; Down chooses another.")
                if self.customer_id
                else _("Open a call to record offers.")
            )
            yield Static(plain(hint, multi_line=True), classes="hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#kb-query", Input))
        self.search("")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "results":
            return isinstance(self.focused, Input)
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_focus_search(self) -> None:
        self.set_focus(self.query_one("#kb-query", Input))

    def action_results(self) -> None:
        self.set_focus(self.query_one("#kb-results", DataTable))

    @on(Input.Changed, "#kb-query")
    def query_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @on(Input.Submitted, "#kb-query")
    def query_submitted(self) -> None:
        """Enter offers the item described (the first found); Down goes to the others.
        Typed faster than the search: the first item found for what was typed, once found."""
        query = self.query_one("#kb-query", Input).value
        if query != self.shown_query:
            self.offer_first_of = query
            return
        table = self.query_one("#kb-results", DataTable)
        if self.items and table.cursor_row < len(self.items):
            self.offer(self.items[table.cursor_row])

    @work(thread=True, exclusive=True, exit_on_error=False, group="kb")
    def search(self, text: str) -> None:
        # The catalogue is read once per opening; each key only filters it.
        if self.catalogue is None:
            self.catalogue = self.services.catalog.items()
        found = matching(self.catalogue, text, self.workstation.clock().date())
        show_latest(self.app, self.show_items, found, text)

    def show_items(self, items: tuple[ProductItem, ...], query: str) -> None:
        self.items, self.shown_query = items, query
        table = self.query_one("#kb-results", DataTable)
        table.clear()
        region = self.workstation.settings.default_region
        for index, item in enumerate(items):
            table.add_row(
                item.code,
                item.name,
                label(PRODUCT_KIND_LABELS, item.kind),
                money(item.price_minor, item.currency, region),
                item.valid_to.strftime("%d.%m.%Y") if item.valid_to else "—",
                key=str(index),
            )
        self.describe(0)
        if self.offer_first_of == query:
            self.offer_first_of = None
            if items:
                self.offer(items[0])

    @on(DataTable.RowHighlighted, "#kb-results")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.describe(event.cursor_row)

    def describe(self, index: int) -> None:
        text = ""
        if not self.items:
            text = _("Nothing in the catalogue matches.")
        elif 0 <= index < len(self.items):
            item = self.items[index]
            text = f"{item.name}\n{item.description}"
        self.query_one("#kb-description", Static).update(plain(text, multi_line=True))

    @on(DataTable.RowSelected, "#kb-results")
    def chosen(self, event: DataTable.RowSelected) -> None:
        self.offer(self.items[event.cursor_row])

    def offer(self, item: ProductItem) -> None:
        if self.customer_id is None or self.call_id is None:
            self.notify(_("Open a call to record offers."), severity="warning")
            return
        self.app.push_screen(OfferForm(item, self.customer_id, self.call_id), self.offered)

    def offered(self, offer: OfferView | None) -> None:
        if offer is not None:
            self.dismiss(offer)
