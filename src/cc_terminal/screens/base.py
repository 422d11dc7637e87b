"""What every workstation screen shares: its area name and typed access to the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.screen import Screen

from cc_terminal.widgets.worker_failures import ReportsWorkerFailures

if TYPE_CHECKING:
    from cc_terminal.app import CCTerminal
    from cc_terminal.services.workstation import Workstation


class WorkstationAccess(ReportsWorkerFailures):
    """Typed access to the app and its services, for screens and dialogs alike; a worker
    failing unexpectedly is reported by the app (ReportsWorkerFailures)."""

    app: Any

    @property
    def workstation(self) -> CCTerminal:
        return self.app

    @property
    def services(self) -> Workstation:
        return self.workstation.require_services()


class WorkstationScreen(WorkstationAccess, Screen[Any]):
    AREA: ClassVar[str] = ""
