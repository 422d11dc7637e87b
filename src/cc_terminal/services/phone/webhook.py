"""The phone webhook's token and its refusals. The token is made here once (a team lead,
``cc-terminal phone token``), shown once and kept only as its SHA-256 (a random 32-byte
token needs no slow hash), in this database's ``local_secret``. A wrong token is audited
as an anonymous refusal, at most once a minute with the count since (a flood writes one
row a minute, not one a request)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from cc_terminal.i18n import _
from cc_terminal.models import LocalSecret
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import add_event, record, refusals_audited
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database

TOKEN_NAME = "phone_webhook_token"
AUDIT_EVERY = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@refusals_audited
class WebhookTokens:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db, self.clock = db, clock
        self._lock = threading.Lock()
        self._refused = 0
        self._last_audit: datetime | None = None

    def new_token(self, actor: Actor) -> str:
        """A new token for the webhook (the old one stops working): a team lead's."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead sets the phone webhook's token."))
        token = secrets.token_urlsafe(32)
        with self.db.write(actor.operator_id) as session:
            found = session.get(LocalSecret, TOKEN_NAME)
            if found is None:
                session.add(LocalSecret(name=TOKEN_NAME, value=_digest(token)))
            else:
                found.value = _digest(token)
            add_event(session, actor.operator_id, AuditKind.PHONE_TOKEN_SET, at=self.clock())
        return token

    def has_token(self) -> bool:
        with self.db.read() as session:
            return session.get(LocalSecret, TOKEN_NAME) is not None

    def matches(self, token: str) -> bool:
        """Whether ``token`` is the webhook's (compared in constant time); a wrong one is
        counted for the audit trail."""
        with self.db.read() as session:
            found = session.get(LocalSecret, TOKEN_NAME)
            stored = "" if found is None else found.value
        if stored and hmac.compare_digest(stored, _digest(token)):
            return True
        self._refusal()
        return False

    def _refusal(self) -> None:
        now = self.clock()
        with self._lock:
            self._refused += 1
            if self._last_audit is not None and now - self._last_audit < AUDIT_EVERY:
                return
            count, self._refused, self._last_audit = self._refused, 0, now
        # the detail: how many requests since the last row (this one included)
        record(self.db, None, AuditKind.PHONE_TOKEN_REFUSED, "webhook", str(count), now)
