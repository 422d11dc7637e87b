"""Textual posts a worker's state change only to the node that ran it (the message does
not bubble), so every screen, dialog and widget that runs workers carries this mixin: a
worker that fails with an error nobody expected is handed to the app's one handler, which
says so on screen and writes the log line, and the screen goes on."""

from __future__ import annotations

from typing import Any

from textual.worker import Worker, WorkerState


class ReportsWorkerFailures:
    app: Any

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.app.worker_failed(event.worker)
