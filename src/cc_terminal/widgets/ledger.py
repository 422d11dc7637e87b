"""The customer's ledger: one table of everything about them, newest first, filtered with /."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input

from cc_terminal.folding import fold
from cc_terminal.formats import local_time, money
from cc_terminal.i18n import _, ngettext
from cc_terminal.models.reference import ListKind
from cc_terminal.services.common.reference import ReferenceLists
from cc_terminal.services.common.views import EntryKind, LedgerEntry
from cc_terminal.services.orders.labels import KIND_LABELS as ORDER_KIND_LABELS
from cc_terminal.services.orders.labels import STATUS_LABELS as ORDER_STATUS_LABELS
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.plain_widgets import ControlPictures
from cc_terminal.widgets.row_table import LazyRows, Row, RowTable
from cc_terminal.widgets.today_strip import clock_duration

KIND_LABELS = {
    EntryKind.CALL: _("Call"),
    EntryKind.OFFER: _("Offer"),
    EntryKind.REQUEST: _("Request"),
    EntryKind.REQUEST_STEP: _("Step"),
    EntryKind.ESCALATION: _("Escalation"),
    EntryKind.OUTBOUND: _("Outbound"),
    EntryKind.ORDER: _("Order"),
}
STATUS_LABELS = {
    "open": _("open"),
    "forwarded": _("forwarded"),
    "resolved": _("resolved"),
    "closed": _("closed"),
    "reopened": _("reopened"),
    "taken": _("taken"),
    "accepted": _("accepted"),
}


# Fixed widths keep the first four columns in view on a 120-column terminal; the detail
# and the operator scroll sideways.
COLUMNS = (
    (_("When"), 14),
    (_("What"), 10),
    (_("Subject"), 25),
    (_("Result"), 23),
    (_("Detail"), 40),
    (_("By"), 18),
)

Cells = tuple[str, Text | str, str]  # subject, result, detail


class LedgerTable(RowTable):
    BINDINGS = [Binding("slash", "filter", _("Filter the ledger"), id="ledger.filter")]

    def action_filter(self) -> None:
        ledger = self.parent
        if isinstance(ledger, Ledger):
            ledger.open_filter()


class Ledger(Vertical):
    """Shows ``entries``; ``/`` on the table opens a filter, Escape there clears it."""

    DEFAULT_CSS = """
    Ledger { height: 1fr; }
    Ledger > #ledger-filter { display: none; }
    Ledger.-filtering > #ledger-filter { display: block; }
    Ledger > #ledger-count { color: $text-muted; height: 1; }
    """
    BINDINGS = [Binding("escape", "close_filter", _("Clear the filter"), show=False)]

    def __init__(
        self, zone: str, lists: ReferenceLists, region: str, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.zone = ZoneInfo(zone)
        self.lists = lists
        self.money_region = region
        self.rows: LazyRows[LedgerEntry] = LazyRows((), self._row)
        self._texts: list[str] = []

    def compose(self) -> ComposeResult:
        yield InPlaceText(id="ledger-count")
        yield Input(
            placeholder=_("Filter: any word of the line"),
            id="ledger-filter",
            highlighter=ControlPictures(),
        )
        yield LedgerTable(COLUMNS, id="ledger-table")

    @property
    def entries(self) -> Sequence[LedgerEntry]:
        return self.rows.items

    def show(self, entries: Iterable[LedgerEntry]) -> None:
        self.rows = LazyRows(tuple(entries), self._row)
        self._texts = []
        if self.has_class("-filtering"):
            self.query_one("#ledger-filter", Input).value = ""
            self.remove_class("-filtering")
        self._fill(self.rows)

    def on_mount(self) -> None:
        self._fill(self.rows)

    def _fill(self, rows: Sequence[Row]) -> None:
        tables = self.query(LedgerTable)
        if not tables:
            return  # not composed yet (the app closing as a card arrives): on_mount fills
        tables.first().show(rows)
        self._count(len(rows))

    def _count(self, shown: int) -> None:
        total = len(self.rows)
        if not total:
            text = _("Nothing on record yet.")
        elif shown == total or not self.has_class("-filtering"):
            text = ngettext(
                "{n} entry, newest first; / filters.",
                "{n} entries, newest first; / filters.",
                total,
            ).format(n=total)
        else:
            text = ngettext(
                "{shown} of {n} entry match.", "{shown} of {n} entries match.", total
            ).format(shown=shown, n=total)
        self.query_one("#ledger-count", InPlaceText).text = text

    def open_filter(self) -> None:
        self.add_class("-filtering")
        self.screen.set_focus(self.query_one("#ledger-filter", Input))

    def action_close_filter(self) -> None:
        if self.has_class("-filtering"):
            self.query_one("#ledger-filter", Input).value = ""
            self.remove_class("-filtering")
            self._fill(self.rows)
            self.screen.set_focus(self.query_one(LedgerTable))

    @on(Input.Changed, "#ledger-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if not self._texts:  # folded once, when the filter is first used on this card
            self._texts = [fold(" ".join(str(cell) for cell in row)) for row in self.rows]
        wanted = fold(event.value).split()
        if not wanted:
            self._fill(self.rows)
            return
        matching = [i for i, text in enumerate(self._texts) if all(w in text for w in wanted)]
        self._fill(LazyRows(matching, self.rows.__getitem__))

    @on(Input.Submitted, "#ledger-filter")
    def filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.set_focus(self.query_one(LedgerTable))

    def _row(self, entry: LedgerEntry) -> tuple[Text | str, ...]:
        detail = entry.detail.splitlines()[0][:60] if entry.detail else ""
        status: Text | str = STATUS_LABELS.get(entry.result, entry.result)
        cells = CELLS_BY_KIND.get(entry.kind, Ledger._escalation_cells)
        subject, result, detail = cells(self, entry, status, detail)
        return (
            local_time(entry.at, self.zone, "%d.%m.%y %H:%M"),
            KIND_LABELS[entry.kind],
            subject,
            result,
            detail,
            entry.operator_name,
        )

    # Each kind's subject, result and detail, from the entry, its status and its detail's
    # first line.

    def _call_cells(self, entry: LedgerEntry, status: Text | str, detail: str) -> Cells:
        subject = self.lists.label(ListKind.CALL_REASON, entry.code)
        result = self.lists.label(ListKind.CALL_OUTCOME, entry.result)
        return subject, result, f"{clock_duration(entry.seconds)}  {detail}".rstrip()

    def _offer_cells(self, entry: LedgerEntry, status: Text | str, detail: str) -> Cells:
        price = money(entry.amount_minor or 0, entry.currency, self.money_region)
        if entry.result != "accepted":
            why = self.lists.label(ListKind.REFUSAL_REASON, entry.result)
            result = Text("✗ " + why, style="yellow")
        else:
            result = Text("✓ " + _("accepted"), style="green")
        return f"{entry.code} · {price}", result, detail

    def _request_cells(self, entry: LedgerEntry, status: Text | str, detail: str) -> Cells:
        subject = self.lists.label(ListKind.REQUEST_CATEGORY, entry.code)
        department = self.lists.label(ListKind.DEPARTMENT, entry.department)
        detail = f"→ {department}: {detail}" if detail else f"→ {department}"
        if entry.kind is EntryKind.REQUEST and entry.due_at is not None:
            due = local_time(entry.due_at, self.zone, "%d.%m. %H:%M")
            status = _("{status} {due}").format(status=status, due=due)
        return subject, status, detail

    def _order_cells(self, entry: LedgerEntry, status: Text | str, detail: str) -> Cells:
        subject = ORDER_KIND_LABELS.get(entry.code, entry.code)
        return subject, ORDER_STATUS_LABELS.get(entry.result, entry.result), detail

    def _outbound_cells(self, entry: LedgerEntry, status: Text | str, detail: str) -> Cells:
        if entry.reason:
            why = self.lists.label(ListKind.REFUSAL_REASON, entry.reason)
            status = Text(f"{entry.result} ✗ {why}", style="yellow")
        return entry.code, status, detail

    def _escalation_cells(self, entry: LedgerEntry, status: Text | str, detail: str) -> Cells:
        subject = self.lists.label(ListKind.CALL_REASON, entry.code)
        result = Text(str(status), style="bold red" if entry.result == "open" else "")
        return subject, result, detail


CELLS_BY_KIND: dict[EntryKind, Callable[[Ledger, LedgerEntry, Text | str, str], Cells]] = {
    EntryKind.CALL: Ledger._call_cells,
    EntryKind.OFFER: Ledger._offer_cells,
    EntryKind.REQUEST: Ledger._request_cells,
    EntryKind.REQUEST_STEP: Ledger._request_cells,
    EntryKind.ORDER: Ledger._order_cells,
    EntryKind.OUTBOUND: Ledger._outbound_cells,
}
