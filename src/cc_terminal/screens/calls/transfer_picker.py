"""Ctrl+X on a live call (F2 or F3): to whom the call is handed on, by digit; and the
first steps both screens share (the terminal's targets, then this picker)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cc_terminal.i18n import N_, _
from cc_terminal.services.phone.transfer import TransferTarget, transfer_targets
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


class AsksTransferTarget:
    """Mixed into F2 and F3: Ctrl+X asks for the target when the screen's ``may_transfer``
    says the call may be handed on, and hands it to the screen's ``transfer_to``."""

    app: Any
    workstation: Any
    notify: Any
    may_transfer: Any
    transfer_to: Any

    def action_transfer(self) -> None:
        targets = transfer_targets(self.workstation.settings.transfer_to)
        if not targets:
            self.notify(_("No transfer targets are set for this terminal."), severity="warning")
        elif self.may_transfer():
            self.app.push_screen(TransferPicker(targets), self.transfer_chosen)

    def transfer_chosen(self, target: TransferTarget | None) -> None:
        if target is not None and self.may_transfer():
            self.transfer_to(target)
