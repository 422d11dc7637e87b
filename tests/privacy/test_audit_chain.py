"""The audit trail is a hash chain (issue 20, item 6): whoever deletes or alters events
behind the triggers is found out by ``cc-terminal audit verify``, which names the first
break; PostgreSQL refuses TRUNCATE."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cc_terminal.services.privacy.audit_verify import last_check, verify
from cc_terminal.store.audit_chain import EVENTS, GENESIS, chain_of, event_hash
from tests.cli_run import cli, cli_process


def _own_events(ws) -> list[tuple[int, str]]:
    with ws.db.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT e.seq, e.kind FROM audit_event e JOIN audit_chain c ON c.chain = e.chain"
                " WHERE c.own ORDER BY e.seq"
            )
        )
        return [(int(seq), kind) for seq, kind in rows]


def _behind_the_triggers(ws, statement: str, **values: object) -> None:
    """As the file's owner (SQLite) or the table's owner (PostgreSQL) can."""
    with ws.db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_delete")
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_update")
        else:
            connection.exec_driver_sql("ALTER TABLE audit_event DISABLE TRIGGER USER")
        connection.execute(text(statement), values)


def _a_few_events(ws, lead) -> None:
    for subject in ("one", "two", "three"):
        ws.audit.record(lead, "customer.viewed", subject)


def _head(ws) -> tuple[str, int, str]:
    """This database's chain: its id, newest seq and hash."""
    with ws.db.connect() as connection:
        chain, seq, hash_ = connection.execute(
            text("SELECT chain, seq, hash FROM audit_chain WHERE own")
        ).one()
    return chain, int(seq), hash_


def _hash_of(ws, chain: str, seq: int) -> str:
    with ws.db.connect() as connection:
        query = text("SELECT hash FROM audit_event WHERE chain = :chain AND seq = :seq")
        return connection.execute(query, {"chain": chain, "seq": seq}).scalar_one()


def _write_link(ws, chain: str, seq: int, prev_hash: str, id_: uuid.UUID | None = None) -> str:
    """An event whose hash covers it, as a terminal (or a copied disk) writes it: its hash."""
    fields = {
        "id": id_ or uuid.uuid4(),
        "at": datetime(2026, 11, 27, 8, seq, tzinfo=UTC),
        "actor_id": None,
        "kind": "customer.viewed",
        "subject": f"link {seq}",
        "detail": "",
        "chain": chain,
        "seq": seq,
        "prev_hash": prev_hash,
    }
    fields["hash"] = event_hash(prev_hash, fields)
    with ws.db.engine.begin() as connection:
        connection.execute(EVENTS.insert(), [fields])
    return fields["hash"]


def _at(hour: int, minute: int) -> Callable[[], datetime]:
    return lambda: datetime(2026, 11, 27, hour, minute, tzinfo=UTC)


def test_an_untouched_trail_verifies_and_the_check_is_kept(ws, lead, settings, tmp_path):
    _a_few_events(ws, lead)
    result = cli_process(tmp_path, "audit", "verify", db=settings.db_url)
    assert result.returncode == 0, result.stderr
    assert "intact" in result.stdout
    check = last_check(ws.db)
    assert check is not None and check.intact and check.events >= 4


def test_an_event_deleted_behind_the_triggers_is_the_first_break(ws, lead, settings, tmp_path):
    _a_few_events(ws, lead)
    events = _own_events(ws)
    seq = next(seq for seq, kind in events if kind == "customer.viewed")
    _behind_the_triggers(
        ws,
        "DELETE FROM audit_event WHERE seq = :seq AND chain = (SELECT chain FROM audit_chain"
        " WHERE own)",
        seq=seq,
    )
    result = cli(tmp_path, "audit", "verify", db=settings.db_url)
    assert result.returncode == 1
    assert f"event {seq} is missing (event {seq + 1} follows event {seq - 1})" in result.stdout
    check = last_check(ws.db)
    assert check is not None and not check.intact and f"event {seq} is missing" in check.first_break


def test_an_altered_event_and_a_cut_tail_are_found(ws, lead):
    _a_few_events(ws, lead)
    last = _own_events(ws)[-1][0]
    assert verify(ws.db).intact
    _behind_the_triggers(
        ws,
        "UPDATE audit_event SET detail = 'nothing happened' WHERE seq = 2 AND chain ="
        " (SELECT chain FROM audit_chain WHERE own)",
    )
    assert "event 2 was altered" in verify(ws.db).first_break
    _behind_the_triggers(
        ws,
        "DELETE FROM audit_event WHERE seq >= :seq AND chain = (SELECT chain FROM audit_chain"
        " WHERE own)",
        seq=last - 1,
    )
    verdict = verify(ws.db)
    assert "event 2 was altered" in verdict.first_break  # the first break, of two


