"""A floor notices a terminal whose audit trail was cut: every audit event another terminal
sends is the next link of its chain (store/audit_chain.py), so each one must follow the
last link received from that chain. Checked on the ops as they arrive, applied or refused
(a refused event is still a link), in the transaction that applies them.

A link that does not follow (events deleted there before they were shared, the chain
rewritten) becomes a sync issue for the team lead's F11 and an audit event here."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from cc_terminal.i18n import _
from cc_terminal.models import SyncIssue
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.base import ordered_id, utcnow
from cc_terminal.store.audit_chain import CHAINS, EVENTS, GENESIS, insert_local
from cc_terminal.sync.ops import Incoming

CUT_ISSUE = "audit trail cut"


def check_links(connection: Connection, peer: str, ops: Iterable[Incoming]) -> int:
    """Move each chain's last link along; return how many links did not follow."""
    heads: dict[str, Any] = {}
    cuts = 0
    for op in ops:
        if op.entity != "audit_event" or op.kind != "insert" or not op.changes.get("chain"):
            continue
        chain, seq = str(op.changes["chain"]), int(op.changes.get("seq") or 0)
        if chain not in heads:
            heads[chain] = connection.execute(select(CHAINS).where(CHAINS.c.chain == chain)).first()
        head = heads[chain]
        last_seq, last_hash = (int(head.seq), head.hash) if head is not None else (0, GENESIS)
        if head is not None and head.own:
            continue  # this terminal's own chain, come back (a re-shared stream)
        if seq <= last_seq:
            # a link received before (a stream shared again under a new id), or another
            # event under a number taken (a copied disk wrote to the chain)
            if not _known(connection, chain, seq, op.changes.get("hash")):
                _report(connection, peer, chain, last_seq, seq)
                cuts += 1
            continue
        if seq != last_seq + 1 or op.changes.get("prev_hash") != last_hash:
            _report(connection, peer, chain, last_seq, seq)
            cuts += 1
        heads[chain] = _move(connection, chain, head, seq, str(op.changes.get("hash") or ""))
    return cuts


def _known(connection: Connection, chain: str, seq: int, hash_: Any) -> bool:
    found = connection.execute(
        select(EVENTS.c.hash).where(EVENTS.c.chain == chain, EVENTS.c.seq == seq)
    ).scalars()
    return hash_ in set(found)


def _move(connection: Connection, chain: str, head: Any, seq: int, hash_: str) -> Any:
    values = {"seq": seq, "hash": hash_}
    if head is None:
        connection.execute(CHAINS.insert(), [{"chain": chain, "own": False, **values}])
    else:
        connection.execute(update(CHAINS).where(CHAINS.c.chain == chain).values(**values))
    return connection.execute(select(CHAINS).where(CHAINS.c.chain == chain)).first()


def _report(connection: Connection, peer: str, chain: str, last_seq: int, seq: int) -> None:
    if seq > last_seq + 1:
        detail = _("events {first} to {last} never arrived (event {seq} follows {before})").format(
            first=last_seq + 1, last=seq - 1, seq=seq, before=last_seq
        )
    elif seq <= last_seq:
        detail = _(
            "another event {seq} than the one received (a copied disk, or a rewritten trail)"
        ).format(seq=seq)
    else:
        detail = _("event {seq} does not follow event {before} (the chain was rewritten)").format(
            seq=seq, before=last_seq
        )
    connection.execute(
        SyncIssue.__table__.insert(),  # type: ignore[attr-defined]
        [
            {
                "id": uuid.uuid4(),
                "at": utcnow(),
                "terminal": peer,
                "kind": CUT_ISSUE,
                "subject": f"audit chain {chain}"[:200],
                "detail": detail,
            }
        ],
    )
    insert_local(
        connection,
        [
            {
                "id": ordered_id(),
                "at": utcnow(),
                "actor_id": None,
                "kind": AuditKind.AUDIT_CUT,
                "subject": f"terminal {peer}"[:120],
                "detail": f"audit chain {chain}: {detail}",
            }
        ],
    )
