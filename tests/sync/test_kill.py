"""Real processes killed with SIGKILL at the worst moments: during local writes, between
a publish's temp file and its rename, right after the rename, in the middle of ingest."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cc_terminal.services.common.views import CustomerDraft
from tests.sync.kit import Floor, Terminal, assert_converged, integrity


@pytest.fixture
def floor(tmp_path: Path):
    floor = Floor(tmp_path)
    yield floor
    floor.close()


def _proc(floor: Floor, terminal: Terminal, *args: str, die_at: str = "") -> subprocess.Popen[str]:
    # The test's own code too: a worktree's src comes before the installed package.
    path = os.pathsep.join(filter(None, [str(Path.cwd()), os.environ.get("PYTHONPATH", "")]))
    env = {**os.environ, "CC_TEST_DIE_AT": die_at, "PYTHONPATH": path}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.sync.proc", str(terminal.data_dir), str(floor.folder), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _count(terminal: Terminal, sql: str) -> int:
    with terminal.ws.db.connect() as connection:
        return int(connection.exec_driver_sql(sql).scalar())


def test_killed_during_local_writes(floor: Floor) -> None:
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    writer = _proc(floor, t2, "write", "5000")
    assert writer.stdout is not None
    for _line in range(40):
        writer.stdout.readline()
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    assert integrity(t2.db_path) == "ok"
    written = _count(t2, "SELECT count(*) FROM customer") - 3
    assert written >= 40
    # every customer that was committed has its op, and no op exists without its customer
    assert (
        _count(t2, "SELECT count(*) FROM outbox_op WHERE entity = 'customer' AND kind = 'insert'")
        == written
    )
    floor.settle()
    assert _count(t1, "SELECT count(*) FROM customer") == 3 + written
    assert_converged(floor)


@pytest.mark.parametrize("point", ["after-temp", "after-rename"])
def test_killed_in_the_middle_of_a_publish(floor: Floor, point: str) -> None:
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    t2.ws.customers.create(
        t2.actor("jana"),
        CustomerDraft(
            full_name="Eva Černá",
            phones="+420777000001",
            street="Nová",
            house_number="1",
            city="Praha",
            postal_code="110 00",
        ),
    )
    publish = _proc(floor, t2, "sync", die_at=point)
    publish.wait(timeout=60)
    assert publish.returncode == -signal.SIGKILL, publish.stderr
    floor.settle()
    assert t2.sync.state().stopped == ""  # its own segment is adopted, not taken for a clone
    assert _count(t1, "SELECT count(*) FROM customer") == 4
    assert_converged(floor)


def test_killed_in_the_middle_of_ingest(floor: Floor) -> None:
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    t1.ws.customers.create_many(
        t1.actor("jana"),
        [
            CustomerDraft(
                full_name=f"Zákazník {n}",
                phones=f"+420773{n:06d}",
                street="Nová",
                house_number="1",
                city="Praha",
                postal_code="110 00",
            )
            for n in range(3000)
        ],
    )
    # the floor's first changes, then her three signed runs of 2,000 ops, a segment each:
    # two transactions of applying on the other side
    t1.round()
    reader = _proc(floor, t2, "sync", die_at="read:4")
    reader.wait(timeout=120)
    assert reader.returncode == -signal.SIGKILL, reader.stderr
    assert integrity(t2.db_path) == "ok"
    # the first transaction (three segments) was committed with its cursor; the next never began
    applied = _count(t2, "SELECT count(*) FROM sync_applied_op")
    assert applied == _count(t2, "SELECT applied_seq FROM sync_peer")
    assert 0 < _count(t2, "SELECT count(*) FROM customer") < 3003
    floor.settle()
    assert _count(t2, "SELECT count(*) FROM customer") == 3003
    assert _count(t2, "SELECT count(*) FROM sync_applied_op") == _count(
        t1, "SELECT count(*) FROM outbox_op"
    )
    assert_converged(floor)
