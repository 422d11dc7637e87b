"""What signing in, the lock and the first password reach of the workstation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cc_terminal.services.calls.drafts import DraftStore
    from cc_terminal.services.common.reference import ReferenceService
    from cc_terminal.services.common.views import Actor, TodayStats
    from cc_terminal.services.phone.presence import CallPresences
    from cc_terminal.services.privacy.auth import AuthService
    from cc_terminal.services.privacy.own_settings import OwnSettings
    from cc_terminal.services.tally.work_sessions import WorkClock


class SessionServices(Protocol):
    auth: AuthService
    own_settings: OwnSettings  # the person's own language
    # After sign-in: the closed lists, the work session begun and the header's strip.
    reference: ReferenceService
    work_clock: WorkClock
    presence: CallPresences  # a typed call left open at another terminal ends at sign-in
    drafts: DraftStore  # ... but not the one this terminal keeps to restore

    def today(self, actor: Actor) -> TodayStats: ...
