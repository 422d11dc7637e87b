"""Sync conflicts, for team leads (F11): values that lost to a concurrent edit on
another terminal. K keeps the current value, L takes the losing one, E types another.
Below them, when there are any, the changes other terminals sent that this one refused
(forged, unsigned, or not the sender's to make), with why."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from cc_terminal.i18n import N_, _
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.setup.services import SetupServices
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.floor.conflicts import KEEP, TAKE, Decision
from cc_terminal.store.hlc import millis_of
from cc_terminal.sync.conflicts import OpenConflict, RefusedChange
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.plain_widgets import InOrderTable
from cc_terminal.widgets.safe_text import ControlPictures, plain
from cc_terminal.widgets.worker_results import show_latest


def _shown(value: object) -> str:
    # repr escapes control characters, so a stored value can never drive the terminal
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return repr(text)[1:-1] if any(ord(ch) < 32 for ch in text) else text


class ConflictsScreen(WorkstationAccess[SetupServices], ModalScreen[None]):
    BINDINGS = [
        Binding("k", "decide('keep')", N_("Keep current"), id="conflicts.keep"),
        Binding("l", "decide('take')", N_("Take losing value"), id="conflicts.take"),
        Binding("e", "edit", N_("Type a value"), id="conflicts.edit"),
        Binding("escape", "close", N_("Close"), id="conflicts.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.conflicts: list[OpenConflict] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="conflicts", classes="dialog"):
            yield Static(_("Sync conflicts"), classes="dialog-title")
            table: DataTable[str] = InOrderTable(id="conflicts-table", cursor_type="row")
            table.add_columns(_("Record"), _("Field"), _("Value now"), _("Losing value"), _("When"))
            yield table
            yield Label("", id="conflicts-message")
            yield FormInput(
                id="conflicts-value",
                placeholder=_("New value, Enter saves"),
                highlighter=ControlPictures(),
            )
            yield Static(_("Changes refused from other terminals"), id="refused-title")
            refused: DataTable[Text] = InOrderTable(id="refused-table", cursor_type="row")
            refused.add_columns(_("When"), _("Terminal"), _("Record"), _("Why"))
            yield refused
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#conflicts-value").display = False
        self.show_refused([])
        self.query_one("#conflicts-table").focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="conflicts")
    def load(self) -> None:
        actor = self.workstation.require_actor()
        conflicts = self.services.conflicts.open(actor)
        refused = self.services.conflicts.refused(actor)
        show_latest(self.app, self.show, conflicts)
        self.app.call_from_thread(self.show_refused, refused)

    def show_refused(self, refused: list[RefusedChange]) -> None:
        table = self.query_one("#refused-table", DataTable)
        table.clear()
        for change in refused:
            when = change.at.astimezone(self.app.zone).strftime("%d.%m. %H:%M")
            cells = (when, change.terminal[:8], change.subject, change.reason)
            table.add_row(*(Text(_shown(cell)) for cell in cells))
        for widget in (table, self.query_one("#refused-title")):
            widget.display = bool(refused)

    def show(self, conflicts: list[OpenConflict]) -> None:
        self.conflicts = conflicts
        table = self.query_one("#conflicts-table", DataTable)
        table.clear()
        zone = self.app.zone
        for conflict in conflicts:
            when = datetime.fromtimestamp(millis_of(conflict.hlc) / 1000, UTC).astimezone(zone)
            now = _("(deleted)") if conflict.deleted else _shown(conflict.current)
            table.add_row(
                f"{conflict.entity} {_shown(conflict.label) or conflict.row_id[:8]}",
                conflict.field,
                now,
                _shown(conflict.losing),
                when.strftime("%d.%m. %H:%M"),
            )
        message = _("No conflicts to resolve.") if not conflicts else ""
        self.query_one("#conflicts-message", Label).update(plain(message, multi_line=True))

    def _selected(self) -> OpenConflict | None:
        table = self.query_one("#conflicts-table", DataTable)
        if not self.conflicts or table.cursor_row >= len(self.conflicts):
            return None
        return self.conflicts[table.cursor_row]

    def action_decide(self, choice: str, value: object = None) -> None:
        conflict = self._selected()
        if conflict is not None:
            self.decide(Decision(conflict.entity, conflict.row_id, conflict.field, choice, value))

    def action_edit(self) -> None:
        conflict = self._selected()
        if conflict is None:
            return
        field = self.query_one("#conflicts-value", Input)
        field.display = True
        field.value = "" if conflict.current is None else str(conflict.current)
        self.set_focus(field)  # now: Widget.focus waits, and the keys typed behind E with it

    @on(Input.Submitted, "#conflicts-value")
    def typed(self, event: Input.Submitted) -> None:
        event.input.display = False
        self.query_one("#conflicts-table").focus()
        self.action_decide("edit", event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="conflicts")
    def decide(self, decision: Decision) -> None:
        try:
            self.services.conflicts.resolve(self.workstation.require_actor(), decision)
        except ServiceError as error:
            self.app.call_from_thread(
                self.query_one("#conflicts-message", Label).update, str(error)
            )
            return
        conflicts = self.services.conflicts.open(self.workstation.require_actor())
        self.app.call_from_thread(self.show, conflicts)

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["KEEP", "TAKE", "ConflictsScreen"]
