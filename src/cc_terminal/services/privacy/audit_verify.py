"""``cc-terminal audit verify``: walk the audit trail's hash chains (store/audit_chain.py)
and say where the first break is; the result is kept for the team lead's F10 T.

This database's own chains are checked whole: every link from 1 to the head, each hash
recomputed, each ``prev_hash`` the hash before it, and the head of the previous check still
there. Another terminal's chain (received on a floor) is checked link by link where the
links follow each other: an event that never arrived is reported by the sync round that
noticed it (sync/audit_links.py), since a refused op leaves a gap there that is no cut."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from cc_terminal.i18n import _
from cc_terminal.models import AuditCheck
from cc_terminal.models.base import utcnow
from cc_terminal.store.audit_chain import CHAINS, EVENTS, GENESIS, event_hash
from cc_terminal.store.database import Database

BATCH = 5000


@dataclass
class Verdict:
    at: datetime
    events: int = 0  # linked events checked
    unchained: int = 0  # written before the trail was a chain (schema 0015)
    chains: int = 0
    breaks: list[str] = field(default_factory=list)  # the first break of each broken chain

    @property
    def intact(self) -> bool:
        return not self.breaks

    @property
    def first_break(self) -> str:
        return self.breaks[0] if self.breaks else ""


def verify(db: Database, clock: Callable[[], datetime] = utcnow) -> Verdict:
    """Check every chain, keep the verdict (with the own head, for the next check)."""
    verdict = Verdict(clock())
    with db.connect() as connection:
        heads = {row.chain: row for row in connection.execute(select(CHAINS))}
        named = connection.execute(
            select(EVENTS.c.chain).where(EVENTS.c.chain.is_not(None)).distinct()
        )
        previous = connection.execute(select(AuditCheck.__table__)).first()  # type: ignore[attr-defined]
        seen = json.loads(previous.heads) if previous is not None else {}
        seen_at = previous.at if previous is not None else verdict.at
        # A chain the last check kept as this database's own is checked even when its head
        # row is gone: deleting it must not turn a cut trail into an intact one.
        chains = sorted(set(heads) | {name for (name,) in named} | set(seen))
        verdict.unchained = int(
            connection.execute(
                select(func.count()).select_from(EVENTS).where(EVENTS.c.chain.is_(None))
            ).scalar()
            or 0
        )
        for chain in chains:
            problem = _check_chain(connection, chain, heads.get(chain), seen, seen_at, verdict)
            if problem:
                verdict.breaks.append(
                    _("chain {chain}: {problem}").format(chain=chain[:8], problem=problem)
                )
        verdict.chains = len(chains)
    own = {name: [int(row.seq), row.hash] for name, row in heads.items() if row.own}
    with db.write(None) as session:
        check = session.get(AuditCheck, 1) or AuditCheck(id=1, at=verdict.at)
        check.at, check.events, check.intact = verdict.at, verdict.events, verdict.intact
        check.first_break = verdict.first_break
        check.heads = json.dumps({**seen, **own}, sort_keys=True)
        session.add(check)
    return verdict


def _check_chain(
    connection: Connection,
    chain: str,
    head: Any,
    seen: dict[str, list[Any]],
    seen_at: datetime,
    verdict: Verdict,
) -> str:
    """One chain: walked link by link, then held against its head and the last check."""
    whole = head is not None and bool(head.own)
    problem = _walk(connection, chain, head if whole else None, verdict)
    if not problem and chain in seen and head is None:
        problem = _head_gone(seen[chain], seen_at)
    if not problem and whole and chain in seen:
        problem = _anchor(connection, chain, seen[chain], seen_at)
    return problem


def _head_gone(kept: list[Any], at: datetime) -> str:
    return _("its head is gone (the check of {at} kept event {n} as the newest)").format(
        at=at.strftime("%Y-%m-%d %H:%M"), n=int(kept[0])
    )


def _walk(connection: Connection, chain: str, head: Any, verdict: Verdict) -> str:
    """The first break of one chain, or "" (``head`` given: the own chain, checked whole)."""
    query = select(EVENTS).where(EVENTS.c.chain == chain).order_by(EVENTS.c.seq, EVENTS.c.id)
    if head is not None:  # what was written since the heads were read is for the next check
        query = query.where(EVENTS.c.seq <= head.seq)
    rows = connection.execution_options(yield_per=BATCH).execute(query)
    seq, last = 0, GENESIS
    for row in rows:
        verdict.events += 1
        fields = dict(row._mapping)
        if event_hash(row.prev_hash or "", fields) != row.hash:
            return _("event {n} was altered (its hash does not match it)").format(n=row.seq)
        if row.seq == seq:
            return _("event {n} exists twice (a copied disk wrote to this chain)").format(n=seq)
        follows = row.seq == seq + 1
        if head is not None and not follows:
            return _("event {n} is missing (event {next} follows event {last})").format(
                n=seq + 1, next=row.seq, last=seq
            )
        if follows and row.prev_hash != last:
            return _("event {n} does not follow event {last} (another chain's, or altered)").format(
                n=row.seq, last=seq
            )
        seq, last = row.seq, row.hash
    if head is not None and (int(head.seq), head.hash) != (seq, last):
        if int(head.seq) > seq:
            return _("events {first} to {head} are missing (the trail was cut)").format(
                first=seq + 1, head=head.seq
            )
        return _("the head of the chain was altered (event {n})").format(n=seq)
    return ""


def _anchor(connection: Connection, chain: str, seen: list[Any], at: datetime) -> str:
    """The head the previous check saw is still there, unchanged: a tail cut with the
    head moved back to match is found here."""
    seq, hash_ = int(seen[0]), seen[1]
    if not seq:
        return ""
    found = connection.execute(
        select(EVENTS.c.hash).where(EVENTS.c.chain == chain, EVENTS.c.seq == seq)
    ).scalar()
    if found == hash_:
        return ""
    return _("event {n}, the newest at the check of {at}, is gone or altered").format(
        n=seq, at=at.strftime("%Y-%m-%d %H:%M")
    )


def last_check(db: Database) -> AuditCheck | None:
    with db.read() as session:
        return session.get(AuditCheck, 1)
