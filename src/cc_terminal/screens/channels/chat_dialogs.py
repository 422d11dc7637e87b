"""The chat area's two pickers: how a chat ended (an outcome by its digit) and whom it is
handed to (a colleague with a place, or a department's queue)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cc_terminal.i18n import N_, _
from cc_terminal.services.channels.views import Colleague
from cc_terminal.services.common.views import Choice
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.safe_text import plain

DIGITS = 9


@dataclass(frozen=True)
class Target:
    """Where a chat is handed: a colleague's id, or a department's code."""

    colleague: Colleague | None = None
    department: str = ""


class OutcomePicker(ModalScreen[str | None]):
    """A digit (each outcome's own key) closes the chat with that outcome; T first marks a
    chat's transcript to be sent to the visitor's address (when their contact is one)."""

    AREA = N_("Close the chat")
    BINDINGS = [
        Binding("escape", "cancel", N_("Back"), id="outcome.cancel"),
        Binding("t", "transcript", N_("Send the transcript"), id="outcome.transcript"),
        *(Binding(str(n), f"pick('{n}')", N_("Pick outcome"), show=False) for n in range(10)),
    ]

    def __init__(
        self,
        visitor: str,
        outcomes: tuple[Choice, ...],
        channel: str = "chat",
        transcript_to: str = "",
    ) -> None:
        super().__init__()
        self.visitor = visitor
        self.outcomes = outcomes
        self.letter = channel == "email"
        self.transcript_to = transcript_to
        self.send_transcript = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = (
                _("How did the letter from {name} end?")
                if self.letter
                else _("How did the chat with {name} end?")
            ).format(name=self.visitor)
            yield Static(plain(title), classes="dialog-title")
            yield OptionList(
                *(
                    Option(plain(f"{choice.key or ' '}  {_(choice.label)}"), id=choice.code)
                    for choice in self.outcomes
                ),
                id="chat-outcomes",
            )
            yield Static(_("Press its number, or Enter on the highlighted one."), classes="hint")
            if self.transcript_to:
                yield Static(plain(self._transcript_words()), id="chat-transcript", classes="hint")
        yield KeyBar()

    def _transcript_words(self) -> str:
        words = (
            _("✓ The transcript goes to {address} (T: it does not)")
            if self.send_transcript
            else _("T: send the transcript to {address} too")
        )
        return words.format(address=self.transcript_to)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return bool(self.transcript_to) if action == "transcript" else True

    def action_transcript(self) -> None:
        self.send_transcript = not self.send_transcript
        self.query_one("#chat-transcript", Static).update(plain(self._transcript_words()))

    @on(OptionList.OptionSelected, "#chat-outcomes")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))

    def action_pick(self, key: str) -> None:
        found = next((c.code for c in self.outcomes if c.key == key), None)
        if found is not None:
            self.dismiss(found)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TransferPicker(ModalScreen[Target | None]):
    """Colleagues signed in with their chats, then the departments; a digit picks one of
    the first nine, Enter the highlighted one."""

    AREA = N_("Hand the chat over")
    BINDINGS = [
        Binding("escape", "cancel", N_("Back"), id="transfer.cancel"),
        *(Binding(str(n), f"pick({n})", N_("Pick"), show=False) for n in range(1, DIGITS + 1)),
    ]

    def __init__(
        self, visitor: str, colleagues: tuple[Colleague, ...], departments: tuple[Choice, ...]
    ) -> None:
        super().__init__()
        self.visitor = visitor
        self.targets = [Target(colleague=c) for c in colleagues]
        self.targets += [Target(department=d.code) for d in departments]
        self.labels = [self._label(c) for c in colleagues]
        self.labels += [
            _("{department} (its queue)").format(department=_(d.label)) for d in departments
        ]

    @staticmethod
    def _label(colleague: Colleague) -> str:
        return _("{name} ({held} of {limit} chats)").format(
            name=colleague.full_name, held=colleague.held, limit=colleague.limit
        )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = _("Hand the chat with {name} to").format(name=self.visitor)
            yield Static(plain(title), classes="dialog-title")
            yield OptionList(
                *(
                    Option(plain(f"{n if n <= DIGITS else ' '}  {text}"), id=str(n))
                    for n, text in enumerate(self.labels, 1)
                ),
                id="chat-targets",
            )
            yield Static(_("Press its number, or Enter on the highlighted one."), classes="hint")
        yield KeyBar()

    @on(OptionList.OptionSelected, "#chat-targets")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(int(str(event.option.id)))

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self.targets):
            self.dismiss(self.targets[number - 1])

    def action_cancel(self) -> None:
        self.dismiss(None)
