"""F7's missed calls (team leads: whom each callback goes to) and everyone's own
callbacks (Enter calls the number back on F2; saving that call marks it done).

A missed call is an incoming call that ended abandoned, unanswered or busy and was not
called back; one whose number called again and was answered, or was called and answered,
since drops off the list by itself (services/phone/callbacks.py)."""

from __future__ import annotations

import uuid
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message

from cc_terminal.formats import local_time
from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.models.phone import EndReason
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.calls.services import CallsServices
from cc_terminal.screens.pickers import PersonPicker
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.phone.floor_views import STATE_LABELS
from cc_terminal.services.phone.views import MissedCallView
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.row_table import Row, RowTable
from cc_terminal.widgets.words import label, titled

WHY = {
    EndReason.ABANDONED: N_("caller hung up"),
    EndReason.UNANSWERED: N_("not answered"),
    EndReason.BUSY: N_("busy"),
}
MISSED_COLUMNS = (
    (N_("Rang"), 12),
    (N_("Number"), 16),
    (N_("Customer"), 22),
    (N_("Why"), 16),
    (N_("Calls back"), 22),
)
MINE_COLUMNS = MISSED_COLUMNS[:4]


def missed_cells(missed: MissedCallView, zone: Any) -> list[Text | str]:
    return [
        local_time(missed.rang_at, zone, "%d.%m. %H:%M"),
        missed.number_raw or "—",  # as the phone said it, drawn escaped
        missed.customer_name or Text(_("not known"), style="dim"),
        label(WHY, missed.end_reason),
    ]


class CallbackPane(WorkstationAccess[CallsServices], Vertical):
    """A line saying what the list is, and the list."""

    COLUMNS: tuple[tuple[str, int], ...] = MINE_COLUMNS

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.calls: list[MissedCallView] = []

    def compose(self) -> ComposeResult:
        yield InPlaceText("")
        yield RowTable(titled(self.COLUMNS), share_width=True)

    @property
    def table(self) -> RowTable:
        return self.query_one(RowTable)

    def show(self, calls: list[MissedCallView]) -> None:
        self.calls = calls
        self.table.show([self.row(missed) for missed in calls], keep_cursor=True)
        self.query_one(InPlaceText).text = self.summary()

    def row(self, missed: MissedCallView) -> Row:
        return missed_cells(missed, self.workstation.zone)

    def summary(self) -> str:
        return ""

    def selected(self) -> MissedCallView | None:
        index = self.table.cursor_row
        return self.calls[index] if index < len(self.calls) else None


class MissedPane(CallbackPane):
    COLUMNS = MISSED_COLUMNS
    BINDINGS = [Binding("g", "give", N_("Give the callback"), id="missed.give")]

    class Given(Message):
        """A callback was given or taken back: the lists are read again."""

    def row(self, missed: MissedCallView) -> Row:
        given: Text | str = missed.callback_operator_name or Text(_("nobody yet"), style="bold")
        return [*missed_cells(missed, self.workstation.zone), given]

    def summary(self) -> str:
        n = len(self.calls)
        line = ngettext("{n} missed call to call back", "{n} missed calls to call back", n)
        return line.format(n=n) + " · " + _("G or Enter gives the callback to an operator")

    @on(RowTable.Selected)
    def row_chosen(self) -> None:
        self.action_give()

    def action_give(self) -> None:
        missed = self.selected()
        if missed is not None:
            self.pick_operator(missed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="missed-give")
    def pick_operator(self, missed: MissedCallView) -> None:
        try:
            board = self.services.floor_board.view(self.workstation.require_actor())
        except ServiceError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        people = [
            (f"{row.full_name} · {label(STATE_LABELS, row.state)}", str(row.operator_id))
            for row in board.operators
        ]
        title = _("Who calls {number} back?").format(number=missed.number_raw or "—")
        nobody = _("Nobody (take it back)") if missed.callback_operator_id else ""

        def picked(key: str | None) -> None:
            if key is not None:
                chosen = None if key == PersonPicker.NOBODY else uuid.UUID(key)
                self.give(missed.id, chosen)

        picker = PersonPicker(title, people, nobody)
        self.app.call_from_thread(self.app.push_screen, picker, picked)

    @work(thread=True, exclusive=True, exit_on_error=False, group="missed-give")
    def give(self, missed_id: uuid.UUID, operator_id: uuid.UUID | None) -> None:
        try:
            self.services.phone.assign_callback(
                self.workstation.require_actor(), missed_id, operator_id
            )
        except ServiceError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.post_message, self.Given())


class MyCallbacksPane(CallbackPane):
    BINDINGS = [Binding("c", "call_back", N_("Call back"), id="callbacks.call")]

    def summary(self) -> str:
        n = len(self.calls)
        line = ngettext("{n} callback for you", "{n} callbacks for you", n)
        return line.format(n=n) + " · " + _("C or Enter calls back on F2")

    @on(RowTable.Selected)
    def row_chosen(self) -> None:
        self.action_call_back()

    def action_call_back(self) -> None:
        missed = self.selected()
        if missed is not None:
            number = missed.phone_e164 or missed.number_raw
            self.app.run_worker(self.workstation.call_back(missed.id, number), exit_on_error=False)
