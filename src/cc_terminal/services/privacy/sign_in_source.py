"""Where a sign-in comes from, and what a typed user name is stored as.

Wrong passwords are counted per account and per source: the channel (the workstation's
sign-in screen, or the command line) and the terminal, and on a server the address the
server sees the terminal at (which nobody on another host can claim). So wrong passwords
typed at a terminal's command line never delay its sign-in screen, nor the other way
round, and a team lead always has a way in that an operator cannot block: the other
channel, another terminal, or on a floor the recovery key (``floor recover``, never
throttled).

A user name is stored (in the throttle table, in the audit trail that travels to the floor)
only when it is an account's: whatever else was typed, maybe a password in the wrong
field, is kept as a keyed hash (HMAC-SHA-256 with a key of this database's that never
leaves it), enough to count the tries of one name and to tell two names apart."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cc_terminal.i18n import _
from cc_terminal.models import LocalSecret, LoginThrottle
from cc_terminal.store.database import Database

WORKSTATION = "screen"  # the workstation's sign-in screen and its lock
COMMAND_LINE = "cli"
NAME_KEY = "typed-name-hmac"
TAG_LENGTH = 12  # hex digits of the hash shown for an unknown name


def source_of(channel: str, terminal: str, db: Database) -> str:
    """``channel:terminal``, and on PostgreSQL ``@address`` as the server sees it."""
    source = f"{channel}:{terminal}"
    if db.engine.dialect.name == "postgresql":
        with db.connect() as connection:
            address = connection.execute(text("SELECT inet_client_addr()")).scalar()
        source += f"@{address or 'local'}"
    return source[:100]


class NameKeys:
    """The keyed hash of typed user names; the key is made at its first use."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._key: bytes | None = None

    def key(self) -> bytes:
        if self._key is None:
            try:
                with self.db.write(None) as session:
                    if session.get(LocalSecret, NAME_KEY) is None:
                        session.add(LocalSecret(name=NAME_KEY, value=secrets.token_hex(32)))
            except IntegrityError:
                pass  # another terminal of the server made it at the same moment
            with self.db.read() as session:
                found = session.get(LocalSecret, NAME_KEY)
                assert found is not None
                self._key = bytes.fromhex(found.value)
        return self._key

    def hashed(self, typed: str) -> str:
        return hmac.new(self.key(), typed.encode(), hashlib.sha256).hexdigest()

    def stored(self, typed: str) -> str:
        """What the throttle table keeps for a typed name: never the typed text."""
        return "#" + self.hashed(typed)[:40]

    def shown(self, typed: str, known: bool) -> str:
        """What the audit trail says: an account's name, or a tag for anything else."""
        if known:
            return typed
        return _("unknown name #{tag}").format(tag=self.hashed(typed)[:TAG_LENGTH])


def blocked_until(session: Session, source: str, username: str, now: datetime) -> datetime | None:
    throttle = session.get(LoginThrottle, (source, username))
    if throttle is None or throttle.blocked_until is None or throttle.blocked_until <= now:
        return None
    return throttle.blocked_until


def clear_throttle(session: Session, username: str, source: str) -> None:
    throttle = session.get(LoginThrottle, (source, username))
    if throttle is not None:
        session.delete(throttle)
