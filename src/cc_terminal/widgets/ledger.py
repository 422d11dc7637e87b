"""The customer's ledger: one table of everything about them, newest first, filtered with /."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.widgets import Input

from cc_terminal.folding import fold
from cc_terminal.formats import local_time, money, spoken_duration
from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.models.reference import ListKind
from cc_terminal.services.common.reference import ReferenceLists
from cc_terminal.services.common.views import EntryKind, LedgerEntry
from cc_terminal.services.orders.labels import KIND_LABELS as ORDER_KIND_LABELS
from cc_terminal.services.orders.labels import STATUS_LABELS as ORDER_STATUS_LABELS
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.row_table import InOrderRowTable, LazyRows, Row
from cc_terminal.widgets.safe_text import ControlPictures
from cc_terminal.widgets.words import label, shipped, titles

KIND_LABELS = {
    EntryKind.CALL: N_("Call"),
    EntryKind.OFFER: N_("Offer"),
    EntryKind.REQUEST: N_("Request"),
    EntryKind.REQUEST_STEP: N_("Step"),
    EntryKind.ESCALATION: N_("Escalation"),
    EntryKind.OUTBOUND: N_("Outbound"),
    EntryKind.ORDER: N_("Order"),
}
STATUS_LABELS = {
    "open": N_("open"),
    "forwarded": N_("forwarded"),
    "resolved": N_("resolved"),
    "closed": N_("closed"),
    "reopened": N_("reopened"),
    "taken": N_("taken"),
    "returned": N_("handed back"),
    "accepted": N_("accepted"),
}


OPEN_REQUEST = frozenset({"open", "forwarded", "reopened"})
TITLES = (N_("When"), N_("What"), N_("Subject"), N_("Result"), N_("Detail"), N_("By"))
FIRST_WIDTHS = (14, 10, 25, 23, 40, 18)  # before the first resize
WHEN, WHAT, BY = 14, 10, 16
WITH_AUTHOR = 100  # narrower, the author is left to Enter (the entry whole)
LEAST, MOST = 8, 34  # a subject's or a result's width
LEAST_DETAIL = 12


def ledger_columns(width: int, needs: tuple[int, int] = (25, 23)) -> tuple[tuple[str, int], ...]:
    """The columns for a table ``width`` cells wide whose subjects and results are at most
    ``needs`` wide: the time and kind as they need, the subject and the result whole when
    they fit (up to MOST), the detail the rest; too narrow for a readable detail, the
    subject and the result share it all (Enter opens the entry whole)."""
    author = BY if width >= WITH_AUTHOR else 0
    room = width - WHEN - WHAT - author - (4 if author else 3)  # the gaps of five columns
    subject, result = (min(MOST, max(LEAST, need)) for need in needs)
    if subject + result + 1 + LEAST_DETAIL > room:  # no detail: share it all
        subject = max(LEAST, min(room - LEAST, room * subject // max(1, subject + result)))
        widths = (WHEN, WHAT, subject, max(LEAST, room - subject), 0, author)
    else:
        widths = (WHEN, WHAT, subject, result, room - subject - result - 1, author)
    return tuple((_(title), size) for title, size in zip(TITLES, widths, strict=True) if size)


Cells = tuple[str, Text | str, str]  # subject, result, detail


def _width(cell: Text | str) -> int:
    return cell.cell_len if isinstance(cell, Text) else len(str(cell))


class LedgerTable(InOrderRowTable):
    """Enter on an entry posts ``Selected``: the screen opens the entry whole."""

    BINDINGS = [
        Binding("enter", "select", N_("Open the entry"), id="ledger.open"),
        Binding("slash", "filter", N_("Filter the ledger"), id="ledger.filter"),
    ]

    needs: tuple[int, int] = (25, 23)  # the widest subject and result of the first screenful

    def on_resize(self) -> None:
        self.fit()
        self._resize()  # a box of another height: another virtual height (see _resize)

    def _resize(self) -> None:
        """Rows that fit the box scroll no further than the header: one virtual height for
        every card that fits, so a new card repaints the table without laying out the
        screen again (a virtual size that changes is a layout, 1.4 ms of a pop). Not the
        box's own height: Textual works the scroll bars out again only when the virtual
        size differs from the box it lays out."""
        lines = len(self.rows) + 1
        size = Size(self._line_width, lines if lines > self.size.height else 1)
        if size != self.virtual_size:
            self.virtual_size = size
        self.refresh()

    def watch_show_vertical_scrollbar(self) -> None:
        # The scroll bar came or went with the rows: two columns less or more to share (no
        # resize event says so), once the layout that placed it is done.
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        columns = ledger_columns(self.scrollable_content_region.width, self.needs)
        if columns != self.columns:
            self.set_columns(columns)
            self._resize()

    def show_fitted(self, rows: Sequence[Row]) -> None:
        """Show ``rows``, the columns shared by what the first screenful holds."""
        first = [rows[index] for index in range(min(len(rows), max(1, self.size.height)))]
        self.needs = (
            max((_width(row[2]) for row in first), default=LEAST),
            max((_width(row[3]) for row in first), default=LEAST),
        )
        self.show(rows)
        self.fit()

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
    BINDINGS = [Binding("escape", "close_filter", N_("Clear the filter"), show=False)]

    def __init__(
        self, zone: str, lists: ReferenceLists, region: str, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.zone = ZoneInfo(zone)
        self.lists = lists
        self.money_region = region
        self.rows: LazyRows[LedgerEntry] = LazyRows((), self._row)
        self._texts: list[str] = []
        self._matching: Sequence[int] | None = None  # the entries the filter shows

    def compose(self) -> ComposeResult:
        yield InPlaceText(id="ledger-count")
        yield FormInput(
            placeholder=_("Filter: any word of the line"),
            id="ledger-filter",
            highlighter=ControlPictures(),
        )
        first = tuple(zip(titles(TITLES), FIRST_WIDTHS, strict=True))
        yield LedgerTable(first, id="ledger-table")

    @property
    def entries(self) -> Sequence[LedgerEntry]:
        return self.rows.items

    def entry_at(self, index: int) -> LedgerEntry | None:
        """The entry on the table's line ``index`` (filtered or not)."""
        shown = self._matching if self._matching is not None else range(len(self.entries))
        return self.entries[shown[index]] if 0 <= index < len(shown) else None

    def cells_of(self, entry: LedgerEntry) -> tuple[Text | str, ...]:
        """An entry's cells as its line shows them (the detail's first line)."""
        return self._row(entry)

    def show(self, entries: Iterable[LedgerEntry]) -> None:
        # A Sequence is kept as it is: a card's Timeline makes its entries as they are read.
        shown = entries if isinstance(entries, Sequence) else tuple(entries)
        self.rows = LazyRows(shown, self._row)
        self._texts = []
        if self.has_class("-filtering"):
            self.query_one("#ledger-filter", Input).value = ""
            self.remove_class("-filtering")
        self._fill(self.rows)

    def on_mount(self) -> None:
        # The workstation's setting, as its own fields have it (a blinking cursor also made
        # the filter's pictures depend on the moment they were taken).
        filter_field = self.query_one("#ledger-filter", Input)
        filter_field.cursor_blink = getattr(self.app, "cursor_blink", True)
        self._fill(self.rows)

    def _fill(self, rows: Sequence[Row], matching: Sequence[int] | None = None) -> None:
        self._matching = matching
        tables = self.query(LedgerTable)
        if not tables:
            return  # not composed yet (the app closing as a card arrives): on_mount fills
        tables.first().show_fitted(rows)
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
        self._fill(LazyRows(matching, self.rows.__getitem__), matching)

    @on(Input.Submitted, "#ledger-filter")
    def filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.set_focus(self.query_one(LedgerTable))

    def _row(self, entry: LedgerEntry) -> tuple[Text | str, ...]:
        detail = entry.detail.splitlines()[0][:200] if entry.detail else ""
        status: Text | str = label(STATUS_LABELS, entry.result)
        cells = CELLS_BY_KIND.get(entry.kind, Ledger._escalation_cells)
        subject, result, detail = cells(self, entry, status, detail)
        return (
            local_time(entry.at, self.zone, "%d.%m.%y %H:%M"),
            label(KIND_LABELS, entry.kind),
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
        return subject, result, f"{spoken_duration(entry.seconds)}  {detail}".rstrip()

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
        subject = label(ORDER_KIND_LABELS, entry.code)
        return subject, label(ORDER_STATUS_LABELS, entry.result), detail

    def _outbound_cells(self, entry: LedgerEntry, status: Text | str, detail: str) -> Cells:
        outcome = shipped(entry.result)  # a disposition's label
        if entry.reason:
            why = self.lists.label(ListKind.REFUSAL_REASON, entry.reason)
            return entry.code, Text(f"{outcome} ✗ {why}", style="yellow"), detail
        return entry.code, outcome, detail

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
