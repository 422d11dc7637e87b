"""Which key may speak for which account, with which role, at a given moment of the floor.

Built for one ingest from the floor's anchors (pinned in the key text), the certificates
in floor.json and in the ``account_key`` table, and every certificate that arrives
meanwhile. A certificate counts when its own signature verifies and its issuer is an
anchor, or an account whose key a valid ``lead`` certificate vouches for at the
certificate's clock. Chains are short (root -> lead -> operator) and checked once per
ingest.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from cc_terminal.i18n import _
from cc_terminal.models import AccountKey
from cc_terminal.store.outbox import json_value
from cc_terminal.sync import certs

MAX_CHAIN = 8
KEYS = AccountKey.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Grant:
    """What a verified certificate says an account may do with its key."""

    operator_id: str
    username: str
    role: str
    scope: frozenset[str]


@dataclass(frozen=True)
class _Chain:
    """An account's key as its certificates say: its earliest revocation's clock, and its
    grants in the order they were issued, with their clocks."""

    revoked: int | None
    issued_at: list[int]
    grants: list[Grant]


class Trust:
    def __init__(self, root: str, recovery: str, since: int = 0) -> None:
        self.anchors = {certs.ROOT: root, certs.RECOVERY: recovery}
        # an upgraded floor: what was issued before it began vouches for keys it replaced
        self.since = since
        self._seen: dict[str, bool] = {}  # certificate id -> its signature verifies
        self._by_key: dict[str, list[dict[str, Any]]] = {}
        self._issuers: dict[str, bool] = {}  # certificate id -> its issuer may issue it
        self._chains: dict[tuple[str, str, int], _Chain] = {}  # (account, key, depth)

    def load(self, connection: Connection, pinned: Iterable[Mapping[str, Any]] = ()) -> Trust:
        """The certificates here and ``pinned`` (floor.json's, counted whatever their age)."""
        for cert in pinned:
            self.learn(cert, pinned=True)
        for row in connection.execute(select(KEYS)):
            self.learn({name: json_value(value) for name, value in row._mapping.items()})
        return self

    def learn(self, cert: Mapping[str, Any], pinned: bool = False) -> bool:
        """Take a certificate in; False when its signature does not verify."""
        cert_id = str(cert.get("id", ""))
        if cert_id in self._seen:
            return self._seen[cert_id]
        good = certs.verifies(cert)
        self._seen[cert_id] = good
        if good and (pinned or int(cert["hlc"]) >= self.since):
            self._by_key.setdefault(str(cert["public_key"]), []).append(dict(cert))
            self._issuers.clear()  # a new certificate (a revocation) may change a chain
            self._chains.clear()
        return good

    def grant(self, account: str, public_key: str, at: int) -> Grant | str:
        """The grant covering an op the key signed at clock ``at``, or why there is none:
        the newest grant issued at or before ``at`` (or the first one, for ops made before
        the floor vouched for the account), unless a revocation came before ``at``."""
        return self._grant(account, public_key, at, 0)

    def _grant(self, account: str, public_key: str, at: int, depth: int) -> Grant | str:
        chain = self._chains.get((account, public_key, depth))
        if chain is None:
            chain = self._chains[(account, public_key, depth)] = self._chain(
                account, public_key, depth
            )
        if chain.revoked is not None and chain.revoked < at:
            return _("its key was revoked before it signed")
        if not chain.grants:
            return _("no certificate of the floor vouches for its key")
        before = bisect_right(chain.issued_at, at)  # the grants issued at or before ``at``
        return chain.grants[before - 1] if before else chain.grants[0]

    def _chain(self, account: str, public_key: str, depth: int) -> _Chain:
        """What the certificates say of the account's key, whatever the op's clock (an
        ingest asks for each of its 100,000 ops; learning a certificate forgets it)."""
        issued = [
            cert
            for cert in self._by_key.get(public_key, ())
            if str(cert["operator_id"]) == account and self._issuer_ok(cert, depth)
        ]
        revoked = [int(c["hlc"]) for c in issued if c["kind"] == certs.REVOKE]
        grants = sorted(
            (c for c in issued if c["kind"] == certs.GRANT), key=lambda c: int(c["hlc"])
        )
        return _Chain(
            min(revoked, default=None),
            [int(cert["hlc"]) for cert in grants],
            [Grant(account, str(c["username"]), str(c["role"]), certs.scope_of(c)) for c in grants],
        )

    def _issuer_ok(self, cert: Mapping[str, Any], depth: int) -> bool:
        cert_id = str(cert["id"])
        if cert_id not in self._issuers:
            self._issuers[cert_id] = self._issued_by_right(cert, depth)
        return self._issuers[cert_id]

    def _issued_by_right(self, cert: Mapping[str, Any], depth: int) -> bool:
        issuer, key = str(cert["issuer_id"]), str(cert["issuer_key"])
        if issuer in self.anchors:
            return bool(key) and key == self.anchors[issuer]
        if depth >= MAX_CHAIN:
            return False
        found = self._grant(issuer, key, int(cert["hlc"]), depth + 1)
        return isinstance(found, Grant) and found.role == certs.LEAD
