"""A large register import read in a process of its own (issue 29): the files come back
exactly as this process reads them (points, rejected rows in the terminal's language,
files that cannot be read), the import stores what it stores when read here, on SQLite
and PostgreSQL, and a reading process that dies mid-import stops it with one message and
leaves the register as it was."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import pytest

from cc_terminal.i18n import set_language
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.orders import register_apart, register_staging, register_store
from cc_terminal.services.orders.register_reading import planned, read_files, unpacked
from cc_terminal.services.workstation import Workstation
from cc_terminal.store import table_swap
from tests.orders.order_floor import REGISTER_HEADER
from tests.orders.register_files import BROKEN, register_rows, register_zip


@pytest.fixture(autouse=True)
def apart(monkeypatch) -> None:
    """Every import here is read apart, on any machine, in parts of a few points (a file is
    never split)."""
    monkeypatch.setattr(register_apart, "APART_BYTES", 0)
    monkeypatch.setattr(register_apart, "APART_CORES", 1)
    monkeypatch.setattr(register_apart, "PART_POINTS", 7)


def _broken_file(folder: Path, number: int) -> Path:
    path = folder / f"broken_{number}.csv"
    rows = [REGISTER_HEADER, BROKEN[number].format(c=number, m=number), ""]
    path.write_bytes("\r\n".join(rows).encode("cp1250"))
    return path


def test_a_machine_of_two_cores_reads_here(tmp_path: Path, monkeypatch) -> None:
    """Where the other core is the floor's, no reading process is started."""
    monkeypatch.setattr(register_apart, "APART_CORES", 3)
    monkeypatch.setattr(register_apart.os, "sched_getaffinity", lambda _pid: {0, 1})
    plan = planned([register_zip(tmp_path)])
    started: list[object] = []
    monkeypatch.setattr(register_apart.multiprocessing, "get_context", started.append)
    assert list(register_apart.read_in_order(plan, unpacked(plan))) == list(read_files(plan))
    assert started == []
    monkeypatch.setattr(register_apart.os, "sched_getaffinity", lambda _pid: {0, 1, 2})
    with pytest.raises(AttributeError):  # it would start one: get_context gave None
        list(register_apart.read_in_order(plan, unpacked(plan)))
    assert started == ["spawn"]


def test_the_files_come_back_as_this_process_reads_them(tmp_path: Path) -> None:
    """Points, rejected rows (in Czech, the terminal's language), a file gone since the
    import was planned, files before, between and after a zip's members."""
    set_language("cs")
    gone = _broken_file(tmp_path, 2)
    paths = [_broken_file(tmp_path, 1), register_zip(tmp_path), gone, _broken_file(tmp_path, 3)]
    plan = planned(paths)
    size = unpacked(plan)
    gone.unlink()
    here = list(read_files(plan))
    apart = list(register_apart.read_in_order(plan, size))
    assert apart == here
    assert len(here) == 33 and sum(len(points) for _name, points, _rejected in here) > 100
    rejected = [line for _name, _points, lines in here for line in lines]
    assert any("řádek" in line for line in rejected)  # "broken_1.csv řádek 2: ..."
    assert any(line.startswith("broken_2.csv") for line in rejected)  # gone


def test_an_import_read_apart_stores_what_one_read_here_stores(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch
) -> None:
    """Staged and read apart against read here, the same files: the same register and the
    same report."""
    monkeypatch.setattr(register_staging, "STAGED_BYTES", 0)
    monkeypatch.setattr(register_staging, "POINT_BYTES", 0)
    paths = [_broken_file(tmp_path, 1), register_zip(tmp_path, towns=60)]
    read_apart = ws.register.import_files(lead, paths)
    stored_apart = register_rows(ws)
    monkeypatch.setattr(register_apart, "APART_BYTES", 10**12)
    read_here = ws.register.import_files(lead, paths)
    assert read_apart == read_here and read_here.points > 1_000
    assert register_rows(ws) == stored_apart


def test_a_reading_process_killed_mid_import_leaves_the_old_register(
    ws: Workstation, lead: Actor, tmp_path: Path, monkeypatch
) -> None:
    """The reader killed when the first group is staged, with thousands of points not yet
    sent (more than the pipe holds): one message, the register as it was, nothing staged
    left behind."""
    monkeypatch.setattr(register_staging, "STAGED_BYTES", 0)
    monkeypatch.setattr(register_staging, "POINT_BYTES", 0)
    monkeypatch.setattr(register_store, "GROUP_POINTS", 25)
    ws.register.import_files(lead, [register_zip(tmp_path, seed=1)])
    before = register_rows(ws)
    again = tmp_path / "again"
    again.mkdir()
    killed: list[int] = []

    def kill_the_reader(_count: int, _name: str) -> None:
        for process in multiprocessing.active_children():
            if process.name == "register-reader" and process.pid and not killed:
                os.kill(process.pid, signal.SIGKILL)
                killed.append(process.pid)

    with pytest.raises(ValidationFailed, match="stopped before the end"):
        ws.register.import_files(
            lead, [register_zip(again, seed=2, towns=300, first_code=41_000_000)], kill_the_reader
        )
    assert killed
    assert register_rows(ws) == before
    with ws.db.connect() as connection:
        assert not [
            table_swap.leftovers(connection, t)
            for t in register_staging.TABLES
            if table_swap.leftovers(connection, t)
        ]
    assert not [p for p in multiprocessing.active_children() if p.name == "register-reader"]
