"""What the app says when things go wrong, and how: toasts and the last words.

A toast quotes stored names and notes, so it is drawn as the words it holds, never as
markup and never with control characters. An error nobody expected, in the UI itself (a
handler, a render, a timer): Textual's own handler prints a traceback with every frame's
local variables on the terminal as the app closes, a customer's name or note among them,
and the process exits 0. Here the person at the terminal gets one sentence, the log
(0600) gets the traceback (files, lines, the error's type, never its text or any
variable), and the process ends with a non-zero status."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import App
from textual.notifications import SeverityLevel

from cc_terminal.i18n import _
from cc_terminal.session_log import LOG_NAME, log_failure
from cc_terminal.widgets.safe_text import shown

EXIT_STATUS = 1


def stopped_message(error: BaseException, data_dir: Path) -> Text:
    message = _(
        "cc-terminal stopped after an unexpected error ({error}). What was saved is kept. "
        "The details are in the log: {log}. Start it again; if it happens again, tell "
        "your team lead."
    )
    return Text(message.format(error=type(error).__name__, log=data_dir / LOG_NAME))


class SaysItInWords(App[str]):
    """The workstation's App below its screens: toasts and unexpected errors."""

    def log_folder(self) -> Path:
        raise NotImplementedError

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast, a screen's or a widget's too (they come here), as plain words."""
        super().notify(
            shown(message, multi_line=True),
            title=shown(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def _handle_exception(self, error: Exception) -> None:
        # Textual's own would print the traceback with local variables (customer data).
        self._return_code = EXIT_STATUS
        if self._exception is None:  # Pilot raises the first one at the end of a test
            self._exception = error
            self._exception_event.set()
        log_failure("the workstation's screen", error)
        self.panic(stopped_message(error, self.log_folder()))
