"""A long write elsewhere must not fail a sign-in: imports write in bounded transactions,
and a sign-in that finds the store busy past its wait tries again and says so."""

import sqlite3
import time
from pathlib import Path

from sqlalchemy import event

from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.services.calls import catalog
from cc_terminal.store import db as store_db
from tests.conftest import PASSWORDS
from tests.tui import SIZE, make_app, settle


def test_a_big_catalogue_import_writes_in_bounded_transactions(ws, lead, tmp_path, monkeypatch):
    monkeypatch.setattr(catalog, "WRITE_BATCH", 500)
    path = tmp_path / "big.csv"
    lines = [f"C-{n:05d},Item {n},product,{n % 900 + 1},2026-01-01" for n in range(2600)]
    path.write_text("code,name,kind,price,valid_from\n" + "\n".join(lines) + "\n")
    products_per_transaction = [0]

    def count(_conn, _cursor, statement, parameters, _context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO PRODUCT "):
            products_per_transaction[-1] += len(parameters) if executemany else 1

    event.listen(ws.db.engine, "before_cursor_execute", count)
    event.listen(ws.db.engine, "commit", lambda _conn: products_per_transaction.append(0))
    assert ws.catalog.import_csv(lead, path) == 2600
    written = [n for n in products_per_transaction if n]
    assert written == [500, 500, 500, 500, 500, 100]  # never more than a batch at once
    assert len([item for item in ws.catalog.items() if item.code.startswith("C-")]) == 2600


async def test_a_sign_in_waits_out_a_busy_store_and_says_so(
    sqlite_url, tmp_path, clock, monkeypatch
):
    monkeypatch.setattr(store_db, "SQLITE_BUSY_TIMEOUT_MS", 1000)
    app = make_app(sqlite_url, tmp_path, clock)
    database = Path(sqlite_url.removeprefix("sqlite:///"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"jana", "enter", *PASSWORDS["jana"])
        holder = sqlite3.connect(database, timeout=5, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")  # another terminal's long write
        await pilot.press("enter")
        said = []
        deadline = time.monotonic() + 60  # a bound for a loaded machine, not a timing
        while not isinstance(app.screen, IncomingCallScreen) and time.monotonic() < deadline:
            said.append(str(app.screen.query_one("#login-message").content))
            if "busy; trying again" in said[-1] and holder.in_transaction:
                holder.commit()  # the other write ends while the sign-in waits for it
            await pilot.pause(0.05)
        holder.close()
        await settle(pilot)  # the call screen done mounting before the app closes
        assert isinstance(app.screen, IncomingCallScreen), said[-1]
        assert app.actor is not None and app.actor.username == "jana"
        assert any("busy; trying again" in line for line in said)
