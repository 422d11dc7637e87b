"""What every workstation screen shares: its area name and typed access to the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.screen import Screen

if TYPE_CHECKING:
    from cc_terminal.app import CCTerminal
    from cc_terminal.services.workstation import Workstation


class WorkstationScreen(Screen[Any]):
    AREA: ClassVar[str] = ""

    @property
    def workstation(self) -> CCTerminal:
        return self.app  # type: ignore[return-value]

    @property
    def services(self) -> Workstation:
        return self.workstation.require_services()
