"""What a terminal keeps of an op it did not apply: a sync issue for the team lead's F11
list and the report, and for a refused op an audit event of this terminal's own."""

from __future__ import annotations

import uuid

from sqlalchemy.engine import Connection

from cc_terminal.i18n import _
from cc_terminal.models import SyncIssue
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.base import ordered_id, utcnow
from cc_terminal.store.audit_chain import insert_local
from cc_terminal.sync.ops import Incoming
from cc_terminal.sync.verify import Signed


def record_issue(connection: Connection, op: Incoming, kind: str, detail: str) -> None:
    connection.execute(
        SyncIssue.__table__.insert(),  # type: ignore[attr-defined]
        [
            {
                "id": uuid.uuid4(),
                "at": utcnow(),
                "terminal": op.terminal,
                "kind": kind,
                "subject": f"{op.entity} {op.row_id} ({op.kind})"[:200],
                "detail": detail,
            }
        ],
    )


def audit_refused(connection: Connection, op: Incoming, reason: str) -> None:
    """Written here only (Core, no op, the local chain): every terminal audits what it
    refused itself. The event names the signer when the signature verified, else nobody:
    an unsigned op's claimed author is not evidence of anything."""
    signer = op.proof.signer if isinstance(op.proof, Signed) else None
    insert_local(
        connection,
        [
            {
                "id": ordered_id(),
                "at": utcnow(),
                "actor_id": uuid.UUID(signer) if signer else None,
                "kind": AuditKind.SYNC_REFUSED,
                "subject": f"{op.entity} {op.row_id}"[:120],
                "detail": _("from terminal {terminal} ({kind}): {reason}").format(
                    terminal=op.terminal, kind=op.kind, reason=reason
                ),
            }
        ],
    )
