"""An error nobody expected, in the UI itself (a handler, a render, a timer).

Textual's own handler prints a traceback with every frame's local variables on the
terminal as the app closes: a customer's name, a note, an address among them, in the
scroll-back of a shared screen. Here the person at the terminal gets one sentence, the
log (0600) gets the traceback (files, lines, the error's type, never its text or any
variable), and the process ends with a non-zero status. Nothing here opens a session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text

from cc_terminal.i18n import _
from cc_terminal.session_log import LOG_NAME, log_failure

EXIT_STATUS = 1


def stopped_message(error: BaseException, data_dir: Path) -> Text:
    message = _(
        "cc-terminal stopped after an unexpected error ({error}). What was saved is kept. "
        "The details are in the log: {log}. Start it again; if it happens again, tell "
        "your team lead."
    )
    return Text(message.format(error=type(error).__name__, log=data_dir / LOG_NAME))


def stop_in_words(app: Any, error: BaseException, data_dir: Path) -> None:
    """Log the traceback, say it in words, and close the app with a failing status."""
    log_failure("the workstation's screen", error)
    app.panic(stopped_message(error, data_dir))
