"""A large register import read in a process of its own (issue 29): the files come back
exactly as this process reads them (points, rejected rows in the terminal's language,
files that cannot be read), the import stores what it stores when read here, on SQLite
and PostgreSQL, and a reading process that dies mid-import stops it with one message and
leaves the register as it was."""

from __future__ import annotations

import contextlib
import marshal
import multiprocessing
import os
import signal
import threading
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

STOPPED = (
    "The process reading the register's files stopped before the end; the register is as it was."
)
DEFAULT_CORES = register_apart.APART_CORES  # before the fixture sets it


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
    monkeypatch.setattr(register_apart, "APART_CORES", DEFAULT_CORES)
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

    with pytest.raises(ValidationFailed) as stopped:
        ws.register.import_files(
            lead, [register_zip(again, seed=2, towns=300, first_code=41_000_000)], kill_the_reader
        )
    assert stopped.value.errors == {"file": STOPPED}
    assert killed
    assert register_rows(ws) == before
    with ws.db.connect() as connection:
        assert not [
            table_swap.leftovers(connection, t)
            for t in register_staging.TABLES
            if table_swap.leftovers(connection, t)
        ]
    assert not [p for p in multiprocessing.active_children() if p.name == "register-reader"]


def test_an_import_is_read_apart_from_its_size_on(tmp_path: Path, monkeypatch) -> None:
    """Below APART_BYTES here, from it on apart; the cores counted as the system says, or
    all of them where it cannot say."""
    plan = planned([register_zip(tmp_path)])
    monkeypatch.setattr(register_apart, "APART_BYTES", 1_000)
    started: list[object] = []
    monkeypatch.setattr(register_apart.multiprocessing, "get_context", started.append)
    assert list(register_apart.read_in_order(plan, 999)) == list(read_files(plan))
    with pytest.raises(AttributeError):
        list(register_apart.read_in_order(plan, 1_000))
    assert started == ["spawn"]
    monkeypatch.delattr(register_apart.os, "sched_getaffinity")
    for cpus, cores in ((4, 4), (None, 1)):
        monkeypatch.setattr(register_apart.os, "cpu_count", lambda cpus=cpus: cpus)
        assert register_apart._cores() == cores


def _sent(plan, part_points: int = 7) -> list[bytes]:
    """What the reading process sends for ``plan``, run here (its pipe drained by a
    thread, as the importing process would)."""
    taking, sending = multiprocessing.Pipe(duplex=False)
    received: list[bytes] = []

    def drain() -> None:
        with contextlib.suppress(EOFError):
            while True:
                received.append(taking.recv_bytes())

    drainer = threading.Thread(target=drain)
    drainer.start()
    register_apart._send_parts(plan, "cs", sending, part_points)
    drainer.join()
    return received


def test_the_reader_sends_parts_of_whole_files_then_the_end(tmp_path: Path) -> None:
    """Parts of at least ``part_points`` points but the last, files never split, every
    file once and in order, rejected rows in the language given; then the end."""
    plan = planned([_broken_file(tmp_path, 1), register_zip(tmp_path)])
    sent = _sent(plan, part_points=50)
    assert sent[-1] == b"" and all(message[:1] == b"P" for message in sent[:-1])
    parts = [marshal.loads(message[1:]) for message in sent[:-1]]
    assert [read for part in parts for read in part] == list(read_files(plan))
    sizes = [sum(len(points) for _name, points, _rejected in part) for part in parts]
    assert len(parts) > 3 and min(sizes[:-1]) >= 50
    assert all(sum(len(p) for _n, p, _r in part[:-1]) < 50 for part in parts)
    assert "řádek" in parts[0][0][2][0]


def test_what_stops_the_reader_is_raised_by_the_importing_process() -> None:
    """An error in the reading process travels to the importing one and is raised there,
    as it would be raised reading here; one that cannot travel goes as its text."""
    broken_plan = [(None, None)]  # read_files cannot take it: AttributeError
    sent = _sent(broken_plan)
    assert [message[:1] for message in sent] == [b"F"]
    taking, sending = multiprocessing.Pipe(duplex=False)
    sending.send_bytes(sent[0])
    with pytest.raises(AttributeError):
        register_apart._next_part(taking)

    class Local(Exception):  # a class pickle cannot find by name
        pass

    taking, sending = multiprocessing.Pipe(duplex=False)
    register_apart._send_failure(sending, Local("the disk went away"))
    with pytest.raises(RuntimeError, match="the disk went away"):
        register_apart._next_part(taking)
    sending.close()
    taking.close()
    register_apart._send_failure(sending, ValueError("after the end"))  # no one takes it


def _expected_parts(reads: list, part_points: int) -> list[list[str]]:
    """The files' names part by part: a part is sent once it holds ``part_points``."""
    parts: list[list[str]] = [[]]
    points = 0
    for name, found, _rejected in reads:
        parts[-1].append(name)
        points += len(found)
        if points >= part_points:
            parts.append([])
            points = 0
    return [part for part in parts if part]


def test_a_part_is_sent_as_soon_as_it_holds_enough_points(tmp_path: Path) -> None:
    """Every size from one point to more than a file holds: the parts end exactly where
    the count is reached, not a file later or sooner."""
    plan = planned([register_zip(tmp_path, towns=8)])
    reads = list(read_files(plan))
    for part_points in range(1, 80):
        sent = [marshal.loads(message[1:]) for message in _sent(plan, part_points)[:-1]]
        names = [[name for name, _points, _rejected in part] for part in sent]
        assert names == _expected_parts(reads, part_points), part_points
