"""A lead import's batches, each prepared before its write transaction (lead_store.py), in
order; on PostgreSQL the next one is prepared while this one is stored (issue 29).

There the database does its inserts in a process of its own, and this one waits for it
with Python's lock let go: a thread preparing the next batch meanwhile (its checks read,
its rows and ops built) uses the core the wait leaves. On SQLite the inserts run in this
process and the sqlite3 module takes the lock back for every row of an ``executemany``,
so a thread beside it only slows both (bench/results/gc-bulk.md, the ingest's read-ahead
tried the same): there each batch is prepared when it is taken, at the size the pace
gives then (lead_import's ``_Pace``). A batch prepared ahead takes the size the pace gave
for the one before. Whatever happens to a batch prepared ahead, its store checks again in
its transaction (``LeadBatch.store``), so preparing early changes no outcome."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from cc_terminal.services.outbound.lead_store import LeadBatch
from cc_terminal.services.outbound.lead_views import LeadDraft


class PreparedBatches:
    """``take(size)``: the next batch of ``drafts`` prepared, or None after the last."""

    def __init__(
        self,
        drafts: list[LeadDraft],
        prepare: Callable[[list[LeadDraft]], LeadBatch],
        ahead: bool,
    ) -> None:
        self.drafts, self.prepare = drafts, prepare
        self.start = 0  # the first draft no batch has taken yet
        self.pool = ThreadPoolExecutor(1, "cc-lead-prepare") if ahead else None
        self.next: Future[LeadBatch] | None = None

    def take(self, size: int) -> LeadBatch | None:
        if self.next is not None:
            job, self.next = self.next.result(), None
        elif self.start < len(self.drafts):
            job = self.prepare(self._cut(size))
        else:
            return None
        if self.pool is not None and self.start < len(self.drafts):
            self.next = self.pool.submit(self.prepare, self._cut(size))
        return job

    def _cut(self, size: int) -> list[LeadDraft]:
        batch = self.drafts[self.start : self.start + size]
        self.start += len(batch)
        return batch

    def __enter__(self) -> PreparedBatches:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.next is not None:
            self.next.cancel()
        if self.pool is not None:
            self.pool.shutdown(wait=True)  # a batch being prepared reads, and ends soon
