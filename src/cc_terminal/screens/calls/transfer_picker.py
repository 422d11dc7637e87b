"""Ctrl+X on a live call (F2 or F3): to whom the call is handed on, by digit."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cc_terminal.i18n import N_, _
from cc_terminal.services.phone.transfer import TransferTarget
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.safe_text import plain


class TransferPicker(ModalScreen[TransferTarget | None]):
    """The terminal's transfer targets (its settings' ``transfer_to``): a digit picks one
    at once, or arrows and Enter; Escape goes back to the call."""

    AREA = N_("Transfer")
    BINDINGS = [
        Binding("escape", "cancel", N_("Back to the call"), id="transfer.cancel"),
        *(Binding(str(n), f"pick({n})", N_("Pick"), show=False) for n in range(1, 10)),
    ]

    def __init__(self, targets: tuple[TransferTarget, ...]) -> None:
        super().__init__()
        self.targets = targets

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Transfer the call to"), classes="dialog-title")
            yield OptionList(
                *(
                    Option(plain(f"{t.key}  {t.name} ({t.extension})"), id=t.key)
                    for t in self.targets
                ),
                id="transfer-targets",
            )
            yield Static(_("Blind transfer: the call leaves your phone."), classes="hint")
        yield KeyBar()

    @on(OptionList.OptionSelected, "#transfer-targets")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(t for t in self.targets if t.key == event.option.id))

    def action_pick(self, number: int) -> None:
        for target in self.targets:
            if target.key == str(number):
                self.dismiss(target)

    def action_cancel(self) -> None:
        self.dismiss(None)
