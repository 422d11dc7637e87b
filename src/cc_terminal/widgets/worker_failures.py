"""The one handler of unexpected worker failures. Textual posts a worker's state change
only to the node that ran it (the message does not bubble), so the app and every screen,
dialog and widget that runs workers carry ``ReportsWorkerFailures``: a worker that fails
with an error nobody expected is said on screen by its type, logged with its traceback
(never its text, which may quote a customer's data), and the screen goes on."""

from __future__ import annotations

import sys
from typing import Any

from textual.worker import Worker, WorkerState

from cc_terminal.i18n import _
from cc_terminal.session_log import log_failure
from cc_terminal.store.errors import StoreUnavailable


class ReportsWorkerFailures:
    app: Any

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            report_failure(self.app, event.worker)


def report_failure(app: Any, worker: Worker[Any]) -> None:
    error = worker.error
    if error is None:
        return
    app.log.error(f"worker {worker.name} failed: {type(error).__name__}")
    log_failure(f"worker {worker.name}", error)
    if _server_away(error):
        # a read that found the database server away (a lost connection, a refused one)
        away = _(
            "The database cannot be reached just now: this screen could not be brought up "
            "to date. Nothing was saved or lost; it is tried again when the server is back."
        )
        app.notify(away, severity="error", timeout=10)
        return
    message = _("Something went wrong: {error}. Nothing was half-saved.")
    app.notify(message.format(error=type(error).__name__), severity="error", timeout=10)


def _server_away(error: BaseException) -> bool:
    """A lost or refused connection. SQLAlchemy is looked up, not imported: the app
    starts without database code (tests/hostile/test_import_hygiene.py), and an error from it
    means it is loaded."""
    database_errors = sys.modules.get("sqlalchemy.exc")
    lost = database_errors is not None and isinstance(error, database_errors.OperationalError)
    return lost or isinstance(error, StoreUnavailable)
