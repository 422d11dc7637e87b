"""The live floor board's plain values: every operator's state and since when, the calls
waiting, today's abandoned calls and service level, today's figures per campaign. Frozen,
no ORM: the screen keeps one and ticks its "how long" column from it once a second."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cc_terminal.i18n import N_
from cc_terminal.models.floor import CHAT_FIRST_RESPONSE_DEFAULT


class FloorState(StrEnum):
    """An operator's state on the board, in the order the board sorts by state."""

    RINGING = "ringing"
    ON_CALL = "on_call"
    WRAP_UP = "wrap_up"
    ON_CHAT = "on_chat"
    READY = "ready"
    PAUSED = "paused"
    SIGNED_OUT = "signed_out"


STATE_LABELS = {
    FloorState.RINGING: N_("ringing"),
    FloorState.ON_CALL: N_("on a call"),
    FloorState.WRAP_UP: N_("wrap-up"),
    FloorState.ON_CHAT: N_("on a chat"),
    FloorState.READY: N_("ready"),
    FloorState.PAUSED: N_("paused"),
    FloorState.SIGNED_OUT: N_("not signed in"),
}
STATE_ORDER = {state: position for position, state in enumerate(FloorState)}


@dataclass(frozen=True)
class FloorLimits:
    """The floor's limits, set by a team lead (services/phone/floor_limits.py; these are
    the defaults): service level's target and when a pause, a wrap-up or a chat without
    its first answer alerts."""

    service_seconds: int = 20
    pause_minutes: int = 15
    wrap_seconds: int = 120
    chat_first_response_seconds: int = CHAT_FIRST_RESPONSE_DEFAULT


@dataclass(frozen=True)
class OperatorOnFloor:
    operator_id: uuid.UUID
    full_name: str
    username: str
    state: FloorState
    since: datetime | None  # None: not signed in today
    pause_reason: str = ""  # a PauseReason's value while paused
    chats: int = 0  # chats held now

    def seconds(self, now: datetime) -> int:
        """How long in this state at ``now`` (0 when unknown)."""
        if self.since is None:
            return 0
        return max(0, int((now - self.since).total_seconds()))

    def alert(self, now: datetime, limits: FloorLimits) -> bool:
        """A pause or a wrap-up longer than the floor allows."""
        if self.state is FloorState.PAUSED:
            return self.seconds(now) > limits.pause_minutes * 60
        if self.state is FloorState.WRAP_UP:
            return self.seconds(now) > limits.wrap_seconds
        return False


@dataclass(frozen=True)
class CampaignToday:
    code: str
    name: str
    attempts: int
    contacts: int
    successes: int


@dataclass(frozen=True)
class PhoneToday:
    """Today's incoming phone calls (since local midnight)."""

    waiting: int = 0  # ringing now, nobody answered
    longest_wait_since: datetime | None = None
    offered: int = 0  # rang and were answered or ended (still ringing ones not counted)
    answered: int = 0
    answered_in_time: int = 0  # answered within the service level's seconds
    abandoned: int = 0  # the caller hung up before anyone answered
    unanswered: int = 0  # rang out, rejected, busy, failed

    @property
    def service_level(self) -> float | None:
        return self.answered_in_time / self.offered if self.offered else None


@dataclass(frozen=True)
class FloorView:
    at: datetime
    operators: tuple[OperatorOnFloor, ...]
    phone: PhoneToday
    campaigns: tuple[CampaignToday, ...]
    limits: FloorLimits

    def alerts(self, now: datetime) -> int:
        return sum(1 for row in self.operators if row.alert(now, self.limits))
