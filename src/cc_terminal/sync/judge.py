"""The ingest rule a floor applies to each arriving op, with what it must remember as
the ops go by (an account made, a certificate issued) to judge the next ones."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select
from sqlalchemy.engine import Connection

from cc_terminal.i18n import _
from cc_terminal.models import Operator
from cc_terminal.sync.ops import Incoming
from cc_terminal.sync.roles import RowReader, refusal, signed_refusal
from cc_terminal.sync.trust import Trust
from cc_terminal.sync.verify import Signed


class Judge(Protocol):
    def refusal(self, op: Incoming, read_row: RowReader) -> str: ...

    def applied(self, op: Incoming) -> None: ...


class RoleJudge:
    """A floor from before signing: the author is whom the op names, its role the one
    that account has here."""

    def __init__(self, connection: Connection) -> None:
        self.roles = {
            str(row.id): row.role
            for row in connection.execute(select(Operator.id, Operator.role))  # type: ignore[call-overload]
        }

    def refusal(self, op: Incoming, read_row: RowReader) -> str:
        has_lead = "lead" in self.roles.values()
        return refusal(op, self.roles.get(op.actor or ""), read_row, has_lead)

    def applied(self, op: Incoming) -> None:
        if op.entity == "operator" and op.kind == "insert":
            self.roles[str(op.changes["id"])] = op.changes.get("role", "operator")


class SignatureJudge:
    """A signed floor: the author is the account that signed the op's run, its role the
    one its certificate gives; format 1 ops (before the upgrade's cut-off) as before."""

    def __init__(self, connection: Connection, trust: Trust) -> None:
        self.trust = trust
        self.before = RoleJudge(connection)

    def refusal(self, op: Incoming, read_row: RowReader) -> str:
        if op.proof is None:
            return self.before.refusal(op, read_row)
        if op.entity == "account_key" and op.kind == "insert" and not self.trust.learn(op.changes):
            return _("a certificate whose signature does not verify")
        if isinstance(op.proof, Signed):
            grant = self.trust.grant(op.proof.signer, op.proof.public_key, op.hlc)
            return signed_refusal(op, grant, read_row)
        return signed_refusal(op, op.proof, read_row)

    def applied(self, op: Incoming) -> None:
        self.before.applied(op)
