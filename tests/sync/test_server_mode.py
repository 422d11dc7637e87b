"""Server mode on a real PostgreSQL server of its own: an escalation raised at one
terminal wakes the others through LISTEN/NOTIFY; when the server goes away a save says
so in one line (nothing half-saved), the listener reports it lost, and both recover when
it is back; a call ended meanwhile stays open with its draft and is saved when the server
is back, by itself or at the operator's next Ctrl+E, once."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from cc_terminal.config import Settings
from cc_terminal.services.calls.escalations import EscalationDraft
from cc_terminal.services.common.views import CallDraft
from cc_terminal.services.workstation import open_workstation
from cc_terminal.store.errors import StoreUnavailable
from cc_terminal.store.notify import ChangeListener
from tests.conftest import PASSWORDS, _create_database, seed_floor, start_of_test_day
from tests.pgserver import PostgresServer

pytestmark = pytest.mark.postgres


def test_notify_reaches_other_terminals_and_a_lost_server_is_reported(tmp_path: Path) -> None:
    server = PostgresServer.start()
    try:
        _create_database(server, "floor")
        url = server.url("floor")
        ws = open_workstation(Settings(db_url=url, data_dir=tmp_path / "one"))
        seed_floor(ws)
        heard: list[str] = []
        lost, back, got = threading.Event(), threading.Event(), threading.Event()

        def on_change(notice) -> None:
            heard.append(notice.entity)
            got.set()

        listener = ChangeListener(url, on_change, lambda _why: lost.set(), back.set)
        listener.start()
        try:
            jana = ws.auth.login("jana", PASSWORDS["jana"])
            customer = ws.customers.lookup_phone("+420601123456").matches[0].id
            moment = start_of_test_day()
            call = CallDraft(
                customer, "+420601123456", moment, moment, moment, "tariff_question", "resolved"
            )
            for _attempt in range(50):  # the listener connects in its own thread
                ws.escalations.raise_(
                    jana,
                    EscalationDraft(call.call_id, customer, moment, "other", "Wants a manager"),
                )
                if got.wait(0.2):
                    break
            assert "escalation" in heard
            server.halt()
            with pytest.raises(StoreUnavailable, match="nothing was saved"):
                ws.calls.record(jana, call)
            assert lost.wait(10)
            server.resume()
            assert back.wait(20)
            ws.calls.record(jana, call)  # the pool checks its connections before use
            with ws.db.connect() as connection:
                assert connection.exec_driver_sql("SELECT count(*) FROM call").scalar() == 1
        finally:
            listener.stop()
            ws.close()
    finally:
        server.stop()


async def test_the_server_away_keeps_the_open_call_as_a_draft_and_says_so(tmp_path: Path) -> None:
    from cc_terminal.app import CCTerminal
    from tests.tui import settle, wait_until

    server = PostgresServer.start()
    try:
        url = _seeded(server, tmp_path)
        app = CCTerminal(Settings(db_url=url, data_dir=tmp_path, cursor_blink=False))
        async with app.run_test(size=(120, 40)) as pilot:
            await _call_with_notes(pilot)
            server.halt()
            await wait_until(pilot, lambda: "server away since" in app.storage_line)
            await pilot.press("ctrl+e", "1")
            await settle(pilot)
            assert any("nothing was saved" in str(n.message) for n in app._notifications)
            screen = app.screen
            assert screen.call_open  # type: ignore[attr-defined]
            services = app.require_services()
            kept = services.drafts.load(app.require_actor().operator_id)
            assert kept is not None and kept.notes == "Asked about roaming"
            server.resume()
            await wait_until(pilot, lambda: "server away" not in app.storage_line)
    finally:
        server.stop()


def _seeded(server: PostgresServer, tmp_path: Path) -> str:
    _create_database(server, "floor")
    url = server.url("floor")
    seeded = open_workstation(Settings(db_url=url, data_dir=tmp_path))
    seed_floor(seeded)
    seeded.close()
    return url


async def _call_with_notes(pilot: Any) -> None:
    from tests.tui import choose_first_reason, pop_caller, type_text

    await pop_caller(pilot, "601123456")
    await choose_first_reason(pilot)
    await pilot.press("ctrl+n")
    await type_text(pilot, "Asked about roaming")


def _calls(url: str, tmp_path: Path) -> int:
    ws = open_workstation(Settings(db_url=url, data_dir=tmp_path / "reader"))
    try:
        with ws.db.connect() as connection:
            return int(connection.exec_driver_sql("SELECT count(*) FROM call").scalar() or 0)
    finally:
        ws.close()


@pytest.mark.parametrize("again", ["by itself", "ctrl+e"])
async def test_a_call_ended_while_the_server_is_away_is_saved_when_it_is_back(
    tmp_path: Path, again: str
) -> None:
    from cc_terminal.app import CCTerminal
    from tests.tui import settle

    server = PostgresServer.start()
    try:
        url = _seeded(server, tmp_path)
        app = CCTerminal(Settings(db_url=url, data_dir=tmp_path, cursor_blink=False))
        async with app.run_test(size=(120, 40)) as pilot:
            await _call_with_notes(pilot)
            server.halt()  # mid-call, before the terminal noticed
            await pilot.press("ctrl+e", "1")
            await settle(pilot)
            said = [str(n.message) for n in app._notifications]
            assert not any("OperationalError" in line or "psycopg" in line for line in said)
            assert any("cannot be reached" in line for line in said), said
            screen = app.screen
            assert screen.call_open  # type: ignore[attr-defined]
            services = app.require_services()
            kept = services.drafts.load(app.require_actor().operator_id)
            assert kept is not None and kept.notes == "Asked about roaming"
            server.resume()
            if again == "ctrl+e":
                await pilot.press("ctrl+e", "1")
            for _attempt in range(60):
                await pilot.pause(0.5)
                if not screen.call_open:  # type: ignore[attr-defined]
                    break
            assert not screen.call_open  # type: ignore[attr-defined]
            assert services.drafts.load(app.require_actor().operator_id) is None
        assert _calls(url, tmp_path) == 1
    finally:
        server.stop()
