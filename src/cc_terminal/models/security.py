from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from cc_terminal.models.base import UTCDateTime


class LoginThrottle(SQLModel, table=True):
    """Wrong passwords typed at one terminal for one user name (known or not): after the
    floor's free attempts, each next try waits longer. Kept per terminal, so nobody can
    lock a colleague out of every terminal by typing wrong passwords at one of them."""

    __tablename__ = "login_throttle"
    __outbox__ = False

    source: str = Field(primary_key=True, max_length=100)
    username: str = Field(primary_key=True, max_length=100)
    failures: int = 0
    blocked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SecurityPolicy(SQLModel, table=True):
    """The floor's sign-in policy (one row, id 1), set by a team lead, shared by every
    terminal of the floor: free attempts, then a delay doubling from 30 s up to a cap."""

    __tablename__ = "security_policy"

    id: int = Field(default=1, primary_key=True)
    free_attempts: int = 5
    max_delay_minutes: int = 15
