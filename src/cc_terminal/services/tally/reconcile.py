"""Cross-checking the operator's claims against the records (TALLY_PAY_ROSTER.md).

Every claim and every recorded success lands in one class; the records decide pay, and a
disputed claim counts only once a team lead accepted it."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from cc_terminal.i18n import N_

# A claim with no call or lead matches a record of its kind this close in time.
UNLINKED_WINDOW = timedelta(hours=4)
AMOUNT_TOLERANCE = 0.01  # a sale's claimed amount may differ from the record's by 1 %


class MatchClass(StrEnum):
    MATCHED = "matched"
    CLAIM_ONLY = "claim_only"
    RECORD_ONLY = "record_only"
    MISMATCH = "mismatch"
    CANCELLED = "cancelled"


CLASS_LABELS = {
    MatchClass.MATCHED: N_("Matched"),
    MatchClass.CLAIM_ONLY: N_("Claim only"),
    MatchClass.RECORD_ONLY: N_("Record only"),
    MatchClass.MISMATCH: N_("Outcome mismatch"),
    MatchClass.CANCELLED: N_("Cancelled or failed QC"),
}
DISPUTED = frozenset({MatchClass.CLAIM_ONLY, MatchClass.MISMATCH})


@dataclass(frozen=True)
class SuccessRecord:
    """A success the records show: an order, a successful outbound attempt, an accepted
    offer. ``key`` names it for pay lines; ``cancelled_at`` is a cancellation or a failed
    quality check."""

    key: str
    operator_id: uuid.UUID
    at: datetime
    kind: str
    amount_minor: int | None
    call_id: uuid.UUID | None
    lead_id: uuid.UUID | None
    label: str
    cancelled_at: datetime | None = None


@dataclass(frozen=True)
class Decision:
    accepted: bool
    note: str
    decided_at: datetime


@dataclass(frozen=True)
class Claim:
    id: uuid.UUID
    operator_id: uuid.UUID
    at: datetime
    kind: str
    amount_minor: int | None
    call_id: uuid.UUID | None
    lead_id: uuid.UUID | None
    note: str
    decision: Decision | None = None


@dataclass(frozen=True)
class ReconciledItem:
    cls: MatchClass
    claim: Claim | None
    record: SuccessRecord | None

    @property
    def at(self) -> datetime:
        """The moment the item belongs to: the record's when there is one."""
        if self.record is not None:
            return self.record.at
        assert self.claim is not None
        return self.claim.at

    @property
    def disputed(self) -> bool:
        return self.cls in DISPUTED

    @property
    def credited(self) -> tuple[str, int] | None:
        """The kind and amount pay counts for this item, or None when it counts nothing."""
        claim, record = self.claim, self.record
        accepted = claim is not None and claim.decision is not None and claim.decision.accepted
        if self.cls in {MatchClass.MATCHED, MatchClass.RECORD_ONLY} and record is not None:
            return record.kind, record.amount_minor or 0
        if self.cls is MatchClass.MISMATCH and record is not None and claim is not None:
            chosen = claim if accepted else record
            return chosen.kind, chosen.amount_minor or 0
        if self.cls is MatchClass.CLAIM_ONLY and accepted and claim is not None:
            return claim.kind, claim.amount_minor or 0
        return None

    @property
    def key(self) -> str:
        if self.record is not None:
            return self.record.key
        assert self.claim is not None
        return f"claim:{self.claim.id}"


def reconcile(claims: list[Claim], records: list[SuccessRecord]) -> list[ReconciledItem]:
    """Match claims to records: by call, then by lead, then by kind and time."""
    index = _RecordIndex(records)
    items: list[ReconciledItem] = []
    unlinked: list[Claim] = []
    for claim in sorted(claims, key=lambda c: c.at):
        record = index.linked(claim)
        if record is None and claim.call_id is None and claim.lead_id is None:
            unlinked.append(claim)
            continue
        items.append(_pair(claim, record, index))
    for claim in unlinked:
        items.append(_pair(claim, index.nearest(claim), index))
    items += [_pair(None, record, index) for record in index.unmatched()]
    return sorted(items, key=lambda item: item.at)


class _RecordIndex:
    """The records not matched yet, found by call, by lead and by kind."""

    def __init__(self, records: list[SuccessRecord]) -> None:
        self.open = {record.key: record for record in records}
        self.by_call: dict[uuid.UUID, list[SuccessRecord]] = defaultdict(list)
        self.by_lead: dict[uuid.UUID, list[SuccessRecord]] = defaultdict(list)
        self.by_kind: dict[str, list[SuccessRecord]] = defaultdict(list)
        for record in records:
            if record.call_id is not None:
                self.by_call[record.call_id].append(record)
            if record.lead_id is not None:
                self.by_lead[record.lead_id].append(record)
            self.by_kind[record.kind].append(record)

    def take(self, record: SuccessRecord) -> None:
        self.open.pop(record.key, None)

    def unmatched(self) -> list[SuccessRecord]:
        return list(self.open.values())

    def linked(self, claim: Claim) -> SuccessRecord | None:
        for found, value in ((self.by_call, claim.call_id), (self.by_lead, claim.lead_id)):
            if value is None:
                continue
            linked = [r for r in found.get(value, ()) if r.key in self.open]
            if linked:
                same_kind = [r for r in linked if r.kind == claim.kind]
                return (same_kind or linked)[0]
        return None

    def nearest(self, claim: Claim) -> SuccessRecord | None:
        near = [
            record
            for record in self.by_kind.get(claim.kind, ())
            if record.key in self.open
            and record.operator_id == claim.operator_id
            and abs(record.at - claim.at) <= UNLINKED_WINDOW
        ]
        return min(near, key=lambda r: abs(r.at - claim.at), default=None)


def _pair(claim: Claim | None, record: SuccessRecord | None, index: _RecordIndex) -> ReconciledItem:
    if record is not None:
        index.take(record)
    if record is None:
        return ReconciledItem(MatchClass.CLAIM_ONLY, claim, None)
    if record.cancelled_at is not None:
        return ReconciledItem(MatchClass.CANCELLED, claim, record)
    if claim is None:
        return ReconciledItem(MatchClass.RECORD_ONLY, None, record)
    if claim.kind != record.kind or not _amounts_agree(claim.amount_minor, record.amount_minor):
        return ReconciledItem(MatchClass.MISMATCH, claim, record)
    return ReconciledItem(MatchClass.MATCHED, claim, record)


def _amounts_agree(claimed: int | None, recorded: int | None) -> bool:
    if claimed is None or recorded is None:
        return True
    return abs(claimed - recorded) <= AMOUNT_TOLERANCE * max(abs(recorded), 1)
