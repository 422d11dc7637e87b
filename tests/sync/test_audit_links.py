"""A floor notices a terminal whose audit trail was cut before it was shared: the next
event it sends does not follow the last one received from it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.sync.kit import Floor, Terminal


@pytest.fixture
def floor(tmp_path: Path):
    floor = Floor(tmp_path)
    yield floor
    floor.close()


def _cut(terminal: Terminal, kind: str) -> None:
    """What the owner of the file can do: drop the triggers, delete the event and the op
    (and its run) that would have shared it."""
    connection = sqlite3.connect(terminal.db_path, isolation_level=None)
    try:
        connection.execute("DROP TRIGGER audit_event_no_delete")
        (run_id,) = connection.execute(
            "SELECT run_id FROM outbox_op WHERE entity = 'audit_event' AND changes LIKE ?",
            (f'%"kind": "{kind}"%',),
        ).fetchone()
        connection.execute("DELETE FROM audit_event WHERE kind = ?", (kind,))
        connection.execute("DELETE FROM outbox_op WHERE run_id = ?", (run_id,))
        connection.execute("DELETE FROM outbox_run WHERE run_id = ?", (run_id,))
    finally:
        connection.close()


def _cuts_noticed(terminal: Terminal) -> tuple[list[str], int]:
    lead = terminal.actor("lead")
    listed = [change.reason for change in terminal.ws.conflicts.refused(lead)]
    with terminal.ws.db.connect() as connection:
        audited = connection.exec_driver_sql(
            "SELECT count(*) FROM audit_event WHERE kind = 'audit.cut'"
        ).scalar()
    return listed, int(audited or 0)


def test_a_terminal_whose_trail_was_cut_is_noticed_by_the_floor(floor: Floor) -> None:
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    lead = t1.actor("lead")
    t1.ws.audit.record(lead, "customer.viewed", "first")
    t1.ws.audit.record(lead, "customer.revealed", "hidden")
    t1.ws.audit.record(lead, "customer.viewed", "after")
    _cut(t1, "customer.revealed")
    floor.settle()
    listed, audited = _cuts_noticed(t2)
    assert audited == 1
    assert len(listed) == 1 and "never arrived" in listed[0], listed


def test_an_intact_trail_shared_again_is_no_cut(floor: Floor) -> None:
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    t1.ws.audit.record(t1.actor("lead"), "customer.viewed", "one")
    floor.settle()
    t1 = floor.rejoin(t1)  # every change of t1 shared again under a new id
    t1.ws.audit.record(t1.actor("lead"), "customer.viewed", "two")
    floor.settle()
    assert _cuts_noticed(t2) == ([], 0)


def test_a_copied_disk_writing_to_the_chain_is_reported_as_a_fork(floor: Floor) -> None:
    import shutil

    from cc_terminal.services.privacy.audit_verify import verify
    from cc_terminal.sync.terminal import rejoin

    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    t1.ws.close()
    shutil.copytree(t1.data_dir, floor.root / "clone")
    clone = floor.add_existing("clone")
    t1 = floor.reopen(t1)
    t1.ws.audit.record(t1.actor("lead"), "customer.viewed", "the original")
    clone.ws.audit.record(clone.actor("lead"), "customer.viewed", "the copy")
    t1.round()
    assert clone.round().stopped  # the clone is found out by its terminal id
    rejoin(clone.ws.db)
    clone = floor.reopen(clone)
    floor.settle(rounds=10)
    listed, audited = _cuts_noticed(t2)
    assert audited == len(listed) == 2  # the login and the view the copy wrote
    assert all("a copied disk" in reason for reason in listed), listed
    assert "exists twice" in verify(t1.ws.db).first_break
