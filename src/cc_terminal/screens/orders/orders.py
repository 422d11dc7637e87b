"""F4, orders: the list with its filters and search, the highlighted order's detail with
every step, and its life from the keyboard: started, done, a missed visit put right with
one key, cancelled with a reason; a kept draft finished; a new order for the highlighted
order's customer; for team leads the export for the field teams and the miss report."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.reactive import reactive
from textual.widgets import Input, Select, Static
from textual.worker import get_current_worker

from cc_terminal.formats import local_time
from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.models.order import OrderKind, OrderStatus
from cc_terminal.screens.orders.dialogs import OrderExportDialog
from cc_terminal.screens.orders.form import OrderForm
from cc_terminal.screens.orders.start import announce, start_order
from cc_terminal.screens.orders.steps import OrderSteps
from cc_terminal.services.common.errors import ServiceError, ValidationFailed
from cc_terminal.services.orders.labels import KIND_LABELS, STATUS_LABELS
from cc_terminal.services.orders.misses import MISSABLE
from cc_terminal.services.orders.orders import StoredOrder
from cc_terminal.services.orders.queries import OrderDetail, OrderFilter, OrderRow
from cc_terminal.services.orders.values import ChosenAddress
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.header import WorkstationHeader
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.pane import Pane
from cc_terminal.widgets.plain_widgets import PlainSelect
from cc_terminal.widgets.row_table import InOrderRowTable, LazyRows, RowTable
from cc_terminal.widgets.words import label, labelled, titled
from cc_terminal.widgets.worker_results import show_latest

S = OrderStatus
LIST_COLUMNS = (
    ("", 1),
    (N_("Number"), 11),
    (N_("Kind"), 10),
    (N_("Status"), 12),
    (N_("Customer"), 14),
    (N_("Visit"), 12),
    (N_("Taken"), 12),
)
SHORT_KINDS = {
    OrderKind.SERVICE: N_("service"),
    OrderKind.EQUIPMENT: N_("equipment"),
    OrderKind.LOAN: N_("loan"),
    OrderKind.TAXI: N_("taxi"),
    OrderKind.WEB: N_("web order"),
}
OPEN = "open"
# The day of the visit, or the day the order was taken when it has no visit.
DAYS = {
    "today": N_("Today"),
    "tomorrow": N_("Tomorrow"),
    "week": N_("Next 7 days"),
    "past": N_("Last 7 days"),
}
STATUS_STYLES = {S.MISSED: "bold red", S.RESCHEDULED: "yellow", S.DONE: "green"}


class OrdersScreen(OrderSteps):
    AREA = N_("Orders")
    BINDINGS = [
        Binding("n", "new_order", N_("New order"), id="orders.new"),
        # Below 100 columns only (check_action): the detail in the list's place.
        Binding("v", "toggle_detail", N_("Detail / list"), id="orders.detail"),
        Binding("enter", "open_order", N_("Finish draft"), id="orders.open", show=False),
        Binding("s", "move('in_progress')", N_("Started"), id="orders.started"),
        Binding("d", "move('done')", N_("Done"), id="orders.done"),
        Binding("m", "missed", N_("Visit missed"), id="orders.missed"),
        Binding("x", "cancel_order", N_("Cancel order"), id="orders.cancel"),
        Binding("f", "toggle_mine", N_("Mine / all"), id="orders.mine"),
        # Priority: the focus moves when / is read, so the number typed right behind it
        # lands in the search, not in the list (tmux found it). In the search field itself
        # / is typed, as in 9/10a.
        Binding("slash", "focus_search", N_("Search"), id="orders.search", priority=True),
        Binding("e", "export", N_("Export"), id="orders.export"),
        Binding("t", "misses", N_("Misses by team"), id="orders.misses"),
        Binding("ctrl+r", "refresh", N_("Refresh"), id="orders.refresh"),
    ]

    mine: reactive[bool] = reactive(False)

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[OrderRow] = []

    def compose(self) -> ComposeResult:
        yield WorkstationHeader(_(self.AREA))
        with Horizontal(id="orders-body"):
            with Pane(id="order-list-pane"), Vertical():
                with Horizontal(id="order-filters"):
                    yield PlainSelect(
                        labelled(KIND_LABELS),
                        prompt=_("Any kind"),
                        id="order-filter-kind",
                    )
                    yield PlainSelect(
                        [(_("To be worked"), OPEN), *labelled(STATUS_LABELS)],
                        prompt=_("Any status"),
                        value=OPEN,
                        id="order-filter-status",
                    )
                    yield PlainSelect([], prompt=_("Any team"), id="order-filter-team")
                    yield PlainSelect(
                        labelled(DAYS),
                        prompt=_("Any day"),
                        id="order-filter-day",
                    )
                yield FormInput(
                    placeholder=_("/ search: number, name, street, town"), id="order-search"
                )
                yield InPlaceText(_("Loading orders…"), id="order-count")
                yield InOrderRowTable(titled(LIST_COLUMNS), id="orders", share_width=True)
            with Pane(id="order-detail-pane"), VerticalScroll(id="order-detail-scroll"):
                yield Static(_("No order highlighted."), id="order-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#orders", RowTable))
        self.load_teams()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    # -- the list ---------------------------------------------------------------------

    def wanted(self) -> OrderFilter:
        def value(widget_id: str) -> str:
            chosen = self.query_one(widget_id, Select).value
            return "" if chosen is Select.NULL else str(chosen)

        actor = self.workstation.require_actor()
        today = self.workstation.clock().astimezone(self.workstation.zone).date()
        first, last = day_range(value("#order-filter-day"), today)
        return OrderFilter(
            kind=value("#order-filter-kind"),
            status=value("#order-filter-status"),
            team=value("#order-filter-team"),
            day_from=first,
            day_to=last,
            mine_of=actor.operator_id if self.mine else None,
            text=self.query_one("#order-search", Input).value,
        )

    def action_refresh(self) -> None:
        self.load(self.wanted())

    @on(Select.Changed, "#order-filters Select")
    @on(Input.Changed, "#order-search")
    def filters_changed(self) -> None:
        self.action_refresh()

    @on(Input.Submitted, "#order-search")
    def search_done(self) -> None:
        self.set_focus(self.query_one("#orders", RowTable))

    def watch_mine(self) -> None:
        if self.is_mounted:
            self.action_refresh()

    def action_toggle_mine(self) -> None:
        self.mine = not self.mine

    def action_focus_search(self) -> None:
        self.set_focus(self.query_one("#order-search"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="order-list")
    def load(self, wanted: OrderFilter) -> None:
        try:
            rows = self.services.order_book.orders(wanted)
        except ValidationFailed as failed:
            message = next(iter(failed.errors.values()), "")
            self.app.call_from_thread(self._count, message)
            return
        if not get_current_worker().is_cancelled:
            show_latest(self.app, self.show_list, rows)

    @work(thread=True, exit_on_error=False, group="order-teams")
    def load_teams(self) -> None:
        teams = [(team.name, team.code) for team in self.services.dispatch.teams()]
        self.app.call_from_thread(self.query_one("#order-filter-team", Select).set_options, teams)

    def show_list(self, rows: list[OrderRow]) -> None:
        table = self.query_one("#orders", RowTable)
        was = self.rows[table.cursor_row].id if table.cursor_row < len(self.rows) else None
        self.rows = rows
        table.show(LazyRows(rows, self._row))
        table.cursor_row = next((i for i, row in enumerate(rows) if row.id == was), 0)
        whose = _("mine") if self.mine else _("everyone's")
        count = ngettext("{n} order", "{n} orders", len(rows)).format(n=len(rows))
        self._count(
            _("{count}, {whose}. F toggles mine; / searches.").format(count=count, whose=whose)
        )
        self.show_detail_of(table.cursor_row)

    def _count(self, text: str) -> None:
        self.query_one("#order-count", InPlaceText).text = text

    def _row(self, row: OrderRow) -> tuple[Text | str, ...]:
        visit = f"{row.visit_day:%d.%m.} {row.visit_slot[:5]}" if row.visit_day else ""
        taken = local_time(row.created_at, self.workstation.zone, "%d.%m. %H:%M")
        style = STATUS_STYLES.get(S(row.status), "")
        status = Text(label(STATUS_LABELS, row.status), style=style)
        return (
            Text("!", style="bold red") if row.priority else "",
            row.number,
            label(SHORT_KINDS, row.kind),
            status,
            row.customer_name,
            visit,
            taken,
        )

    @on(RowTable.Selected, "#orders")
    def selected(self) -> None:
        self.action_open_order()

    @on(RowTable.Highlighted, "#orders")
    def highlighted(self, event: RowTable.Highlighted) -> None:
        self.show_detail_of(event.index)

    def show_detail_of(self, index: int) -> None:
        if index < len(self.rows):
            order_id = self.rows[index].id
            if self.current is not None and self.current.row.id != order_id:
                # Until the highlighted order's detail arrives no key may act on the one
                # shown before (a search narrowed the list, M would have hit another order).
                self.current = None
            self.load_detail(order_id)
        else:
            self.current = None
            self.query_one("#order-detail", Static).update(_("No order highlighted."))

    @work(thread=True, exclusive=True, exit_on_error=False, group="order-detail")
    def load_detail(self, order_id: uuid.UUID) -> None:
        try:
            detail = self.services.order_book.detail(order_id)
        except ServiceError:
            return
        if not get_current_worker().is_cancelled:
            show_latest(self.app, self.show_detail, detail)

    def highlighted_order(self) -> uuid.UUID | None:
        index = self.query_one("#orders", RowTable).cursor_row
        return self.rows[index].id if 0 <= index < len(self.rows) else None

    def show_detail(self, detail: OrderDetail) -> None:
        if detail.row.id != self.highlighted_order():
            return  # the list changed while it loaded: the keys wait for the order under the cursor
        super().show_detail(detail)

    # -- the keys ---------------------------------------------------------------------

    def fit_to(self, size: Size) -> None:
        """Below 100 columns the four filters lose their frames, one line high: framed,
        their prompts ("Jakýkoli druh") would wrap inside them."""
        super().fit_to(size)
        for select in self.query("#order-filters Select").results(Select):
            select.compact = self.has_class("-narrow")

    def action_toggle_detail(self) -> None:
        """Below 100 columns the detail takes the list's place: V shows one, then the other."""
        self.toggle_class("-detail")
        shown = "#order-detail-scroll" if self.has_class("-detail") else "#orders"
        self.set_focus(self.query_one(shown))  # a key then reaches the pane on screen

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_detail":
            return self.has_class("-narrow")
        if action == "focus_search":
            return self.focused is not self.query_one("#order-search")
        detail = self.current
        status = detail.row.status if detail else ""
        lead = self.workstation.require_actor().is_lead
        if action == "move":
            wanted = {
                "in_progress": (S.SUBMITTED, S.SCHEDULED, S.RESCHEDULED),
                "done": (S.IN_PROGRESS,),
            }
            return status in wanted.get(str(parameters[0]), ())
        if action == "missed":
            return status in MISSABLE and self.visit_begun(detail)
        if action == "cancel_order":
            return status not in ("", S.DONE, S.CANCELLED)
        if action == "open_order":
            return status == S.DRAFT
        if action == "new_order":
            return detail is not None
        if action in ("export", "misses"):
            return lead
        return True

    def action_new_order(self) -> None:
        if self.current is not None:
            row = self.current.row
            start_order(self, row.customer_id, row.customer_name)

    def action_open_order(self) -> None:
        detail = self.current
        if detail is None or detail.row.status != S.DRAFT:
            return
        row = detail.row
        lines = tuple(
            (str(line[0]), str(line[1])) for line in detail.lines if isinstance(line, list)
        )
        address = None
        if row.address:
            address = ChosenAddress(detail.address_code, row.address, detail.address_override)
        form = OrderForm(
            OrderKind(row.kind),
            row.customer_id,
            row.customer_name,
            order_id=row.id,
            values={k: str(v) for k, v in detail.values.items()},
            address=address,
            lines=lines,
        )
        self.app.push_screen(form, self.order_done)

    def order_done(self, stored: StoredOrder | None) -> None:
        if stored is not None:
            announce(self, stored)
            self.action_refresh()

    def action_export(self) -> None:
        teams = [(team.name, team.code) for team in self.services.dispatch.teams()]
        today = self.workstation.clock().astimezone(self.workstation.zone).date()

        def done(message: str | None) -> None:
            if message:
                self.notify(message, timeout=8)

        self.app.push_screen(OrderExportDialog(today, teams), done)

    def action_misses(self) -> None:
        from cc_terminal.screens.orders.report import MissReport

        self.app.push_screen(MissReport())


def day_range(choice: str, today: date) -> tuple[date | None, date | None]:
    if choice == "today":
        return today, today
    if choice == "tomorrow":
        return today + timedelta(days=1), today + timedelta(days=1)
    if choice == "week":
        return today, today + timedelta(days=7)
    if choice == "past":
        return today - timedelta(days=7), today
    return None, None
