"""A bulk load's larger SQLite page cache (store/bulk_cache.py): its transactions get it
and keep it from one to the next on the connection the pool gives back, whichever thread
takes it meanwhile (a checkpoint's); after the load the first to take it gets the
default cache again; the register's staged import, a lead import and a floor ingest's
round write with it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from cc_terminal.services.common.views import Actor
from cc_terminal.services.orders import register_staging
from cc_terminal.services.outbound import lead_import
from cc_terminal.services.outbound.lead_store import LeadBatch
from cc_terminal.services.workstation import Workstation
from cc_terminal.store import bulk_cache
from cc_terminal.store.database import Database
from cc_terminal.store.db import SQLITE_CACHE_KIB
from cc_terminal.sync.apply import Applier
from tests.orders.register_files import register_zip
from tests.outbound.outbound_floor import SALES, set_up_campaigns
from tests.outbound.test_staged_import import lead_file
from tests.sync.kit import Floor, new_customer

BULK = -bulk_cache.BULK_CACHE_KIB
DEFAULT = -SQLITE_CACHE_KIB


def _cache(connection) -> int:
    return int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())


def _written_with(db: Database) -> list[int]:
    with db.write(None) as session:
        connection = session.connection()
        bulk_cache.enlarge(connection)
        return [_cache(connection), id(connection.connection.dbapi_connection)]


def _taken_in_another_thread(db: Database) -> list[int]:
    seen: list[int] = []

    def take() -> None:
        with db.connect() as connection:
            seen.extend([_cache(connection), id(connection.connection.dbapi_connection)])

    thread = threading.Thread(target=take)
    thread.start()
    thread.join()
    return seen


def test_a_load_keeps_its_cache_and_no_one_else_gets_it(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'cache.sqlite3'}")
    try:
        assert _written_with(db)[0] == DEFAULT  # outside a load: nothing changes
        with bulk_cache.bulk_cache():
            first_cache, first = _written_with(db)
            with db.write(None) as session:  # the next transaction, the same connection
                connection = session.connection()
                again = id(connection.connection.dbapi_connection)
                assert (_cache(connection), again) == (BULK, first)
            assert first_cache == BULK
            other_cache, other = _taken_in_another_thread(db)
            assert (other_cache, other) == (BULK, first)  # kept while the load runs
        assert _taken_in_another_thread(db) == [DEFAULT, first]  # set back after it
        with db.connect() as connection:
            assert _cache(connection) == DEFAULT
    finally:
        db.dispose()


@pytest.mark.postgres
def test_postgresql_is_left_as_it_is(pg_url: str) -> None:
    db = Database(pg_url)
    try:
        with bulk_cache.bulk_cache(), db.write(None) as session:
            connection = session.connection()
            bulk_cache.enlarge(connection)
            assert bulk_cache.MARK not in connection.connection.info
    finally:
        db.dispose()


def test_the_registers_points_are_staged_with_the_larger_cache(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(register_staging, "STAGED_BYTES", 0)
    monkeypatch.setattr(register_staging, "POINT_BYTES", 0)
    caches: list[int] = []
    write = register_staging.write_tuples

    def recorded(connection, table, columns, rows) -> None:
        if connection.dialect.name == "sqlite":
            caches.append(_cache(connection))
        write(connection, table, columns, rows)

    monkeypatch.setattr(register_staging, "write_tuples", recorded)
    ws.register.import_files(lead, [register_zip(tmp_path)])
    if ws.db.engine.dialect.name == "sqlite":
        assert caches and set(caches[:-2]) == {BULK}  # the last two: the towns and streets
        with ws.db.connect() as connection:
            assert _cache(connection) == DEFAULT


def test_a_lead_imports_batches_are_stored_with_the_larger_cache(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch
) -> None:
    set_up_campaigns(ws, lead)
    monkeypatch.setattr(lead_import, "BATCH", 20)
    caches: list[int] = []
    stored = LeadBatch.store

    def recorded(self, connection, *args, **kwargs):
        if connection.dialect.name == "sqlite":
            caches.append(_cache(connection))
        return stored(self, connection, *args, **kwargs)

    monkeypatch.setattr(LeadBatch, "store", recorded)
    ws.leads.import_file(lead, ws.leads.read(lead_file(tmp_path, 70)), SALES)
    if ws.db.engine.dialect.name == "sqlite":
        assert caches == [BULK] * 4
        with ws.db.connect() as connection:
            assert _cache(connection) == DEFAULT


def test_a_floor_ingest_applies_with_the_larger_cache(tmp_path: Path, monkeypatch) -> None:
    """A terminal that receives the floor's segments applies them with the larger cache;
    after the round its connections have the default one."""
    floor = Floor(tmp_path)
    try:
        t1 = floor.add("t1", seed=True)
        t2 = floor.add("t2")
        floor.settle()
        new_customer(t1, "Eva Malá", "+420777123456")
        t1.round()  # published
        caches: list[int] = []
        apply = Applier.apply

        def recorded(self, ops, outcome) -> None:
            caches.append(_cache(self.connection))
            apply(self, ops, outcome)

        monkeypatch.setattr(Applier, "apply", recorded)
        t2.round()
        assert caches and set(caches) == {BULK}
        with t2.ws.db.connect() as connection:
            assert _cache(connection) == DEFAULT
    finally:
        floor.close()
