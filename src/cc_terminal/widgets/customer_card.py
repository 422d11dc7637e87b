"""The caller's card: who they are, how to reach them, and their ledger."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive

from cc_terminal.customer_fields import CUSTOMER_FIELDS, OnCard
from cc_terminal.formats import local_time
from cc_terminal.i18n import _
from cc_terminal.models.reference import ListKind
from cc_terminal.services.common.reference import ReferenceLists
from cc_terminal.services.common.views import CustomerCard as Card
from cc_terminal.services.common.views import EntryKind, of_kind
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.ledger import OPEN_REQUEST, Ledger
from cc_terminal.widgets.safe_text import shown


def card_rows(card: Card) -> list[tuple[str, str]]:
    """The card's rows under the name: the phones, the address line (if any field is on
    it), then each declared field shown on a row of its own, in the table's order."""
    rows = [(_("Phones"), ", ".join(phone.display for phone in card.phones))]
    if any(field.on_card is OnCard.ADDRESS for field in CUSTOMER_FIELDS):
        rows.append((_("Address"), card.address or "—"))
    rows += [
        (field.label(), card.values[field.name] or "—")
        for field in CUSTOMER_FIELDS
        if field.on_card is OnCard.ROW
    ]
    return rows


class CustomerCard(Vertical):
    """Renders a ``services.views.CustomerCard``; set ``card`` to show one, None to clear.

    The card itself draws nothing but its children's background: a new card repaints the
    details (one text of fixed height) and the ledger, never the whole box around them."""

    card: reactive[Card | None] = reactive(None, repaint=False)

    def __init__(
        self, zone: str, lists: ReferenceLists, region: str, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.zone = zone
        self.lists = lists
        self.money_region = region

    def compose(self) -> ComposeResult:
        yield InPlaceText(self._details(None), id="card-details")
        yield Ledger(self.zone, self.lists, self.money_region, id="ledger")

    def watch_card(self, card: Card | None) -> None:
        self.query_one("#card-details", InPlaceText).text = self._details(card)
        self.query_one(Ledger).show(card.timeline if card else ())

    def _details(self, card: Card | None) -> Text | str:
        if card is None:
            return _("No caller yet: type their number or name and press Enter.")
        text = Text()
        text.append(shown(card.full_name), style="bold")
        if card.do_not_call:
            text.append("  " + _("DO NOT CALL"), style="bold reverse red")
        if card.priority:
            text.append("  " + _("PRIORITY: a visit was missed"), style="bold reverse yellow")
        rows = card_rows(card)
        newest = self._open_request(card)
        if newest:
            rows.append((_("Open request"), newest))
        width = max(10, *(len(label) + 2 for label, _value in rows))  # a space after the longest
        for label, value in rows:
            text.append(f"\n{label + ':':<{width}}", style="dim")
            text.append(shown(value), style="bold yellow" if label == _("Open request") else "")
        return text

    def _open_request(self, card: Card) -> str:
        """The newest request still open (a complaint, a fault...), on the card itself: its
        category, due time, department and what it is about."""
        for entry in of_kind(card.timeline, EntryKind.REQUEST):
            if entry.result in OPEN_REQUEST:
                parts = [self.lists.label(ListKind.REQUEST_CATEGORY, entry.code)]
                if entry.due_at is not None:
                    due = local_time(entry.due_at, ZoneInfo(self.zone), "%d.%m. %H:%M")
                    parts.append(_("due {due}").format(due=due))
                parts.append(self.lists.label(ListKind.DEPARTMENT, entry.department))
                summary = entry.detail.splitlines()[0] if entry.detail else ""
                return " · ".join(parts) + (f": {summary}" if summary else "")
        return ""
