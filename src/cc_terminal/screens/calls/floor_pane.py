"""F7's Floor tab (team leads): every operator's state and for how long, the calls
waiting, abandoned today, today's service level and figures per campaign.

The board is read in a worker, one query set a refresh (services/phone/floor_board.py),
when something changed (the app's floor watch: LISTEN/NOTIFY on a server, the sync's
apply on a floor folder) or every few seconds on one terminal; a refresh asked for while
one runs, or within half a second of the last, is run once after it, never queued up.
The "for" column ticks once a second from the board in memory, without a query."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message

from cc_terminal.formats import local_time
from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.calls.services import CallsServices
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.phone.floor_views import (
    STATE_LABELS,
    STATE_ORDER,
    FloorLimits,
    FloorState,
    FloorView,
    OperatorOnFloor,
)
from cc_terminal.services.tally.work_sessions import PAUSE_LABELS
from cc_terminal.store.errors import StoreUnavailable
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.row_table import Row, RowTable
from cc_terminal.widgets.today_strip import clock_duration
from cc_terminal.widgets.words import label, percent, titled

# The least time between two reads of the board (seconds): under a stream of events it is
# read at most this often, the newest events always included (bench/floor_echo.py).
READ_GAP = 0.5
FLOOR_COLUMNS = ((N_("Operator"), 24), (N_("State"), 24), (N_("For"), 8), (N_("Since"), 6))
ALERT = "bold red"
Sort = Callable[[OperatorOnFloor, datetime], Any]
SORTS: tuple[tuple[str, Sort], ...] = (
    (N_("state"), lambda row, now: (STATE_ORDER[row.state], -row.seconds(now), row.full_name)),
    (N_("longest in state"), lambda row, now: (-row.seconds(now), row.full_name)),
    (N_("name"), lambda row, now: (row.full_name, row.username)),
)


def state_words(row: OperatorOnFloor) -> str:
    words = label(STATE_LABELS, row.state)
    if row.state is FloorState.PAUSED and row.pause_reason:
        return f"{words} · {label(PAUSE_LABELS, row.pause_reason)}"
    if row.chats > 1 or (row.chats and row.state is not FloorState.ON_CHAT):
        return f"{words} · " + ngettext("{n} chat", "{n} chats", row.chats).format(n=row.chats)
    return words


def summary_lines(view: FloorView, now: datetime) -> tuple[str, str]:
    """The calls waiting and abandoned; the service level (the sort follows it)."""
    phone = view.phone
    waiting = ngettext("{n} call waiting", "{n} calls waiting", phone.waiting).format(
        n=phone.waiting
    )
    if phone.longest_wait_since is not None:
        longest = clock_duration(int((now - phone.longest_wait_since).total_seconds()))
        waiting += " " + _("(longest {time})").format(time=longest)
    level = "—" if phone.service_level is None else percent(phone.service_level)
    service = _("service level {level} in {n} s").format(level=level, n=view.limits.service_seconds)
    abandoned = _("abandoned today {n}").format(n=phone.abandoned)
    return f"{waiting} · {abandoned}", service


def campaign_line(view: FloorView) -> str:
    if not view.campaigns:
        return _("No outbound calls today.")
    parts = [
        _("{code}: {calls}, {reached} reached, {successes}").format(
            code=c.code,
            calls=ngettext("{n} call", "{n} calls", c.attempts).format(n=c.attempts),
            reached=c.contacts,
            successes=ngettext("{n} success", "{n} successes", c.successes).format(n=c.successes),
        )
        for c in view.campaigns
    ]
    return _("Today") + " · " + " · ".join(parts)


class FloorPane(WorkstationAccess[CallsServices], Vertical):
    BINDINGS = [
        Binding("s", "sort", N_("Sort"), id="floor.sort"),
        Binding("t", "open_tally", N_("Open tally"), id="floor.tally"),
    ]

    class AlertsChanged(Message):
        """How many rows alert now (the tab's title counts them)."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view: FloorView | None = None
        self.rows: list[OperatorOnFloor] = []
        self.sort = 0
        # "reading", not "loading": Widget.loading would cover the board with a spinner
        self.reading = self.again = self.waiting = False
        self.last_read = -READ_GAP  # time.monotonic() when the last read began
        self.alerts = 0

    def compose(self) -> ComposeResult:
        yield InPlaceText(_("Loading…"), id="floor-summary")
        yield InPlaceText("", id="floor-level")
        yield RowTable(titled(FLOOR_COLUMNS), share_width=True, id="floor-board")
        yield InPlaceText("", id="floor-campaigns")

    def on_mount(self) -> None:
        self.set_interval(1, self.draw)

    @property
    def table(self) -> RowTable:
        return self.query_one("#floor-board", RowTable)

    def refresh_board(self) -> None:
        """Read the board again; while a read runs, or within READ_GAP of the last one's
        start, once more after it: events in a burst are read together, and the screen
        keeps its time for the keys typed meanwhile."""
        if self.reading or self.waiting:
            self.again = True
            return
        wait = self.last_read + READ_GAP - time.monotonic()
        if wait > 0:
            self.waiting = True
            self.set_timer(wait, self._gap_over)
            return
        self.reading, self.again = True, False
        self.last_read = time.monotonic()
        self.load()

    def _gap_over(self) -> None:
        self.waiting, self.again = False, False
        self.refresh_board()

    @work(thread=True, exit_on_error=False, group="floor-board")
    def load(self) -> None:
        actor = self.workstation.actor
        try:
            view = None if actor is None else self.services.floor_board.view(actor)
        except (ServiceError, StoreUnavailable):
            view = None  # signed out meanwhile, or the server away (the header says so)
        self.app.call_from_thread(self._loaded, view)

    def _loaded(self, view: FloorView | None) -> None:
        self.reading = False
        if view is not None:
            self.show_view(view)
        if self.again:
            self.refresh_board()

    def show_view(self, view: FloorView) -> None:
        self.view = view
        self.draw()

    def draw(self) -> None:
        """The board from memory at the clock's now (every second, and on each read)."""
        view = self.view
        if view is None:
            return
        now = self.workstation.clock()
        key = SORTS[self.sort][1]
        self.rows = sorted(view.operators, key=lambda row: key(row, now))
        rows = [self._row(row, now, view.limits) for row in self.rows]
        self.table.show(rows, keep_cursor=True)
        sort = _("by {sort} · S sorts · T opens the tally").format(sort=_(SORTS[self.sort][0]))
        calls, level = summary_lines(view, now)
        self.query_one("#floor-summary", InPlaceText).text = calls
        self.query_one("#floor-level", InPlaceText).text = f"{level} · {sort}"
        self.query_one("#floor-campaigns", InPlaceText).text = campaign_line(view)
        alerts = view.alerts(now)
        if alerts != self.alerts:
            self.alerts = alerts
            self.post_message(self.AlertsChanged(alerts))

    def _row(self, row: OperatorOnFloor, now: datetime, limits: FloorLimits) -> Row:
        alert = row.alert(now, limits)
        since = "" if row.since is None else local_time(row.since, self.workstation.zone, "%H:%M")
        seconds = clock_duration(row.seconds(now)) if row.since is not None else "—"
        cells = (row.full_name, state_words(row), seconds, since)
        if alert:
            return tuple(Text(cell, style=ALERT) for cell in cells)
        return cells

    def selected(self) -> OperatorOnFloor | None:
        index = self.table.cursor_row
        return self.rows[index] if index < len(self.rows) else None

    def action_sort(self) -> None:
        self.sort = (self.sort + 1) % len(SORTS)
        self.draw()

    @on(RowTable.Selected, "#floor-board")
    def row_chosen(self) -> None:
        self.action_open_tally()

    def action_open_tally(self) -> None:
        row = self.selected()
        if row is not None:
            self.workstation.open_tally_of(row.operator_id)
