"""What every tab of F6 shares: the weeks shown and what of them has come in, a dialog's
answer followed by a reload, and a write run in a worker that says how it went. The tabs
themselves are days_off.py (the operator's form), review_keys.py and roster_keys.py."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from textual import work

from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.screens.rostering.services import RosteringServices
from cc_terminal.screens.rostering.views import DAY_WIDTH, ReviewWeek
from cc_terminal.services.common.errors import ServiceError, ValidationFailed
from cc_terminal.services.rostering.days_off import RequestView
from cc_terminal.services.rostering.roster import RosterView

if TYPE_CHECKING:
    from cc_terminal.services.common.views import Actor


def day_columns() -> list[tuple[str, int]]:
    """A week's seven day columns before the week has come in (named when it has)."""
    return [(f"{n}", DAY_WIDTH) for n in range(7)]


class DaysOffBase(WorkstationScreen[RosteringServices]):
    """F6's state and its writes; the screen (days_off.py) reloads every tab."""

    def __init__(self) -> None:
        super().__init__()
        self.week = date(2000, 1, 3)
        self.mine: list[RequestView] = []
        self.marked: set[uuid.UUID] = set()
        self.fair_first = False
        self.review: ReviewWeek | None = None  # None while the week shown is loading
        self.roster: RosterView | None = None  # likewise
        self.first_day = date(2000, 1, 3)

    def action_refresh(self) -> None:
        """Reload every tab (the screen's own)."""

    def _then(self, message: str) -> Callable[[object], None]:
        def done(result: object) -> None:
            if result is not None:
                self.app.notify(message, timeout=4)
                self.action_refresh()

        return done

    @work(thread=True, exit_on_error=False, group="off-write")
    def run_service(
        self,
        call: Callable[[RosteringServices, Actor], object],
        message: str | Callable[[object], str],
    ) -> None:
        try:
            result = call(self.services, self.workstation.require_actor())
        except ValidationFailed as failed:
            text = " ".join(failed.errors.values())
            self.app.call_from_thread(self.app.notify, text, severity="error", timeout=8)
            return
        except ServiceError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error", timeout=8)
            return
        if callable(message):
            shown = message(result)
        else:
            shown = message.format(path=result) if "{path}" in message else message
        self.app.call_from_thread(self.app.notify, shown, timeout=5)
        self.app.call_from_thread(self.action_refresh)
