"""Small dialogs that return one choice: a call outcome, one of several customers."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from cc_terminal.folding import fold
from cc_terminal.i18n import N_, _, pgettext
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.orders.dialogs import TextDialog
from cc_terminal.screens.ring_below import AnswersRingBelow
from cc_terminal.services.calls.search import SearchHit
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.views import CallDraftState, Choice, CustomerCard
from cc_terminal.services.privacy.masks import mask_phone
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.plain_widgets import PlainTable
from cc_terminal.widgets.safe_text import plain

if TYPE_CHECKING:
    from cc_terminal.services.privacy.reveal import Privacy


class OutcomePicker(ModalScreen[str | None]):
    """Ends the call: a digit picks an outcome at once, or arrows and Enter; the outcome
    the call proposes (a request registered: "request registered") is highlighted, so Enter
    alone accepts it."""

    AREA = N_("End call")
    BINDINGS = [
        Binding("escape", "cancel", N_("Back to the call"), id="outcome.cancel"),
        *(Binding(str(n), f"pick({n})", N_("Pick outcome"), show=False) for n in range(1, 10)),
    ]

    def __init__(self, outcomes: tuple[Choice, ...], proposed: str = "") -> None:
        super().__init__()
        self.outcomes = outcomes
        self.proposed = proposed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("End the call with an outcome"), classes="dialog-title")
            options = OptionList(
                *(Option(plain(f"{o.key}  {_(o.label)}"), id=o.code) for o in self.outcomes),
                id="outcomes",
            )
            codes = [outcome.code for outcome in self.outcomes]
            if self.proposed in codes:
                options.highlighted = codes.index(self.proposed)
            yield options
            yield Static(_("Press its number, or Enter on the highlighted one."), classes="hint")
        yield KeyBar()

    @on(OptionList.OptionSelected, "#outcomes")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, number: int) -> None:
        for outcome in self.outcomes:
            if outcome.key == str(number):
                self.dismiss(outcome.code)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmQuit(ModalScreen[bool]):
    """Quitting with a call open loses what was typed: ask first."""

    AREA = N_("Quit")
    BINDINGS = [
        Binding("y", "answer(True)", N_("Quit, keep the call as a draft"), id="quit.yes"),
        Binding("n,escape", "answer(False)", N_("Back to the call"), id="quit.no"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("A call is open"), classes="dialog-title")
            yield Static(
                _("Quit anyway? The call is kept as a draft and offered again at sign-in.")
            )
            yield Static(_("Y quits, N or Escape goes back to the call."), classes="hint")
        yield KeyBar()

    def action_answer(self, quit_anyway: bool) -> None:
        self.dismiss(quit_anyway)


class ConfirmObjection(ModalScreen[bool]):
    """ "Do not call me again": ask once, then it holds for every campaign."""

    AREA = N_("Do not call")
    BINDINGS = [
        Binding("y", "answer(True)", N_("Record it"), id="objection.yes"),
        Binding("n,escape", "answer(False)", N_("Back to the call"), id="objection.no"),
    ]

    def __init__(self, phone_display: str) -> None:
        super().__init__()
        self.phone_display = phone_display

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                plain(_("Do not call {phone} again?").format(phone=self.phone_display)),
                classes="dialog-title",
            )
            yield Static(_("No campaign will call this number again and no import brings it back."))
            yield Static(_("Y records it; N or Escape goes back."), classes="hint")
        yield KeyBar()

    def action_answer(self, record: bool) -> None:
        self.dismiss(record)


class RestoreDraft(ModalScreen[bool]):
    """An unfinished call from before a crash or a closed terminal: take it up again?"""

    AREA = N_("Unfinished call")
    BINDINGS = [
        Binding("y", "answer(True)", N_("Restore the call"), id="restore.yes"),
        Binding("n", "answer(False)", N_("Discard it"), id="restore.no"),
    ]

    def __init__(self, draft: CallDraftState, zone: ZoneInfo) -> None:
        super().__init__()
        self.draft = draft
        self.zone = zone

    def compose(self) -> ComposeResult:
        started = self.draft.started_at.astimezone(self.zone).strftime("%d.%m.%Y %H:%M")
        with Vertical(classes="dialog"):
            yield Static(_("An unfinished call was kept"), classes="dialog-title")
            yield Static(
                plain(
                    _("{name}, started {started}").format(
                        name=self.draft.customer_name, started=started
                    )
                )
            )
            if self.draft.notes:
                yield Static(plain(self.draft.notes[:200], multi_line=True), classes="hint")
            yield Static(_("Y restores it with everything typed; N discards it."), classes="hint")
        yield KeyBar()

    def action_answer(self, restore: bool) -> None:
        self.dismiss(restore)


@dataclass(frozen=True)
class CallerRow:
    """One candidate caller, as the picker lists it."""

    id: uuid.UUID
    full_name: str
    street: str
    city: str
    phone: str
    last_contact: datetime | None
    close_match: bool = True

    @classmethod
    def of_card(cls, card: CustomerCard) -> CallerRow:
        street = " ".join(part for part in (card.street, card.house_number) if part)
        phone = card.phones[0].display if card.phones else ""
        return cls(card.id, card.full_name, street, card.city, phone, card.last_contact)

    @classmethod
    def of_hit(cls, hit: SearchHit) -> CallerRow:
        return cls(
            hit.id, hit.full_name, hit.street_line, hit.city, hit.phone, hit.last_contact, hit.exact
        )


class RevealServices(Protocol):
    """What the customer picker reaches of the workstation: revealing a masked phone."""

    privacy: Privacy


class CustomerPicker(
    WorkstationAccess[RevealServices], AnswersRingBelow, ModalScreen[uuid.UUID | None]
):
    """Several customers fit (a shared number, a name search): the operator picks the caller.
    Street, town, masked phone and last contact tell two Jan Nováks apart; Ctrl+V reveals
    the highlighted one's phone after asking why (audited).

    An operator who goes on typing while the list comes up meant to refine the search: the
    list closes and every key typed goes to ``keep_typing``, none is lost."""

    AREA = N_("Choose caller")
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="picker.cancel"),
        Binding("ctrl+v", "reveal", N_("Reveal phone"), id="picker.reveal"),
    ]

    def __init__(
        self,
        title: str,
        rows: Sequence[CallerRow],
        zone: ZoneInfo,
        keep_typing: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows
        self.zone = zone
        self.keep_typing = keep_typing
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="caller-picker"):
            yield Static(plain(self.title_text, multi_line=True), classes="dialog-title")
            table: DataTable[str | Text] = PlainTable(id="matches", cursor_type="row")
            self.phone_column = table.add_columns(
                pgettext("person", "Name"), _("Street"), _("Town"), _("Phone"), _("Last contact")
            )[3]
            for row in self.rows:
                name = (
                    Text(row.full_name)
                    if row.close_match
                    else Text(row.full_name + " ~", style="italic")
                )
                last = (
                    row.last_contact.astimezone(self.zone).strftime("%d.%m.%Y")
                    if row.last_contact
                    else "—"
                )
                table.add_row(
                    name,
                    row.street or "—",
                    row.city or "—",
                    mask_phone(row.phone),
                    last,
                    key=str(row.id),
                )
            yield table
            yield Static(
                _("Enter takes the highlighted caller; ~ marks a spelling that is only close."),
                classes="hint",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#matches", DataTable))

    def on_key(self, event: events.Key) -> None:
        if self.keep_typing is None or not (event.is_printable and event.character):
            return
        event.stop()
        event.prevent_default()
        self.keep_typing(event.character)
        self._close(None)

    @on(DataTable.RowSelected, "#matches")
    def chosen(self, event: DataTable.RowSelected) -> None:
        assert event.row_key.value is not None
        self._close(uuid.UUID(event.row_key.value))

    def action_cancel(self) -> None:
        self._close(None)

    def action_reveal(self) -> None:
        table = self.query_one("#matches", DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return
        row = self.rows[table.cursor_row]

        def reason(typed: str | None) -> None:
            if typed:
                self.reveal(row.id, typed)

        self.app.push_screen(
            TextDialog(
                _("Reveal the phone of {name}").format(name=row.full_name),
                _("Why do you need to see it?"),
                _("The reveal is recorded with your reason in the audit trail."),
            ),
            reason,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="reveal")
    def reveal(self, customer_id: uuid.UUID, reason: str) -> None:
        actor = self.workstation.require_actor()
        try:
            value = self.services.privacy.reveal(actor, customer_id, "phone", reason)
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        table = self.query_one("#matches", DataTable)
        self.app.call_from_thread(table.update_cell, str(customer_id), self.phone_column, value)

    def _close(self, result: uuid.UUID | None) -> None:
        # Keys typed quickly can still reach this screen after it was dismissed.
        if not self._answered:
            self._answered = True
            self.dismiss(result)


class PersonPicker(ModalScreen[str | None]):
    """Picks one person of a list (whom a team lead gives a callback): the digit before
    each of the first nine, or typing a part of the name (accents optional) moves to the
    first that holds it and Enter takes it; ``nobody`` adds 0 for taking it back."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Back"), id="person.cancel"),
        *(Binding(str(n), f"pick({n})", N_("Pick"), show=False) for n in range(10)),
    ]
    NOBODY = "-"

    def __init__(self, title: str, people: Sequence[tuple[str, str]], nobody: str = "") -> None:
        super().__init__()
        self.title_shown, self.people, self.nobody = title, list(people), nobody
        self.typed = ""

    def compose(self) -> ComposeResult:
        options = [
            Option(plain(f"{n}  {name}" if n <= 9 else f"   {name}"), id=key)
            for n, (name, key) in enumerate(self.people, start=1)
        ]
        if self.nobody:
            options.append(Option(plain(f"0  {self.nobody}"), id=self.NOBODY))
        with Vertical(classes="dialog"):
            yield Static(plain(self.title_shown, multi_line=True), classes="dialog-title")
            yield OptionList(*options, id="people")
            yield Static(_("Its number, or type a part of the name and Enter."), id="person-typed")
        yield KeyBar()

    def on_key(self, event: events.Key) -> None:
        if event.key == "backspace" and self.typed:
            self._find(self.typed[:-1])
        elif event.is_printable and event.character and not event.character.isdigit():
            self._find(self.typed + event.character)
        else:
            return
        event.stop()
        event.prevent_default()

    def _find(self, typed: str) -> None:
        self.typed = typed
        folded = fold(typed.strip())
        names = [fold(name) for name, _key in self.people]
        found = next((i for i, name in enumerate(names) if folded and folded in name), None)
        options = self.query_one("#people", OptionList)
        if found is not None:
            options.highlighted = found
        words = _("Typed: {typed}").format(typed=typed) if typed else ""
        self.query_one("#person-typed", Static).update(plain(words))

    @on(OptionList.OptionSelected, "#people")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))

    def action_pick(self, number: int) -> None:
        if number == 0 and self.nobody:
            self.dismiss(self.NOBODY)
        elif 1 <= number <= min(9, len(self.people)):
            self.dismiss(self.people[number - 1][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
