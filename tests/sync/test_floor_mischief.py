"""The floor under faults and mischief (issue 20, item 3): a floor folder that goes away,
a file planted in a terminal's folder, a rejoin, a terminal restored from a backup, the
same instant written with two offsets, a damage report read by any run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_run import cli
from tests.sync.kit import Floor, assert_converged
from tests.sync.kit import customer_count as _customers
from tests.sync.kit import new_customer as _new_customer
from tests.sync.kit import two_terminals as _two


@pytest.fixture
def floor(tmp_path: Path):
    floor = Floor(tmp_path)
    yield floor
    floor.close()


def _hhmm(moment) -> str:  # type: ignore[no-untyped-def]
    return moment.strftime("%H:%M")


def test_a_floor_folder_that_went_away_is_never_made_again_and_says_share_away(
    floor: Floor,
) -> None:
    t1, _t2 = _two(floor)
    unmounted = floor.folder.with_name("floor-renamed")
    floor.folder.rename(unmounted)
    _new_customer(t1, "Eva Černá", "+420777000001")
    state = t1.round()
    assert not floor.folder.exists()  # not made again, with nothing reaching the floor
    assert state.away_since is not None and state.pending > 0
    assert "share away" in state.summary(_hhmm) and "share away" in state.problem
    floor.folder.mkdir()  # the empty mount point of a share that is not mounted
    state = t1.round()
    assert list(floor.folder.iterdir()) == []
    assert "share away" in state.summary(_hhmm)
    t1.close()
    for command in (("sync",), ("floor", "status")):
        said = cli(t1.data_dir, "--sync-dir", str(floor.folder), *command)
        assert said.returncode == 1 and "share away" in said.stderr, said.stderr
    assert list(floor.folder.iterdir()) == []
    floor.folder.rmdir()
    unmounted.rename(floor.folder)
    floor.terminals.remove(t1)
    floor.add_existing("t1")
    floor.settle()
    assert all(_customers(terminal) == 4 for terminal in floor.terminals)
    assert_converged(floor)


def test_a_file_planted_as_the_next_segment_is_set_aside_not_taken_as_a_rival(
    floor: Floor,
) -> None:
    from cc_terminal.sync.segment import segment_name

    t1, t2 = _two(floor)
    own = floor.folder / "terminals" / t1.sync.terminal
    with t1.ws.db.connect() as connection:
        stream = connection.exec_driver_sql("SELECT stream_seq FROM sync_terminal").scalar()
    planted = own / segment_name(stream + 1, stream + 1)
    planted.write_bytes(b'{"format": "cc-terminal-segment", "version": 2}\nnot sealed\n')
    _new_customer(t1, "Eva Černá", "+420777000001")
    state = t1.round()
    assert state.stopped == "" and state.published > 0
    assert not planted.exists()
    assert (t1.data_dir / "quarantine" / f"{t1.sync.terminal}-{planted.name}").exists()
    assert any(line.startswith("quarantined") and planted.name in line for line in t1.sync.report())
    with t1.ws.db.connect() as connection:
        events = connection.exec_driver_sql(
            "SELECT count(*) FROM audit_event WHERE kind = 'sync.quarantined'"
        ).scalar()
    assert events == 1
    floor.settle()
    assert _customers(t2) == 4 and t1.sync.state().stopped == ""
    assert_converged(floor)


def test_the_same_instant_with_two_offsets_is_no_conflict(floor: Floor) -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from cc_terminal.models import Call
    from cc_terminal.services.views import CallDraft
    from tests.conftest import start_of_test_day
    from tests.sync.kit import customer_id_of

    t1, t2 = _two(floor)
    moment = start_of_test_day()
    call = CallDraft(
        customer_id_of(t1), "+420601123456", moment, moment, moment, "tariff_question", "resolved"
    )
    t1.ws.calls.record(t1.actor("jana"), call)
    floor.settle()
    nine = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    prague = nine.astimezone(timezone(timedelta(hours=1)))  # 10:00+01:00
    for terminal, written in ((t2, prague), (t1, nine)):  # the later one wins: a loser in +01:00
        with terminal.ws.db.write(terminal.actor("jana").operator_id) as session:
            row = session.get(Call, call.call_id)
            assert row is not None
            row.answered_at = written
            session.commit()
    floor.settle()
    assert [terminal.sync.state().conflicts for terminal in (t1, t2)] == [0, 0]
    assert_converged(floor)


def test_a_damage_report_on_disk_is_acted_on_by_any_run_of_the_writer(floor: Floor) -> None:
    t1, t2 = _two(floor)
    for number in range(3):
        _new_customer(t1, f"Zákazník {number}", f"+42077710000{number}")
        t1.round()
    segments = sorted((floor.folder / "terminals" / t1.sync.terminal).glob("seg-*"))
    data = bytearray(segments[-2].read_bytes())
    data[len(data) // 2] ^= 0x01
    segments[-2].write_bytes(bytes(data))
    t2.round()
    assert _customers(t2) == 4  # set aside, reported in its status file
    for _run in range(4):  # each a new process, as 'cc-terminal sync' runs from cron
        t1 = floor.reopen(t1)
        t1.round()
        t2.round()
    assert _customers(t2) == 6
    assert_converged(floor)
