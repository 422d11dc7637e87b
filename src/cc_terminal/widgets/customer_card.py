"""The caller's card: who they are, how to reach them, and their recent calls."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from cc_terminal.i18n import _
from cc_terminal.models.reference import ListKind
from cc_terminal.services.reference import ReferenceLists
from cc_terminal.services.views import CustomerCard as Card
from cc_terminal.widgets.today_strip import clock_duration


class CustomerCard(Vertical):
    """Renders a ``services.views.CustomerCard``; set ``card`` to show one, None to clear."""

    card: reactive[Card | None] = reactive(None)

    def __init__(self, zone: str, lists: ReferenceLists, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = ZoneInfo(zone)
        self.lists = lists

    def compose(self) -> ComposeResult:
        yield Static(_("No caller yet: type their number and press Enter."), id="card-details")
        table: DataTable[str] = DataTable(id="recent-calls", cursor_type="row", zebra_stripes=True)
        table.add_columns(
            _("When"), _("Reason"), _("Outcome"), _("Talk"), _("Operator"), _("Notes")
        )
        yield table

    def watch_card(self, card: Card | None) -> None:
        self.query_one("#card-details", Static).update(self._details(card))
        table = self.query_one("#recent-calls", DataTable)
        table.clear()
        for call in card.recent_calls if card else ():
            table.add_row(
                call.started_at.astimezone(self.zone).strftime("%d.%m.%Y %H:%M"),
                self.lists.label(ListKind.CALL_REASON, call.reason),
                self.lists.label(ListKind.CALL_OUTCOME, call.outcome),
                clock_duration(call.talk_seconds),
                call.operator_name,
                call.notes.splitlines()[0][:40] if call.notes else "",
                key=str(call.id),
            )

    def _details(self, card: Card | None) -> Text | str:
        if card is None:
            return _("No caller yet: type their number and press Enter.")
        text = Text()
        text.append(card.full_name, style="bold")
        if card.do_not_call:
            text.append("  " + _("DO NOT CALL"), style="bold reverse red")
        rows = [
            (_("Phones"), ", ".join(phone.display for phone in card.phones)),
            (_("Address"), card.address or "—"),
            (_("E-mail"), card.email or "—"),
            (_("Notes"), card.notes or "—"),
        ]
        for label, value in rows:
            text.append(f"\n{label + ':':<10}", style="dim")
            text.append(value)
        if not card.recent_calls:
            text.append("\n" + _("No earlier calls."), style="italic dim")
        return text