def test_a_tail_cut_with_the_head_moved_back_is_found_by_the_last_check(ws, lead):
    _a_few_events(ws, lead)
    last = _own_events(ws)[-1][0]
    assert verify(ws.db, _at(8, 30)).intact
    _behind_the_triggers(
        ws,
        "DELETE FROM audit_event WHERE seq = :seq AND chain = (SELECT chain FROM audit_chain"
        " WHERE own)",
        seq=last,
    )
    chain = _head(ws)[0]
    cut = verify(ws.db, _at(9, 45))
    assert cut.breaks == [
        f"chain {chain[:8]}: events {last} to {last} are missing (the trail was cut)"
    ]
    with ws.db.engine.begin() as connection:  # the head moved back to match
        connection.execute(
            text(
                "UPDATE audit_chain SET seq = :seq, hash = (SELECT hash FROM audit_event e"
                " WHERE e.chain = audit_chain.chain AND e.seq = :seq) WHERE own"
            ),
            {"seq": last - 1},
        )
    hidden = verify(ws.db, _at(11, 5))  # the 09:45 check saw `last` as the newest
    assert hidden.first_break == (
        f"chain {chain[:8]}: event {last}, the newest at the check of 2026-11-27 09:45,"
        " is gone or altered"
    )
    assert (hidden.events, hidden.chains) == (last - 1, 1)


def test_a_tail_cut_with_the_head_row_deleted_is_found_by_the_last_check(ws, lead):
    _a_few_events(ws, lead)
    last = _own_events(ws)[-1][0]
    chain = _head(ws)[0]
    assert verify(ws.db, _at(8, 30)).intact
    _behind_the_triggers(
        ws, "DELETE FROM audit_event WHERE seq >= :seq AND chain = :chain", seq=3, chain=chain
    )
    with ws.db.engine.begin() as connection:  # the head row goes too, so nothing is cut
        connection.execute(text("DELETE FROM audit_chain WHERE chain = :chain"), {"chain": chain})
    verdict = verify(ws.db, _at(9, 45))
    assert not verdict.intact
    assert verdict.breaks == [
        f"chain {chain[:8]}: its head is gone (the check of 2026-11-27 08:30 kept event"
        f" {last} as the newest)"
    ]
    again = verify(ws.db, _at(10, 0))  # said again at every check: the kept head stays
    assert again.breaks == [
        f"chain {chain[:8]}: its head is gone (the check of 2026-11-27 09:45 kept event"
        f" {last} as the newest)"
    ]


@pytest.mark.postgres
def test_postgresql_refuses_truncate(pg_url):
    from cc_terminal.store.database import Database

    db = Database(pg_url)
    try:
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
            connection.exec_driver_sql("TRUNCATE audit_event")
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM audit_event").scalar()
    finally:
        db.dispose()


@pytest.mark.postgres
def test_each_terminal_of_a_server_appends_to_its_own_chain(pg_url, tmp_path, clock):
    from cc_terminal.config import Settings
    from cc_terminal.services.workstation import open_workstation
    from tests.conftest import login

    desks = [
        open_workstation(
            Settings(db_url=pg_url, data_dir=tmp_path / name, terminal_name=name), clock=clock
        )
        for name in ("desk-1", "desk-2")
    ]
    try:
        for round_ in range(3):
            for desk in desks:
                desk.audit.record(login(desk, "lead"), "customer.viewed", f"round {round_}")
        with desks[0].db.connect() as connection:
            owned = connection.execute(
                text("SELECT chain, seq FROM audit_chain WHERE own ORDER BY chain")
            ).all()
        ours = [seq for chain, seq in owned if chain in {desk.db.audit_chain for desk in desks}]
        assert ours == [6, 6]  # a sign-in and a view, three times, at each desk
        verdict = verify(desks[0].db)
        assert verdict.intact, verdict.breaks
    finally:
        for desk in desks:
            desk.close()


def test_events_from_before_the_chain_are_counted_and_the_chain_starts_after_them(tmp_path):
    from cc_terminal.models.audit_kinds import AuditKind
    from cc_terminal.services.common.audit import record
    from cc_terminal.store import migrate, schema
    from cc_terminal.store.database import Database

    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        migrate.command.upgrade(migrate.alembic_config(db.engine), "0014")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO audit_event (id, at, kind, subject, detail)"
                    " VALUES ('00000000000000000000000000000001', '2026-11-01 08:00:00',"
                    " 'login.ok', '', '')"
                )
            )
        assert schema.upgrade(db.engine)
        record(db, None, AuditKind.LOGIN_FAILED, detail="after the upgrade")
        verdict = verify(db)
        assert (verdict.intact, verdict.unchained, verdict.events) == (True, 1, 1)
    finally:
        db.dispose()


def test_two_checks_of_an_untouched_trail_are_intact_and_keep_the_head(ws, lead):
    _a_few_events(ws, lead)
    chain, seq, hash_ = _head(ws)
    for clock in (_at(8, 30), _at(9, 45)):  # the second one anchored at the first's head
        verdict = verify(ws.db, clock)
        assert (verdict.intact, verdict.breaks, verdict.first_break) == (True, [], "")
        assert (verdict.events, verdict.chains, verdict.unchained) == (seq, 1, 0)
    check = last_check(ws.db)
    assert check is not None
    assert (check.at, check.events, check.intact, check.first_break) == (
        datetime(2026, 11, 27, 9, 45, tzinfo=UTC),
        seq,
        True,
        "",
    )
    assert json.loads(check.heads) == {chain: [seq, hash_]}


