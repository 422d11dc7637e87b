"""The audit trail is a hash chain (issue 20, item 6): whoever deletes or alters events
behind the triggers is found out by ``cc-terminal audit verify``, which names the first
break; PostgreSQL refuses TRUNCATE."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cc_terminal.services.privacy.audit_verify import last_check, verify
from tests.cli_run import cli


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


def test_an_untouched_trail_verifies_and_the_check_is_kept(ws, lead, settings, tmp_path):
    _a_few_events(ws, lead)
    result = cli(tmp_path, "audit", "verify", db=settings.db_url)
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
    assert verify(ws.db).intact
    _behind_the_triggers(
        ws,
        "DELETE FROM audit_event WHERE seq = :seq AND chain = (SELECT chain FROM audit_chain"
        " WHERE own)",
        seq=last,
    )
    assert f"events {last} to {last} are missing (the trail was cut)" in verify(ws.db).first_break
    with ws.db.engine.begin() as connection:  # the head moved back to match
        connection.execute(
            text(
                "UPDATE audit_chain SET seq = :seq, hash = (SELECT hash FROM audit_event e"
                " WHERE e.chain = audit_chain.chain AND e.seq = :seq) WHERE own"
            ),
            {"seq": last - 1},
        )
    assert f"event {last}, the newest at the check of" in verify(ws.db).first_break


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
        record(db, None, "login.failed", detail="after the upgrade")
        verdict = verify(db)
        assert (verdict.intact, verdict.unchained, verdict.events) == (True, 1, 1)
    finally:
        db.dispose()
