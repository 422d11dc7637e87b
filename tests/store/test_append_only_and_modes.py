"""Audit events cannot be changed or deleted, whatever path tries (the ORM, raw SQL, an op
from another terminal); the data folder and its files are private, also when they were
made wider or under a umask of 000."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from cc_terminal.config import Settings
from cc_terminal.models import AuditEvent
from cc_terminal.services.workstation import open_workstation
from cc_terminal.sync.ops import Incoming
from cc_terminal.sync.roles import refusal
from tests.conftest import login


def test_audit_events_cannot_be_changed_or_deleted(ws) -> None:  # type: ignore[no-untyped-def]
    login(ws, "jana")  # a sign-in is audited
    with ws.db.read() as session:
        event = session.scalars(select(AuditEvent)).first()
    assert event is not None
    with pytest.raises(DBAPIError, match="append-only"), ws.db.write(None) as session:
        stored = session.get(AuditEvent, event.id)
        stored.kind = "nothing happened"
    with pytest.raises(DBAPIError, match="append-only"), ws.db.write(None) as session:
        session.delete(session.get(AuditEvent, event.id))
    with pytest.raises(DBAPIError, match="append-only"), ws.db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_event"))
    with ws.db.read() as session:
        assert session.get(AuditEvent, event.id).kind == event.kind


def test_an_op_changing_an_audit_event_is_refused_on_arrival() -> None:
    op = Incoming(
        op_id=__import__("uuid").uuid4(),
        seq=1,
        entity="audit_event",
        row_id="x",
        kind="delete",
        changes={},
        bases={},
        hlc=1,
        terminal="t",
        actor=None,
    )
    assert "append-only" in refusal(op, "lead", lambda *_: None, True)


def test_a_wide_data_folder_is_tightened_at_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    old = os.umask(0)
    try:
        data.mkdir(mode=0o777)
        (data / "drafts").mkdir(mode=0o777)
        draft = data / "drafts" / "someone.json"
        draft.write_text("{}")
        draft.chmod(0o666)
        database = data / "cc-terminal.sqlite3"
        ws = open_workstation(Settings(db_url=f"sqlite:///{database}", data_dir=data))
        ws.close()
        ws = open_workstation(Settings(db_url=f"sqlite:///{database}", data_dir=data))
        ws.close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "drafts").stat().st_mode) == 0o700
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    for path in data.glob("cc-terminal.sqlite3*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