def test_an_event_deleted_is_missing_between_its_neighbours(ws, lead):
    _a_few_events(ws, lead)
    chain = _head(ws)[0]
    _behind_the_triggers(
        ws, "DELETE FROM audit_event WHERE chain = :chain AND seq = 5", chain=chain
    )
    verdict = verify(ws.db, _at(8, 30))
    problem = f"chain {chain[:8]}: event 5 is missing (event 6 follows event 4)"
    assert (verdict.breaks, verdict.events, verdict.chains) == ([problem], 5, 1)
    check = last_check(ws.db)
    assert check is not None and (check.intact, check.first_break, check.events) == (
        False,
        problem,
        5,
    )


def test_an_altered_head_names_its_event(ws, lead):
    _a_few_events(ws, lead)
    chain, head, _hash = _head(ws)
    with ws.db.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_chain SET hash = :forged WHERE own"), {"forged": "f" * 64}
        )
    verdict = verify(ws.db, _at(8, 30))
    assert verdict.breaks == [
        f"chain {chain[:8]}: the head of the chain was altered (event {head})"
    ]
    assert verdict.events == head


def test_a_copied_disk_writing_to_the_chain_is_an_event_twice(ws, lead):
    _a_few_events(ws, lead)
    chain, head, _hash = _head(ws)
    first = uuid.UUID(int=0)  # its twin sorts first among the events of the chain
    _write_link(ws, chain, head, _hash_of(ws, chain, head - 1), first)
    verdict = verify(ws.db, _at(8, 30))
    assert verdict.breaks == [
        f"chain {chain[:8]}: event {head} exists twice (a copied disk wrote to this chain)"
    ]
    assert (verdict.events, verdict.chains) == (head + 1, 1)


def test_an_event_from_elsewhere_with_a_taken_number_does_not_follow(ws, lead):
    _a_few_events(ws, lead)
    chain, head, _hash = _head(ws)
    _write_link(ws, chain, head, "1" * 64, uuid.UUID(int=0))  # first of the two at ``head``
    verdict = verify(ws.db, _at(8, 30))
    assert verdict.breaks == [
        f"chain {chain[:8]}: event {head} does not follow event {head - 1}"
        " (another chain's, or altered)"
    ]


def test_another_terminals_chain_is_checked_link_by_link_around_its_gaps(ws, lead):
    desk = chain_of("desk-9")
    last = GENESIS
    for seq in (1, 2, 4, 5, 6, 7):  # its event 3 was refused here (sync/audit_links.py)
        last = _write_link(ws, desk, seq, "3" * 64 if seq == 4 else last)
    with ws.db.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO audit_chain (chain, own, seq, hash) VALUES (:chain, :own, 7, :hash)"),
            {"chain": desk, "own": False, "hash": last},
        )
    _a_few_events(ws, lead)  # written after the other chain's: its newest event is 7 too
    chain, head, _hash = _head(ws)
    assert head == 7
    for clock in (_at(8, 30), _at(9, 45)):
        verdict = verify(ws.db, clock)
        assert (verdict.breaks, verdict.events, verdict.chains) == ([], head + 6, 2)
    check = last_check(ws.db)
    assert check is not None and json.loads(check.heads) == {chain: [head, _hash]}


def test_a_chain_without_a_head_row_is_still_walked(ws, lead):
    """Events restored without their chain's head are checked link by link."""
    desk = chain_of("desk-9")
    last = GENESIS
    for seq in (1, 2, 3):
        last = _write_link(ws, desk, seq, last)
    _behind_the_triggers(
        ws, "UPDATE audit_event SET detail = 'nothing' WHERE chain = :chain AND seq = 2", chain=desk
    )
    verdict = verify(ws.db, _at(8, 30))
    assert verdict.breaks == [f"chain {desk[:8]}: event 2 was altered (its hash does not match it)"]
    assert verdict.chains == 2


def test_after_a_wipe_to_genesis_is_reported_the_next_check_starts_from_the_empty_head(ws, lead):
    _a_few_events(ws, lead)
    chain, head, _hash = _head(ws)
    verify(ws.db, _at(8, 30))
    _behind_the_triggers(ws, "DELETE FROM audit_event WHERE chain = :chain", chain=chain)
    with ws.db.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_chain SET seq = 0, hash = :genesis"), {"genesis": GENESIS}
        )
    wiped = verify(ws.db, _at(9, 45))
    assert wiped.breaks == [
        f"chain {chain[:8]}: event {head}, the newest at the check of 2026-11-27 08:30,"
        " is gone or altered"
    ]
    check = last_check(ws.db)
    assert check is not None and json.loads(check.heads) == {chain: [0, GENESIS]}
    assert verify(ws.db, _at(11, 5)).breaks == []  # the lead has been told; the anchor moved
