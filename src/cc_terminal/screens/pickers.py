"""Small dialogs that return one choice: a call outcome, one of several customers."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from cc_terminal.i18n import _
from cc_terminal.services.views import CallDraftState, Choice, CustomerCard


class OutcomePicker(ModalScreen[str | None]):
    """Ends the call: a digit picks an outcome at once, or arrows and Enter."""

    AREA = _("End call")
    BINDINGS = [
        Binding("escape", "cancel", _("Back to the call"), id="outcome.cancel"),
        *(Binding(str(n), f"pick({n})", _("Pick outcome"), show=False) for n in range(1, 10)),
    ]

    def __init__(self, outcomes: tuple[Choice, ...]) -> None:
        super().__init__()
        self.outcomes = outcomes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("End the call with an outcome"), classes="dialog-title")
            yield OptionList(
                *(Option(f"{o.key}  {_(o.label)}", id=o.code) for o in self.outcomes),
                id="outcomes",
            )
            yield Static(_("Press its number, or Enter on the highlighted one."), classes="hint")
        yield Footer()

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

    AREA = _("Quit")
    BINDINGS = [
        Binding("y", "answer(True)", _("Quit, keep the call as a draft"), id="quit.yes"),
        Binding("n,escape", "answer(False)", _("Back to the call"), id="quit.no"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("A call is open"), classes="dialog-title")
            yield Static(
                _("Quit anyway? The call is kept as a draft and offered again at sign-in.")
            )
            yield Static(_("Y quits, N or Escape goes back to the call."), classes="hint")
        yield Footer()

    def action_answer(self, quit_anyway: bool) -> None:
        self.dismiss(quit_anyway)


class RestoreDraft(ModalScreen[bool]):
    """An unfinished call from before a crash or a closed terminal: take it up again?"""

    AREA = _("Unfinished call")
    BINDINGS = [
        Binding("y", "answer(True)", _("Restore the call"), id="restore.yes"),
        Binding("n", "answer(False)", _("Discard it"), id="restore.no"),
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
                _("{name}, started {started}").format(
                    name=self.draft.customer_name, started=started
                )
            )
            if self.draft.notes:
                yield Static(self.draft.notes[:200], classes="hint")
            yield Static(_("Y restores it with everything typed; N discards it."), classes="hint")
        yield Footer()

    def action_answer(self, restore: bool) -> None:
        self.dismiss(restore)


class CustomerPicker(ModalScreen[uuid.UUID | None]):
    """Several customers share the number: the operator picks the caller."""

    AREA = _("Choose caller")
    BINDINGS = [Binding("escape", "cancel", _("Cancel"), id="picker.cancel")]

    def __init__(self, matches: tuple[CustomerCard, ...]) -> None:
        super().__init__()
        self.matches = matches

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Several customers have this number"), classes="dialog-title")
            yield OptionList(
                *(Option(_describe(c), id=str(c.id)) for c in self.matches), id="matches"
            )
        yield Footer()

    @on(OptionList.OptionSelected, "#matches")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(uuid.UUID(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


def _describe(card: CustomerCard) -> str:
    last = card.recent_calls[0].started_at.strftime("%d.%m.%Y") if card.recent_calls else "—"
    return f"{card.full_name} · {card.address or '—'} · {_('last contact')} {last}"
