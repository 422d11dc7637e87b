"""The workstation freezes the collector's long-lived objects only in a process that is
its own (cc_terminal/memory.py): an app run inside another program, as every Pilot test
runs it, leaves that program's collector as it was, so what the app made is freed when it
ends (what the test process itself freezes is its own: tests/collector.py)."""

from __future__ import annotations

import gc
import subprocess
import sys

from cc_terminal.screens.calls.incoming import IncomingCallScreen
from tests.tui import make_app, sign_in, wait_until

FREEZES_ONLY_WHEN_TAKEN = """
import gc
from cc_terminal.memory import freeze_long_lived, take_the_collector
freeze_long_lived()
before = gc.get_freeze_count()
take_the_collector()
freeze_long_lived()
print(before, gc.get_freeze_count() > 0, gc.isenabled())
"""


def test_the_workstations_own_process_freezes_what_lives_long():
    done = subprocess.run(
        [sys.executable, "-c", FREEZES_ONLY_WHEN_TAKEN], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["0", "True", "True"]


async def test_an_app_in_another_program_freezes_nothing(sqlite_url, tmp_path, clock):
    app = make_app(sqlite_url, tmp_path, clock)
    frozen = gc.get_freeze_count()  # by the tests' own harness (tests/collector.py)
    async with app.run_test() as pilot:
        await sign_in(pilot)
        await wait_until(pilot, lambda: app.actor is not None)
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, IncomingCallScreen))
        assert gc.get_freeze_count() <= frozen  # some frozen ones freed meanwhile
