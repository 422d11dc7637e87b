"""SQLite's checkpoints beside a staged import's batches (issue 29): a staged batch's
commit leaves its pages in the WAL (``Database.write(durable=False)``), and they are moved
into the database file in a thread while the next batch is prepared."""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from cc_terminal.store.database import Database

log = logging.getLogger(__name__)


class Checkpoints:
    """SQLite: the pages each staged batch wrote moved into the database file (its commit
    leaves that: ``Database.write``) in a thread of their own while the next batch is
    prepared; the checkpoint holds no write lock, and waits in the database, not in
    Python. One at a time; ``close`` waits for the last."""

    def __init__(self, db: Database) -> None:
        self.db = db
        sqlite = db.engine.dialect.name == "sqlite"
        self.pool = ThreadPoolExecutor(1, "checkpoint") if sqlite else None
        self.running: Future[None] | None = None

    def after_batch(self) -> None:
        if self.pool is not None:
            self._wait()
            self.running = self.pool.submit(self.db.checkpoint)

    def close(self) -> None:
        if self.pool is not None:
            try:
                self._wait()
            finally:
                self.pool.shutdown()

    def close_after_failure(self) -> None:
        """The import failed: its own error is the one to report and its staged rows must
        still go, so a checkpoint's failure now is only logged."""
        try:
            self.close()
        except Exception:
            log.warning("a checkpoint failed beside a failed import", exc_info=True)

    def _wait(self) -> None:
        running, self.running = self.running, None
        if running is not None:
            running.result()
