"""PostgreSQL: an objection whose transaction is under way while a staged import is shown
(services/outbound/lead_staging.py). Each sees only what the other committed: the
objection's closing reads the lead still staged (it closes open ones), the showing step
reads no objection yet. The showing step waits for objections being recorded, so the
number's lead is closed, not opened. (On SQLite the one writer orders them.)"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from cc_terminal.services.outbound import lead_import
from cc_terminal.services.outbound.consents import object_to_calls
from tests.outbound.outbound_floor import SALES, set_up_campaigns
from tests.outbound.test_staged_import import lead_file

pytestmark = pytest.mark.postgres
OBJECTS = "+420731200003"


@pytest.fixture
def db_url(pg_url: str) -> str:
    return pg_url


def _someone_waits_for_a_lock(ws) -> bool:
    with ws.db.connect() as connection:
        return bool(
            connection.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar()
        )


def test_an_objection_recorded_while_the_import_is_shown_closes_its_lead(
    ws, lead, tmp_path, monkeypatch, clock
):
    set_up_campaigns(ws, lead)
    monkeypatch.setattr(lead_import, "BATCH", 5)
    recorded, commit, failures = threading.Event(), threading.Event(), []

    def objection() -> None:  # at another terminal: recorded, not yet committed
        try:
            with ws.db.write(lead.operator_id) as session:
                object_to_calls(session, lead, OBJECTS, clock())
                recorded.set()
                commit.wait(60)
        except BaseException as error:  # reported by the test
            failures.append(error)
            recorded.set()

    def progress(done: int, total: int) -> None:
        if done == total:  # every batch stored: the showing step comes next
            threading.Thread(target=objection).start()
            recorded.wait(60)

    def run_import() -> None:
        try:
            ws.leads.import_file(
                lead, ws.leads.read(lead_file(tmp_path, 10)), SALES, progress=progress
            )
        except BaseException as error:  # reported by the test
            failures.append(error)

    importing = threading.Thread(target=run_import)
    importing.start()
    while importing.is_alive() and not _someone_waits_for_a_lock(ws):
        threading.Event().wait(0.005)
    commit.set()
    importing.join(60)
    assert not importing.is_alive() and failures == []
    with ws.db.connect() as connection:
        statuses = dict(connection.execute(text("SELECT phone_e164, status FROM lead")).all())
    assert statuses[OBJECTS] == "done"
    assert sorted(statuses.values()) == ["done"] + ["open"] * 9
