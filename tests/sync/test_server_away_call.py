"""Server mode: a call ended while the server is away is kept open with its draft, the
operator reads what happened in words (never a driver's exception name), and the call is
saved once the server is back, by itself or at the operator's next Ctrl+E, once."""

from __future__ import annotations

from pathlib import Path

import pytest

from cc_terminal.config import Settings
from cc_terminal.services.workstation import open_workstation
from tests.conftest import _create_database, seed_floor
from tests.pgserver import PostgresServer

pytestmark = pytest.mark.postgres


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
    from tests.tui import choose_first_reason, pop_caller, settle, type_text

    server = PostgresServer.start()
    try:
        _create_database(server, "floor")
        url = server.url("floor")
        seeded = open_workstation(Settings(db_url=url, data_dir=tmp_path))
        seed_floor(seeded)
        seeded.close()
        app = CCTerminal(Settings(db_url=url, data_dir=tmp_path, cursor_blink=False))
        async with app.run_test(size=(120, 40)) as pilot:
            await pop_caller(pilot, "601123456")
            await choose_first_reason(pilot)
            await pilot.press("ctrl+n")
            await type_text(pilot, "Asked about roaming")
            server.halt()  # mid-call, before the terminal noticed
            await pilot.press("ctrl+e", "1")
            await settle(pilot)
            said = [str(n.message) for n in app._notifications]
            print(said)
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
