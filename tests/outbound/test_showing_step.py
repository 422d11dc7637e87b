"""The step that shows a staged import (issue 29): one short transaction decides it shown,
then its leads are opened in transactions of at most ``SHOWN_AT_ONCE``, so no transaction
of the showing grows with the import (a sign-in beside it waits for one of them, not for
all); a crash between them leaves an import the next start finishes showing, never one it
takes away. SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import event, text

from cc_terminal.models.base import utcnow
from cc_terminal.services.outbound import lead_import, lead_staging
from cc_terminal.services.outbound.lead_staging import discard_left_behind
from cc_terminal.sync.publish_rows import unpublished
from tests.helpers import max_seq, ops_since, rows
from tests.outbound.outbound_floor import SALES, SURVEY
from tests.outbound.test_staged_import import counts, floor, lead_file  # noqa: F401

OPENING = "UPDATE lead SET status"


def test_no_transaction_of_the_showing_grows_with_the_import(floor, lead, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(lead_staging, "SHOWN_AT_ONCE", 10)
    opened: dict[int, list[int]] = {}
    open_batch = lead_staging._open_batch  # one opening transaction each call
    for size in (25, 95):

        def counted(*args, **kwargs) -> int:
            count = open_batch(*args, **kwargs)
            opened.setdefault(size, []).append(count)  # noqa: B023
            return count

        monkeypatch.setattr(lead_staging, "_open_batch", counted)
        folder = tmp_path / str(size)
        folder.mkdir()
        text_of = lead_file(folder, size).read_text(encoding="utf-8")
        path = folder / "staged.csv"
        path.write_text(text_of.replace("7312", f"73{size:02d}"), encoding="utf-8")
        report = floor.leads.import_file(lead, floor.leads.read(path), SALES)
        assert report.added == size
    # 25 leads open in 10 + 10 + 5, 95 in nine tens and a five: never more than 10 at once
    assert opened == {25: [10, 10, 5], 95: [10] * 9 + [5]}
    after = counts(floor)
    assert after["staged_leads"] == after["staged"] == after["notes"] == 0


def _crash_at_the_second_opening(ws, lead, tmp_path) -> None:
    """50 leads imported, the power gone at the second of the showing's openings."""
    statements: list[str] = []

    def crash_at_the_second(_conn, _cursor, statement, *_rest) -> None:
        if statement.startswith(OPENING):
            statements.append(statement)
            if len(statements) == 2:
                raise RuntimeError("the power went")

    event.listen(ws.db.engine, "before_cursor_execute", crash_at_the_second)
    try:
        with pytest.raises(RuntimeError):
            ws.leads.import_file(lead, ws.leads.read(lead_file(tmp_path, 50)), SALES)
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", crash_at_the_second)


def _silent_for_long(ws) -> None:
    """Its process silent for an hour: what the next start finds."""
    with ws.db.connect() as connection:
        connection.execute(
            text("UPDATE staged_import SET touched_at = :long_ago"),
            {"long_ago": utcnow() - timedelta(hours=1)},
        )
        connection.commit()


def test_a_crash_while_showing_is_finished_at_the_next_start(floor, lead, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(lead_staging, "SHOWN_AT_ONCE", 10)
    monkeypatch.setattr(lead_import, "BATCH", 20)
    before = counts(floor)
    with floor.db.connect() as connection:
        published_before = len(unpublished(connection, 0, 100_000))
    _crash_at_the_second_opening(floor, lead, tmp_path)
    halfway = counts(floor)
    # decided shown: not taken away; ten leads open, the rest staged, the floor given none
    assert halfway["open"] == before["open"] + 10 and halfway["staged_leads"] == 40
    assert halfway["staged"] == 1 and halfway["customers"] == before["customers"] + 50
    with floor.db.connect() as connection:
        assert len(unpublished(connection, 0, 100_000)) == published_before
    _silent_for_long(floor)
    assert discard_left_behind(floor.db) == 1
    after = counts(floor)
    assert after["open"] == before["open"] + 50 and after["staged_leads"] == 0
    assert after["staged"] == after["notes"] == 0
    with floor.db.connect() as connection:
        assert len(unpublished(connection, 0, 100_000)) > published_before


def test_a_showing_finished_at_the_next_start_closes_in_its_importer_s_name(
    floor,  # noqa: F811
    lead,
    tmp_path,
    monkeypatch,
):
    """A number that objected while the import was half shown is closed when the next
    start finishes the showing, and that change is signed by who imported, as the
    showing's own would have been."""
    monkeypatch.setattr(lead_staging, "SHOWN_AT_ONCE", 10)
    monkeypatch.setattr(lead_import, "BATCH", 20)
    _crash_at_the_second_opening(floor, lead, tmp_path)
    staged = "SELECT phone_e164 FROM lead WHERE status = 'staged' ORDER BY phone_e164 LIMIT 1"
    ((objects,),) = rows(floor, staged)
    floor.consents.record_objection(lead, objects, note="")
    _silent_for_long(floor)
    since = max_seq(floor)
    assert discard_left_behind(floor.db) == 1
    closed = [op for op in ops_since(floor, since) if op["entity"] == "lead"]
    assert [op["changes"]["status"] for op in closed] == ["done"]
    assert [uuid.UUID(str(op["actor_id"])) for op in closed] == [lead.operator_id]


def test_a_failed_import_leaves_the_staged_leads_of_a_half_shown_one(
    floor,  # noqa: F811
    lead,
    tmp_path,
    monkeypatch,
):
    """An import decided shown and stopped half way keeps its staged leads when another
    import, into another campaign, fails and is taken away: the next start opens them all.
    (Into the same campaign it would be refused: test_staged_import_checks.py.)"""
    monkeypatch.setattr(lead_staging, "SHOWN_AT_ONCE", 10)
    monkeypatch.setattr(lead_import, "BATCH", 20)
    before = counts(floor)
    _crash_at_the_second_opening(floor, lead, tmp_path)

    def progress(_done: int, _total: int) -> None:
        raise RuntimeError("the other import fails after its first batch")

    folder = tmp_path / "other"
    folder.mkdir()
    other = floor.leads.read(lead_file(folder, 30, numbers="7313", name="other"))
    with pytest.raises(RuntimeError):
        floor.leads.import_file(lead, other, SURVEY, progress=progress)
    assert counts(floor)["staged_leads"] == 40
    _silent_for_long(floor)
    assert discard_left_behind(floor.db) == 1
    assert counts(floor)["open"] == before["open"] + 50
