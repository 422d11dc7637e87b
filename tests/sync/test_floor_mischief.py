"""The floor under faults and mischief (issue 20, item 3): a floor folder that goes away,
a file planted in a terminal's folder, a rejoin, a terminal restored from a backup, the
same instant written with two offsets, a damage report read by any run."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from cc_terminal.models import Call
from cc_terminal.services.common.views import CallDraft
from cc_terminal.sync.segment import segment_name
from cc_terminal.sync.terminal import rejoin
from tests.cli_run import cli, cli_process
from tests.conftest import start_of_test_day
from tests.sync.kit import Floor, Terminal, assert_converged, customer_id_of, edit_customer
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


def _take_calls(terminal: Terminal, phone: str) -> None:
    """A call taken and a customer's notes edited, as an operator's shift goes on."""

    moment = start_of_test_day()
    customer = customer_id_of(terminal)
    terminal.round()  # one after another: each edit saw the one before
    terminal.ws.calls.record(
        terminal.actor("jana"),
        CallDraft(customer, phone, moment, moment, moment, "tariff_question", "resolved"),
    )
    edit_customer(terminal, "jana", customer, notes=f"Called from {terminal.name}.")
    terminal.round()


def _compacted(floor: Floor, terminal: Terminal) -> None:
    """Its early segments cleaned away: every terminal read them, a snapshot holds them."""
    terminal.sync.snapshot()
    for each in floor.terminals:
        each.sync._last_status = None  # status files are written on change or once a minute
    floor.settle()
    terminal.round()
    folder = floor.folder / "terminals" / terminal.sync.terminal
    assert not list(folder.glob("seg-0000000001-*"))


def _quiet(floor: Floor) -> None:
    """No op refused or failed, no false conflict, nobody waiting."""
    for terminal in floor.terminals:
        lines = [line for line in terminal.sync.report() if "not applied" in line]
        assert lines == [], lines
        state = terminal.sync.state()
        assert state.conflicts == 0 and state.stopped == ""
        with terminal.ws.db.connect() as connection:
            waiting = connection.exec_driver_sql(
                "SELECT count(*) FROM sync_peer WHERE waiting <> ''"
            ).scalar()
        assert waiting == 0, terminal.name


@pytest.mark.parametrize("how", ["floor rejoin", "in process"])
def test_a_rejoined_copy_leaves_the_floor_converged(floor: Floor, how: str) -> None:

    t1, t2 = _two(floor)
    for number in range(3):
        _new_customer(t1, f"Zákazník {number}", f"+42077710000{number}")
        t1.round()
    floor.settle()
    _compacted(floor, t1)
    t1.ws.close()
    shutil.copytree(t1.data_dir, floor.root / "copy")
    copy = floor.add_existing("copy")
    t1 = floor.reopen(t1)
    _new_customer(t1, "Eva Černá", "+420777000001")
    _new_customer(copy, "Ota Malý", "+420777000002")
    t1.round()
    assert copy.round().stopped  # another terminal publishes with its id
    if how == "floor rejoin":
        copy.ws.close()
        said = cli_process(copy.data_dir, "--sync-dir", str(floor.folder), "floor", "rejoin")
        assert said.returncode == 0 and "is now" in said.stdout, said.stderr
    else:
        rejoin(copy.ws.db)
    copy = floor.reopen(copy)  # the terminal starts again
    floor.settle(rounds=10)
    for terminal, phone in ((t1, "+420601123456"), (copy, "+420601123456"), (t2, "+420601123456")):
        _take_calls(terminal, phone)
    floor.settle(rounds=10)
    assert {_customers(terminal) for terminal in floor.terminals} == {8}
    _quiet(floor)
    assert_converged(floor)


def test_a_terminal_restored_from_a_backup_rejoins_and_reuses_no_number(floor: Floor) -> None:
    t1, t2 = _two(floor)
    _new_customer(t1, "Eva Černá", "+420777000001")
    t1.round()
    t1.ws.close()
    backup = floor.root / "backup"
    shutil.copytree(t1.data_dir, backup)
    t1 = floor.reopen(t1)
    _new_customer(t1, "After The Backup", "+420777000002")  # shared, then the disk dies
    t1.round()
    _new_customer(t1, "Ota Malý", "+420777000003")
    t1.round()
    old_id = t1.sync.terminal
    t1.close()
    floor.terminals.remove(t1)
    shutil.rmtree(t1.data_dir)
    shutil.copytree(backup, t1.data_dir)
    t1 = floor.add_existing("t1")
    assert t1.sync.terminal != old_id  # a new id: none of the old id's numbers is reused
    assert any(line.startswith("rejoined") for line in t1.sync.report())
    floor.settle(rounds=10)
    assert _customers(t1) == _customers(t2) == 6  # what came after the backup came back
    _take_calls(t1, "+420601123456")
    _take_calls(t2, "+420601123456")
    floor.settle(rounds=10)
    _quiet(floor)
    assert_converged(floor)


async def test_the_workstation_started_with_the_share_away_says_so_and_syncs_when_back(
    floor: Floor,
) -> None:
    from cc_terminal.app import CCTerminal
    from tests.sync.kit import floor_settings
    from tests.tui import sign_in, wait_until

    t1, _t2 = _two(floor)
    floor.terminals.remove(t1)
    t1.close()
    unmounted = floor.folder.with_name("floor-unmounted")
    floor.folder.rename(unmounted)
    app = CCTerminal(floor_settings(floor, t1))
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "jana")
        assert "share away since" in app.storage_line
        assert not floor.folder.exists()
        unmounted.rename(floor.folder)
        await wait_until(pilot, lambda: "synced" in app.storage_line)
