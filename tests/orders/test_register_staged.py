"""A large register import staged beside the register and swapped in (issue 29): it
stores exactly what the row-by-row import stored, on SQLite and PostgreSQL, with the
register's tables and indexes as the migrations made them; a failure or a refusal
leaves the old register (or, refused, the grouped path's result); a staged table a crash
left behind is dropped by the next import."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import SQLModel

from cc_terminal.models import AddressPoint, AddressTown
from cc_terminal.services.common.views import Actor
from cc_terminal.services.orders import register_reading, register_staging, register_store
from cc_terminal.services.workstation import Workstation
from cc_terminal.store import table_swap
from tests.orders.order_floor import REGISTER_HEADER
from tests.orders.register_files import (
    BROKEN,
    empty_register,
    reading_fails_at_file,
    register_rows,
    register_zip,
)
from tests.orders.register_old_path import import_row_by_row


@pytest.fixture(autouse=True)
def swapped(monkeypatch) -> list[str]:
    """Every import here is staged, in groups smaller than some files, checkpointed a few
    times; the tables swapped in, in order."""
    monkeypatch.setattr(register_staging, "STAGED_BYTES", 0)
    monkeypatch.setattr(register_staging, "POINT_BYTES", 0)
    monkeypatch.setattr(register_store, "GROUP_POINTS", 25)  # a town's file split too
    monkeypatch.setattr(register_staging, "POSTGRESQL_GROUPS", 1)
    monkeypatch.setattr(register_staging, "CHECKPOINT_POINTS", 60)  # a few times an import
    tables: list[str] = []
    swap = table_swap.swap

    def recorded(connection, table) -> None:
        swap(connection, table)
        tables.append(table.name)

    monkeypatch.setattr(table_swap, "swap", recorded)
    return tables


def _schema_as_migrated(ws: Workstation) -> None:
    """The register's tables and indexes are the models' (nothing staged or retired left)."""
    with ws.db.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
        names = inspect(connection).get_table_names()
        if connection.dialect.name == "sqlite":  # the indexes renamed in sqlite_schema
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    assert not [name for name in names if name.endswith(("_staged", "_retired"))]


def test_the_staged_import_stores_what_the_row_by_row_one_did(
    ws: Workstation, lead: Actor, tmp_path: Path, swapped: list[str]
) -> None:
    archive = register_zip(tmp_path)
    old = import_row_by_row(ws.db, lead, [archive])
    expected = register_rows(ws)
    empty_register(ws, lead)
    stored: list[int] = []
    new = ws.register.import_files(lead, [archive], lambda count, _name: stored.append(count))
    assert register_rows(ws) == expected
    assert (new.files, new.municipalities, new.points, new.rejected) == (
        old.files,
        old.municipalities,
        old.points,
        old.rejected,
    )
    assert len(stored) > 3 and stored == sorted(stored) and stored[-1] == new.points
    assert swapped == ["address_point", "address_town", "address_street"]
    _schema_as_migrated(ws)


def test_towns_the_import_does_not_name_are_kept(
    ws: Workstation, lead: Actor, tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    one = register_zip(first, seed=1)
    # towns 500,010 on again, and new ones: the first ten are kept from the first import
    two = register_zip(second, seed=2, first_code=41_000_000, first_town=500_010)
    import_row_by_row(ws.db, lead, [one])
    import_row_by_row(ws.db, lead, [two])
    expected = register_rows(ws)
    empty_register(ws, lead)
    ws.register.import_files(lead, [one])
    ws.register.import_files(lead, [two])
    assert register_rows(ws) == expected
    _schema_as_migrated(ws)
    assert ws.addresses.streets(500_000, "")  # the register's lookups read the swapped table


def test_a_refused_import_ends_as_the_grouped_path_ends(
    ws: Workstation, lead: Actor, tmp_path: Path
) -> None:
    """A point's code another town has: the grouped path keeps the files before it and
    says so, as before staging."""
    first = register_zip(tmp_path, seed=3, towns=4)
    taken = tmp_path / "taken"
    taken.mkdir()
    clash = register_zip(taken, seed=4, towns=8, first_code=39_999_800, first_town=600_000)
    import_row_by_row(ws.db, lead, [first])
    with pytest.raises(IntegrityError):
        import_row_by_row(ws.db, lead, [clash])
    expected = register_rows(ws)
    empty_register(ws, lead)
    ws.register.import_files(lead, [first])
    with pytest.raises(IntegrityError):
        ws.register.import_files(lead, [clash])
    assert register_rows(ws) == expected
    _schema_as_migrated(ws)


def test_a_refusal_met_by_the_staged_path_only_is_counted_once(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch
) -> None:
    """The staged path refused at its swap (here a fault, as a constraint only the staged
    tables met would): the grouped path stores the files, and the report counts its own
    reading alone (files, towns, points and rejected rows not counted twice)."""
    archive = register_zip(tmp_path)
    old = import_row_by_row(ws.db, lead, [archive])
    expected = register_rows(ws)
    empty_register(ws, lead)

    def refused(_connection, _table) -> None:
        raise IntegrityError("ALTER TABLE", None, Exception("refused"))

    monkeypatch.setattr(table_swap, "swap", refused)
    new = ws.register.import_files(lead, [archive])
    assert (new.files, new.municipalities, new.points, new.rejected) == (
        old.files,
        old.municipalities,
        old.points,
        old.rejected,
    )
    assert register_rows(ws) == expected
    _schema_as_migrated(ws)


def test_a_zip_is_staged_by_the_bytes_it_unpacks_to(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch, swapped: list[str]
) -> None:
    stored = register_zip(tmp_path)
    archive = tmp_path / "deflated.zip"
    with zipfile.ZipFile(stored) as plain, zipfile.ZipFile(archive, "w") as packed:
        for info in plain.infolist():
            packed.writestr(info.filename, plain.read(info), zipfile.ZIP_DEFLATED)
        unpacked = sum(info.file_size for info in plain.infolist())
    assert archive.stat().st_size < unpacked // 2  # the zip itself is well below
    monkeypatch.setattr(register_staging, "STAGED_BYTES", unpacked + 1)
    ws.register.import_files(lead, [archive])
    assert swapped == []  # one byte short: replaced group by group
    monkeypatch.setattr(register_staging, "STAGED_BYTES", unpacked)
    ws.register.import_files(lead, [archive])
    assert swapped == ["address_point", "address_town", "address_street"]


def test_an_import_is_staged_when_it_names_about_half_the_register(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch
) -> None:
    """Past STAGED_BYTES, an import is staged when its bytes reach half the register's
    points at POINT_BYTES each (the rest is copied over); into an empty one, always."""
    monkeypatch.setattr(register_staging, "POINT_BYTES", 120)
    empty_register(ws, lead)
    assert register_staging.worth_staging(ws.db, 0)
    ws.register.import_files(lead, [register_zip(tmp_path)])
    monkeypatch.setattr(register_staging, "STAGED_BYTES", 1_000)
    assert not register_staging.worth_staging(ws.db, 999)
    with ws.db.read() as session:
        points = session.execute(select(func.sum(AddressTown.points))).scalar_one()
    half = points * 120 // 2
    assert half > 1_000
    assert register_staging.worth_staging(ws.db, half)
    assert not register_staging.worth_staging(ws.db, half - 1)


def test_the_points_are_staged_a_group_a_transaction(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch
) -> None:
    """GROUP_POINTS a transaction; on PostgreSQL, whose COPY into a table nobody else writes
    is cheap, POSTGRESQL_GROUPS times as many."""
    monkeypatch.setattr(register_staging, "POSTGRESQL_GROUPS", 3)
    chunks: list[int] = []
    write = register_staging.write_tuples

    def recorded(connection, table, columns, rows) -> None:
        if table == table_swap.staged_name(register_staging.POINTS_TABLE):
            chunks.append(len(rows))
        write(connection, table, columns, rows)

    monkeypatch.setattr(register_staging, "write_tuples", recorded)
    ws.register.import_files(lead, [register_zip(tmp_path)])
    wide = 3 if ws.db.engine.dialect.name == "postgresql" else 1
    assert max(chunks) == register_store.GROUP_POINTS * wide


def test_progress_is_reported_only_when_points_were_staged(
    ws: Workstation, lead: Actor, tmp_path: Path
) -> None:
    """A file without a valid point stages nothing and reports no progress of its own."""
    broken = []
    for number in (1, 2):
        path = tmp_path / f"broken_{number}.csv"
        rows = [REGISTER_HEADER, BROKEN[0].format(c=number, m=number), ""]
        path.write_bytes("\r\n".join(rows).encode("cp1250"))
        broken.append(path)
    stored: list[int] = []
    report = ws.register.import_files(
        lead,
        [broken[0], register_zip(tmp_path), broken[1]],
        lambda count, _name: stored.append(count),
    )
    steps = stored[:-1]  # the last, the whole shown, may repeat the one before it
    assert steps == sorted(set(steps)) and stored[-1] == report.points > 0


def test_a_full_group_is_staged_at_once_and_an_empty_one_never(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch
) -> None:
    """A file that fills the group stages it at once; the same town's next file then finds
    nothing pending to stage first, and reports no progress for it."""
    archive = register_zip(tmp_path, seed=3, towns=2)  # one town's files: 38 points, 16
    with zipfile.ZipFile(archive) as opened:
        first = opened.infolist()[0]
        points, _rejected = register_reading.read_points(first.filename, opened.read(first))
    monkeypatch.setattr(register_store, "GROUP_POINTS", len(points))
    calls: list[tuple[int, str]] = []
    report = ws.register.import_files(lead, [archive], lambda *call: calls.append(call))
    assert calls[0] == (len(points), first.filename)  # staged with its own file
    stored = [count for count, _name in calls]
    steps = stored[:-1]
    assert steps == sorted(set(steps)) and stored[-1] == report.points


def test_a_failure_while_reading_leaves_the_old_register(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch
) -> None:
    ws.register.import_files(lead, [register_zip(tmp_path, seed=1)])
    before = register_rows(ws)
    reading_fails_at_file(monkeypatch, 20)
    again = tmp_path / "again"
    again.mkdir()
    stored: list[int] = []
    with pytest.raises(RuntimeError):
        ws.register.import_files(
            lead,
            [register_zip(again, seed=2, first_code=41_000_000)],
            progress=lambda count, _name: stored.append(count),
        )
    assert stored  # groups were staged, and none shown
    assert register_rows(ws) == before
    _schema_as_migrated(ws)


def test_what_a_crash_left_staged_is_dropped_by_the_next_import(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(table_swap, "RETIRE_ROWS", 7)  # dropped in several steps
    archive = register_zip(tmp_path)
    ws.register.import_files(lead, [archive])
    expected = register_rows(ws)
    with ws.db.write(lead.operator_id) as session:  # a crash's leftovers
        connection = session.connection()
        for table in register_staging.TABLES:
            table_swap.create_staged(connection, table)
        staged = table_swap.staged_table(AddressPoint.__table__)  # type: ignore[attr-defined]
        connection.execute(
            staged.insert().from_select(
                [column.name for column in staged.columns],
                select(*AddressPoint.__table__.columns),  # type: ignore[attr-defined]
            )
        )
        assert connection.execute(select(func.count()).select_from(staged)).scalar_one() > 50
    ws.register.import_files(lead, [archive])
    assert register_rows(ws) == expected
    _schema_as_migrated(ws)


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # SQLite's readers never
def test_the_swap_waits_its_turn_behind_a_reader(  # block a writer
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch, swapped: list[str]
) -> None:
    """PostgreSQL: a reader's open transaction on the register makes the swap give up
    after its short lock wait (readers never queue behind it for long) and try again."""
    archive = register_zip(tmp_path)
    ws.register.import_files(lead, [archive])
    expected = register_rows(ws)
    gave_up = threading.Event()
    swap = table_swap.swap

    def watched(connection, table) -> None:
        try:
            swap(connection, table)
        except OperationalError:
            gave_up.set()
            raise

    monkeypatch.setattr(table_swap, "swap", watched)
    with ws.db.engine.connect() as reader:
        reader.execute(select(func.count()).select_from(AddressPoint))  # holds its lock
        reports: list[object] = []
        importing = threading.Thread(
            target=lambda: reports.append(ws.register.import_files(lead, [archive]))
        )
        importing.start()
        assert gave_up.wait(timeout=60)
        reader.rollback()
    importing.join(timeout=60)
    assert not importing.is_alive() and len(reports) == 1
    assert swapped.count("address_point") == 2  # the first import's, and this one's at last
    assert register_rows(ws) == expected
    _schema_as_migrated(ws)
