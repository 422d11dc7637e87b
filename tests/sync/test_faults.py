"""Faults of the share and of the terminals, each healed, then every terminal holds the
same data: no op lost, none applied twice, the same conflicts, an intact store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cc_terminal.store import hlc
from cc_terminal.sync.terminal import rejoin
from tests.sync.faults import Crash, FaultyShare
from tests.sync.kit import Floor, Terminal, assert_converged, edit_customer
from tests.sync.kit import customer_count as _customers
from tests.sync.kit import new_customer as _new_customer


@pytest.fixture
def floor(tmp_path: Path):
    floor = Floor(tmp_path)
    yield floor
    floor.close()


def _two(floor: Floor, files: FaultyShare | None = None) -> tuple[Terminal, Terminal]:
    t1 = floor.add("t1", seed=True, files=files)
    t2 = floor.add("t2")
    floor.settle()
    return t1, t2


def _segments(floor: Floor, terminal: Terminal) -> list[Path]:
    return sorted(floor.folder.joinpath("terminals", terminal.sync.terminal).glob("seg-*"))


def test_crash_after_the_temp_file_and_after_the_rename(floor: Floor) -> None:
    share = FaultyShare()
    t1, t2 = _two(floor, share)
    _new_customer(t1, "Eva Černá", "+420777000001")
    share.crash_after_temp = True
    with pytest.raises(Crash):
        t1.round()
    _new_customer(t1, "Ota Malý", "+420777000002")
    share.crash_after_rename = True
    with pytest.raises(Crash):
        t1.round()
    t1 = floor.reopen(t1, share)  # the process died: a new one starts on the same store
    floor.settle()
    assert _customers(t2) == _customers(t1) == 5
    assert_converged(floor)
    assert t1.sync.state().stopped == ""  # its own unrecorded segment was adopted, not a clone


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete"])
def test_a_damaged_or_missing_segment_is_set_aside_and_sealed_again(
    floor: Floor, damage: str
) -> None:
    t1, t2 = _two(floor)
    for number in range(3):  # three segments after the seed
        _new_customer(t1, f"Zákazník {number}", f"+42077710000{number}")
        t1.round()
    middle = _segments(floor, t1)[-2]
    data = middle.read_bytes()
    if damage == "truncate":
        middle.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        flipped = bytearray(data)
        flipped[len(data) // 2] ^= 0x01
        middle.write_bytes(bytes(flipped))
    else:
        middle.unlink()
    t2.round()
    assert _customers(t2) == 4  # waits at the last good op: the seed's 3 and the first new one
    floor.settle(rounds=10)
    assert _customers(t2) == 6
    assert_converged(floor)
    if damage != "delete":
        assert any(line.startswith("quarantined") for line in t2.sync.report())
        assert list((t2.data_dir / "quarantine").iterdir())


def test_the_same_segment_delivered_twice_is_applied_once(floor: Floor) -> None:
    t1, t2 = _two(floor)
    _new_customer(t1, "Eva Černá", "+420777000001")
    t1.round()
    last = _segments(floor, t1)[-1]
    shutil.copyfile(last, last.with_name(last.name[:-14] + "ffffffff.jsonl"))
    floor.settle()
    assert _customers(t2) == 4
    assert_converged(floor)


def test_the_share_away_and_back(floor: Floor) -> None:
    share = FaultyShare()
    t1, t2 = _two(floor, share)
    share.away = True
    _new_customer(t1, "Eva Černá", "+420777000001")
    state = t1.round()
    assert state.away_since is not None and state.pending > 0
    assert "is away" in state.problem
    assert "share away since" in state.summary(lambda moment: moment.strftime("%H:%M"))
    share.away = False
    floor.settle()
    assert t1.sync.state().pending == 0
    assert _customers(t2) == 4
    assert_converged(floor)


def test_a_full_or_read_only_share_keeps_the_changes_here(floor: Floor) -> None:
    share = FaultyShare()
    t1, _t2 = _two(floor, share)
    share.full = True
    _new_customer(t1, "Eva Černá", "+420777000001")
    assert "is full" in t1.round().problem
    share.full, share.read_only = False, True
    assert "read-only" in t1.round().problem
    share.read_only = False
    floor.settle()
    assert_converged(floor)


def test_listings_late_and_out_of_order(floor: Floor) -> None:
    share = FaultyShare(seed=3)
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2", files=share)
    share.shuffle = True
    for number in range(4):
        _new_customer(t1, f"Zákazník {number}", f"+42077720000{number}")
        t1.round()
    segments = _segments(floor, t1)
    share.late = {segments[1].name, segments[3].name}
    t2.round()
    assert (
        _customers(t2) == 4
    )  # the first segment (the seed's 3 and one new) was listed, then a gap
    share.late = set()
    floor.settle()
    assert _customers(t2) == 7
    assert_converged(floor)


def test_clocks_hours_off_and_a_clock_set_back(
    floor: Floor, monkeypatch: pytest.MonkeyPatch
) -> None:
    t1, t2 = _two(floor)
    customer = t1.ws.customers.lookup_phone("+420601123456").matches[0].id
    real = hlc.wall_millis
    monkeypatch.setattr(hlc, "wall_millis", lambda: real() + 3 * 3600 * 1000)  # t1 runs 3 h fast
    edit_customer(t1, "jana", customer, notes="Fast clock.")
    floor.settle()
    monkeypatch.setattr(hlc, "wall_millis", lambda: real() - 2 * 3600 * 1000)  # t2 set back 2 h
    edit_customer(t2, "petr", customer, notes="Later edit.")
    floor.settle()
    # the later edit saw the earlier one, so it wins whatever the wall clocks said
    assert t1.ws.customers.card(customer).notes == "Later edit."
    assert_converged(floor)


def test_a_cloned_terminal_is_detected_and_stops_until_it_rejoins(floor: Floor) -> None:
    t1, t2 = _two(floor)
    t1.ws.close()
    shutil.copytree(t1.data_dir, floor.root / "clone")
    clone = floor.add_existing("clone")
    t1 = floor.reopen(t1)
    _new_customer(t1, "Eva Černá", "+420777000001")
    _new_customer(clone, "Ota Malý", "+420777000002")
    t1.round()
    state = clone.round()
    assert "another terminal is publishing with this terminal's id" in state.stopped
    assert clone.round().stopped  # stays stopped
    rejoin(clone.ws.db)
    clone = floor.reopen(clone)
    floor.settle(rounds=10)
    assert _customers(t2) == 5
    assert_converged(floor)


def test_a_lost_local_database_is_rebuilt_from_the_snapshot_and_the_segments(floor: Floor) -> None:
    t1, t2 = _two(floor)
    _new_customer(t2, "Eva Černá", "+420777000001")
    floor.settle()
    t1.sync.snapshot()
    _new_customer(t2, "Ota Malý", "+420777000002")
    t2.round()
    _new_customer(t2, "Never Shared", "+420777000003")  # not yet published when the disk dies
    t2.close()
    floor.terminals.remove(t2)
    for path in t2.data_dir.glob("cc-terminal.sqlite3*"):
        path.unlink()
    t2 = floor.add_restored("t2")
    floor.settle()
    assert _customers(t2) == 5  # the seed's 3, Eva and Ota; only the unpublished one is lost
    assert_converged(floor)


def test_a_clock_hours_off_is_flagged_not_refused(
    floor: Floor, monkeypatch: pytest.MonkeyPatch
) -> None:
    t1, t2 = _two(floor)
    real = hlc.wall_millis
    monkeypatch.setattr(hlc, "wall_millis", lambda: real() + 3 * 3600 * 1000)
    _new_customer(t1, "Eva Černá", "+420777000001")
    t1.round()
    monkeypatch.setattr(hlc, "wall_millis", real)
    t2.round()
    assert _customers(t2) == 4  # applied all the same
    assert any(
        "clock is +10800 s off" in line or "clock is +1079" in line for line in t2.sync.report()
    )


def test_a_forged_segment_without_the_key_is_set_aside(floor: Floor) -> None:
    from cc_terminal.store import schema
    from cc_terminal.sync.sealing import seal_sealed
    from cc_terminal.sync.segment import GENESIS, segment_name

    _t1, t2 = _two(floor)
    intruder = "0f0f0f0f-0000-4000-8000-000000000001"
    op = {
        "seq": 1,
        "op_id": "0f0f0f0f-0000-4000-8000-000000000002",
        "entity": "operator",
        "row_id": "0f0f0f0f-0000-4000-8000-000000000003",
        "kind": "insert",
        "bases": {},
        "changes": {
            "id": "0f0f0f0f-0000-4000-8000-000000000003",
            "username": "mallory",
            "full_name": "Mallory",
            "role": "lead",
            "password_hash": "x",
        },
        "hlc": 1,
        "actor_id": None,
        "at": "2026-11-29T08:00:00+00:00",
    }
    data, _ = seal_sealed(
        b"k" * 32,
        terminal=intruder,
        schema=schema.HEAD_REVISION,
        first_seq=1,
        prev_hash=GENESIS,
        after={},
        ops=[op],
        runs={},
    )
    folder = floor.folder / "terminals" / intruder
    folder.mkdir()
    (folder / segment_name(1, 1)).write_bytes(data)
    (folder / "notes.txt").write_text("not a segment")
    t2.round()
    with t2.ws.db.connect() as connection:
        assert (
            connection.exec_driver_sql(
                "SELECT count(*) FROM operator WHERE username = 'mallory'"
            ).scalar()
            == 0
        )
    report = t2.sync.report()
    assert any(line.startswith("quarantined") and "floor key" in line for line in report)
    assert any(line.startswith("foreign file") and "notes.txt" in line for line in report)


def test_a_segment_from_a_newer_schema_is_held_until_the_upgrade(
    floor: Floor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cc_terminal.store import schema

    t1, t2 = _two(floor)
    monkeypatch.setattr(schema, "HEAD_REVISION", "9999")
    _new_customer(t1, "Eva Černá", "+420777000001")
    t1.round()
    monkeypatch.setattr(schema, "HEAD_REVISION", schema.REVISIONS[-1])
    state = t2.round()
    assert _customers(t2) == 3
    assert "upgrade cc-terminal" in next(iter(state.waiting.values()))
    assert not any(line.startswith("quarantined") for line in t2.sync.report())
    monkeypatch.setattr(schema, "REVISIONS", (*schema.REVISIONS, "9999"))  # the upgrade
    t2.round()
    assert _customers(t2) == 4


def test_old_segments_go_once_everyone_has_read_them_and_a_snapshot_holds_them(
    floor: Floor,
) -> None:
    t1, t2 = _two(floor)
    for number in range(3):
        _new_customer(t1, f"Zákazník {number}", f"+42077740000{number}")
        t1.round()
    floor.settle()
    before = len(_segments(floor, t1))
    t1.sync.snapshot()
    t2.round()
    t1.sync._last_status = None  # status files are written on change or once a minute
    t2.sync._last_status = None
    floor.settle()
    t1.round()
    assert len(_segments(floor, t1)) < before
    t3 = floor.add_restored("t3")  # joins from the snapshot, needs no removed segment
    floor.settle()
    assert _customers(t3) == 6
    assert_converged(floor)


def test_the_local_database_on_the_share_is_refused(tmp_path: Path) -> None:
    from cc_terminal.config import Settings
    from cc_terminal.services.workstation import open_workstation

    floor = Floor(tmp_path)
    inside = floor.folder / "mine"
    ws = open_workstation(
        Settings(
            db_url=f"sqlite:///{inside / 'cc.sqlite3'}", data_dir=inside, sync_dir=floor.folder
        )
    )
    try:
        assert ws.floor is None
        assert "inside the floor folder" in ws.floor_problem
    finally:
        ws.close()
