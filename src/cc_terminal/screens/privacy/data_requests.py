"""Data protection requests, for team leads (F10, then P): find the customer by name or
phone, Ctrl+E writes everything held about them to one JSON file, Ctrl+X erases them after
asking for the request's reference. Both are audited; an erasure cannot be undone."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from cc_terminal.i18n import N_, _, ngettext, pgettext
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.orders.dialogs import TextDialog
from cc_terminal.screens.privacy.services import PrivacyServices
from cc_terminal.services.common import phones
from cc_terminal.services.common.errors import ServiceError, ValidationFailed
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.header import WorkstationHeader
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.row_table import LazyRows, RowTable
from cc_terminal.widgets.safe_text import shown
from cc_terminal.widgets.worker_results import show_latest


def columns() -> tuple[tuple[str, int], ...]:
    """The table's titles in the language of the moment, and widths."""
    return (
        (pgettext("person", "Name"), 30),
        (_("Street"), 26),
        (_("Town"), 20),
        (_("Phone"), 36),
    )


@dataclass(frozen=True)
class Found:
    id: uuid.UUID
    name: str
    street: str
    town: str
    phone: str


class DataRequestsScreen(WorkstationAccess[PrivacyServices], Screen[None]):
    AREA = N_("Data protection")
    BINDINGS = [
        Binding("ctrl+f", "focus_search", N_("Find"), id="privacy.find"),
        Binding("ctrl+e", "export", N_("Export all held"), id="privacy.export", priority=True),
        Binding("ctrl+x", "erase", N_("Erase"), id="privacy.erase", priority=True),
        Binding("escape", "close", N_("Back"), id="privacy.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Found] = []

    def compose(self) -> ComposeResult:
        yield WorkstationHeader(_(self.AREA))
        yield FormField(
            _("Customer: name, street, town or phone; Enter finds"),
            FormInput(id="privacy-search"),
            name="search",
        )
        yield InPlaceText(_("Find the customer the request is about."), id="privacy-count")
        yield RowTable(columns(), id="privacy-found")
        yield KeyBar()

    def on_mount(self) -> None:
        self.action_focus_search()

    def action_focus_search(self) -> None:
        self.set_focus(self.query_one("#privacy-search"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("export", "erase"):
            return self.highlighted is not None
        return True

    @property
    def highlighted(self) -> Found | None:
        table = self.query_one("#privacy-found", RowTable)
        if not self.found or table.cursor_row >= len(self.found):
            return None
        return self.found[table.cursor_row]

    @on(Input.Submitted, "#privacy-search")
    def find(self, event: Input.Submitted) -> None:
        self.query_one(FormField).error = ""
        self.look_up(event.value.strip())

    @work(thread=True, exclusive=True, exit_on_error=False, group="privacy-find")
    def look_up(self, typed: str) -> None:
        services = self.services
        try:
            if phones.looks_like_phone(typed):
                cards = services.customers.lookup_phone(typed).matches
                found = [
                    Found(
                        card.id,
                        card.full_name,
                        f"{card.street} {card.house_number}".strip(),
                        card.city,
                        ", ".join(p.display for p in card.phones),
                    )
                    for card in cards
                ]
            else:
                found = [
                    Found(hit.id, hit.full_name, hit.street_line, hit.city, hit.phone)
                    for hit in services.search.search(typed)
                ]
        except ValidationFailed as failed:
            message = next(iter(failed.errors.values()), "")
            self.app.call_from_thread(self.search_refused, message)
            return
        show_latest(self.app, self.show_found, found)

    def search_refused(self, message: str) -> None:
        self.query_one(FormField).error = message  # what was typed stays in the field

    def show_found(self, found: list[Found]) -> None:
        self.found = found
        table = self.query_one("#privacy-found", RowTable)
        table.show(LazyRows(found, self._row))
        count = ngettext("{n} customer", "{n} customers", len(found)).format(n=len(found))
        self.query_one("#privacy-count", InPlaceText).text = _(
            "{count}. Ctrl+E exports all held about the highlighted one; Ctrl+X erases."
        ).format(count=count)
        if found:
            self.set_focus(table)
        self.refresh_bindings()

    def _row(self, item: Found) -> tuple[str, ...]:
        return (shown(item.name), shown(item.street), shown(item.town), item.phone)

    def action_export(self) -> None:
        item = self.highlighted
        if item is None:
            return
        # the id's end: an import's customers share their ids' start (store/ids.py)
        default = self.workstation.settings.data_dir / f"customer-{item.id.hex[-8:]}.json"

        def chosen(path: str | None) -> None:
            if path:
                self.export(item, Path(path).expanduser())

        dialog = TextDialog(
            _("Everything held about {name}").format(name=item.name),
            _("File to write (JSON, readable by you only)"),
            _("The card, phones, calls, offers, orders, requests, leads and consents."),
            str(default),
        )
        self.app.push_screen(dialog, chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="privacy-act")
    def export(self, item: Found, path: Path) -> None:
        actor = self.workstation.require_actor()
        try:
            records = self.services.data_requests.export(actor, item.id, path)
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=10)
            return
        message = ngettext(
            "Wrote {n} record to {path}.", "Wrote {n} records to {path}.", records
        ).format(n=records, path=path)
        self.app.call_from_thread(self.notify, message, timeout=10)

    def action_erase(self) -> None:
        item = self.highlighted
        if item is None:
            return

        def reason(typed: str | None) -> None:
            if typed:
                self.erase(item, typed)

        dialog = TextDialog(
            _("Erase {name}").format(name=item.name),
            _("The request's reference (why)"),
            _(
                "Their personal data is wiped on every terminal and cannot be brought back; "
                "calls, orders and pay keep their figures."
            ),
        )
        self.app.push_screen(dialog, reason)

    @work(thread=True, exclusive=True, exit_on_error=False, group="privacy-act")
    def erase(self, item: Found, reason: str) -> None:
        actor = self.workstation.require_actor()
        try:
            self.services.data_requests.erase(actor, item.id, reason)
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=10)
            return
        message = _("{name} is erased.").format(name=item.name)
        self.app.call_from_thread(self.notify, message, timeout=10)
        still = [f for f in self.found if f.id != item.id]
        self.app.call_from_thread(self.show_found, still)

    def action_close(self) -> None:
        self.dismiss(None)
