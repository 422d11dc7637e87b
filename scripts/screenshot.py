"""Regenerate docs/screenshot.svg: a demo floor, an operator signed in, a caller popped."""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from cc_terminal.app import CCTerminal
from cc_terminal.config import Settings
from cc_terminal.services.demo.floor import build_demo_floor
from cc_terminal.services.workstation import open_workstation

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.svg"


def clock() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0)


async def main() -> None:
    folder = Path(tempfile.mkdtemp())
    settings = Settings(
        db_url=f"sqlite:///{folder / 'demo.sqlite3'}", data_dir=folder, cursor_blink=False
    )
    ws = open_workstation(settings)
    password = {a.username: a.password for a in build_demo_floor(ws, customers=400)}["jana"]
    ws.close()
    with sqlite3.connect(folder / "demo.sqlite3") as connection:
        phone = connection.execute(
            "SELECT p.e164 FROM customer_phone p JOIN ("
            " SELECT customer_id FROM call UNION ALL SELECT customer_id FROM offer"
            " UNION ALL SELECT customer_id FROM service_request"
            ") entry ON entry.customer_id = p.customer_id "
            "GROUP BY p.e164 ORDER BY count(*) DESC, p.e164 LIMIT 1"
        ).fetchone()[0]
    app = CCTerminal(settings, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*"jana", "enter", *password, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*phone.removeprefix("+420"), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+r", "enter", "down", "down", "enter", "ctrl+n")
        note = "Invoice higher than usual: explained the roaming charges"
        await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in note])
        await pilot.pause()
        app.save_screenshot(str(OUT))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    asyncio.run(main())
