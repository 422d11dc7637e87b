"""The person's own language for the workstation (F10 for an operator, J on a team lead's
Setup, "Language" in the palette): a digit picks it and the screens are drawn in it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cc_terminal.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.safe_text import plain

TERMINALS = ""  # the choice that follows the terminal's language


def language_choices(terminal: str) -> list[tuple[str, str]]:
    """(label, value): each language in its own words, then the terminal's, named."""
    terminal_name = LANGUAGE_NAMES.get(terminal, terminal)
    return [(LANGUAGE_NAMES[code], code) for code in LANGUAGES] + [
        (_("As this terminal ({language})").format(language=terminal_name), TERMINALS)
    ]


class LanguagePicker(ModalScreen[str | None]):
    """A digit picks the language at once; Enter takes the highlighted one."""

    AREA = N_("Language")
    BINDINGS = [
        Binding("escape", "cancel", N_("Back"), id="language.cancel"),
        Binding("e", "phone", N_("Phone of this terminal"), id="language.phone"),
        *(Binding(str(n), f"pick({n})", N_("Pick"), show=False) for n in range(1, 10)),
    ]

    def __init__(self, current: str, terminal: str) -> None:
        super().__init__()
        self.current, self.options = current, language_choices(terminal)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Your language for the workstation"), classes="dialog-title")
            yield OptionList(
                *(
                    Option(plain(self._line(number, label, value)), id=f"language-{number}")
                    for number, (label, value) in enumerate(self.options, start=1)
                ),
                id="language-options",
            )
            yield Static(
                _("Kept with your account: every terminal shows it after you sign in."),
                classes="hint",
            )
        yield KeyBar()

    def _line(self, number: int, label: str, value: str) -> str:
        mark = _("  (now)") if value == self.current else ""
        return f"{number}  {label}{mark}"

    def on_mount(self) -> None:
        values = [value for _label, value in self.options]
        options = self.query_one(OptionList)
        options.highlighted = values.index(self.current) if self.current in values else 0

    @on(OptionList.OptionSelected, "#language-options")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(int(str(event.option.id).removeprefix("language-")))

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self.options):
            self.dismiss(self.options[number - 1][1])

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_phone(self) -> None:
        """The operator's F10 holds this terminal's phone too (E)."""
        self.dismiss(None)
        self.app.call_later(self.app.run_action, "phone_settings")
