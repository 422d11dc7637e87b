"""Every key of the screen underneath, with what it does."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from cc_terminal.i18n import N_, _
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.plain_widgets import PlainTable
from cc_terminal.widgets.safe_text import plain


class HelpScreen(ModalScreen[None]):
    AREA = N_("Help")
    BINDINGS = [
        Binding("escape,f1,q", "close", N_("Close help"), id="help.close"),
    ]

    def __init__(self, area: str, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.area = area
        self.sections = sections

    @property
    def keys(self) -> list[tuple[str, str]]:
        return [row for _title, rows in self.sections for row in rows]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-dialog"):
            yield Static(plain(_("Keys: {area}").format(area=self.area)), classes="dialog-title")
            table: DataTable[str | Text] = PlainTable(
                id="help-keys", cursor_type="row", show_cursor=False
            )
            table.add_columns(_("Key"), _("Does"))
            for title, rows in self.sections:
                table.add_row(Text(title, style="bold"), "")
                for key, description in rows:
                    table.add_row(Text(f"  {key}", style="bold"), description)
            yield table
            yield Static(_("Ctrl+P finds every command by name."), classes="hint")
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)
