"""F10's Mailboxes tab (team leads; M opens it): every mailbox the mail loop reads, with
its department, addresses, whether it is in use, its last fetch and its last error. N adds
one, Enter changes the highlighted one (mailbox_form.py), R switches it off or on."""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable

from cc_terminal.formats import local_time
from cc_terminal.i18n import N_, _, pgettext
from cc_terminal.models import ListKind
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.setup.mailbox_form import MailboxEditor
from cc_terminal.screens.setup.services import SetupServices
from cc_terminal.services.channels.mail_views import MailboxView
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.widgets.plain_widgets import InOrderTable
from cc_terminal.widgets.safe_text import shown
from cc_terminal.widgets.worker_results import show_latest


def columns() -> tuple[str, ...]:
    return (
        pgettext("item", "Name"),
        _("In use"),
        _("Department"),
        _("From"),
        _("Passwords"),
        _("IMAP server"),
        _("Last fetch"),
        _("Last error"),
    )


class MailboxesTab(WorkstationAccess[SetupServices], Vertical):
    BINDINGS = [
        Binding("n", "new_mailbox", N_("New mailbox"), id="mailboxes.new"),
        Binding("r", "switch", N_("Switch off / on"), id="mailboxes.switch"),
    ]

    def __init__(self, zone: tzinfo) -> None:
        super().__init__(id="mailboxes-tab")
        self.zone = zone
        self.mailboxes: tuple[MailboxView, ...] = ()

    def compose(self) -> ComposeResult:
        table: DataTable[Text | str] = InOrderTable(id="mailboxes-table", cursor_type="row")
        table.add_columns(*columns())
        yield table

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch":
            return self.selected() is not None
        return True

    def focus_table(self) -> None:
        self.screen.set_focus(self.query_one("#mailboxes-table", DataTable))

    @work(thread=True, exclusive=True, exit_on_error=False, group="mailboxes-load")
    def load(self) -> None:
        mailboxes = self.services.mail.mailboxes(self.workstation.require_actor())
        show_latest(self.app, self.show, mailboxes)

    def show(self, mailboxes: tuple[MailboxView, ...]) -> None:
        self.mailboxes = mailboxes
        table = self.query_one("#mailboxes-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        for view in mailboxes:
            table.add_row(*self.cells(view), key=str(view.id))
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        self.screen.refresh_bindings()

    def cells(self, view: MailboxView) -> list[Text | str]:
        style = "" if view.active else "dim strike"
        department = (
            self.workstation.lists.label(ListKind.DEPARTMENT, view.department)
            if view.department
            else _("any")
        )
        stored = [
            label
            for label, kept in (("IMAP", view.has_imap_password), ("SMTP", view.has_smtp_password))
            if kept
        ]
        return [
            Text(shown(view.name), style=style),
            _("yes") if view.active else _("no"),
            department,
            Text(shown(view.from_address)),
            _("stored: {which}").format(which=", ".join(stored)) if stored else _("none"),
            Text(shown(f"{view.imap_host}:{view.imap_port}")),
            local_time(view.last_fetch_at, self.zone) if view.last_fetch_at else "—",
            Text(shown(view.last_error), style="red") if view.last_error else "",
        ]

    def selected(self) -> MailboxView | None:
        table = self.query_one("#mailboxes-table", DataTable)
        if not self.mailboxes or not 0 <= table.cursor_row < len(self.mailboxes):
            return None
        return self.mailboxes[table.cursor_row]

    @on(DataTable.RowHighlighted, "#mailboxes-table")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.screen.refresh_bindings()

    @on(DataTable.RowSelected, "#mailboxes-table")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        view = self.selected()
        if view is not None:
            self.app.push_screen(MailboxEditor(view), self.saved)

    def action_new_mailbox(self) -> None:
        self.app.push_screen(MailboxEditor(), self.saved)

    def saved(self, view: MailboxView | None) -> None:
        if view is not None:
            self.notify(_("Mailbox {name} saved.").format(name=view.name))
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="mailboxes-save")
    def action_switch(self) -> None:
        view = self.selected()
        if view is None:
            return
        try:
            self.services.mail.set_mailbox_active(
                self.workstation.require_actor(), view.id, not view.active
            )
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=8)
            return
        self.load()
