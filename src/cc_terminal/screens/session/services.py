"""What signing in, the lock and the first password reach of the workstation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cc_terminal.services.common.reference import ReferenceService
    from cc_terminal.services.common.views import Actor, TodayStats
    from cc_terminal.services.privacy.auth import AuthService
    from cc_terminal.services.privacy.own_settings import OwnSettings
    from cc_terminal.services.tally.work_sessions import WorkClock


class SessionServices(Protocol):
    auth: AuthService
    own_settings: OwnSettings  # the person's own language
    # After sign-in: the closed lists, the work session begun and the header's strip.
    reference: ReferenceService
    work_clock: WorkClock

    def today(self, actor: Actor) -> TodayStats: ...
