"""What F6 (days off, their review and the roster) reaches of the workstation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cc_terminal.services.rostering.days_off import DaysOff
    from cc_terminal.services.rostering.roster import RosterService


class RosteringServices(Protocol):
    days_off: DaysOff
    roster: RosterService
