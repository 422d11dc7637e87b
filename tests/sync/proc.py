"""A terminal in its own process, for the tests that kill it with SIGKILL.

    python -m tests.sync.proc DATA_DIR FLOOR write COUNT   # customers, one commit each
    python -m tests.sync.proc DATA_DIR FLOOR sync          # one round

``CC_TEST_DIE_AT`` kills the process at a point of the round: ``after-temp``,
``after-rename`` (of a publish) or ``read:N`` (at the Nth segment read while ingesting).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from cc_terminal.config import Settings
from cc_terminal.services.common.views import CustomerDraft
from cc_terminal.services.workstation import open_workstation
from cc_terminal.sync.engine import FloorSync
from cc_terminal.sync.share import DiskShare


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class DyingShare(DiskShare):
    def __init__(self, point: str) -> None:
        self.point = point
        self.reads = 0

    def after_temp(self, temp: Path) -> None:
        if self.point == "after-temp":
            _die()

    def after_rename(self, path: Path) -> None:
        if self.point == "after-rename" and path.name.startswith("seg-"):
            _die()

    def read(self, path: Path) -> bytes:
        if self.point.startswith("read:") and path.name.startswith("seg-"):
            self.reads += 1
            if self.reads == int(self.point.split(":")[1]):
                _die()
        return super().read(path)


def main() -> None:
    data_dir, floor, action = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    ws = open_workstation(
        Settings(db_url=f"sqlite:///{data_dir / 'cc-terminal.sqlite3'}", data_dir=data_dir)
    )
    if action == "write":
        petr = ws.auth.login("petr", "petr-pass-1")
        for number in range(int(sys.argv[4])):
            ws.customers.create(
                petr,
                CustomerDraft(
                    full_name=f"Zákazník {number}",
                    phones=f"+420778{number:06d}",
                    street="Nová",
                    house_number="1",
                    city="Praha",
                    postal_code="110 00",
                ),
            )
            print(number, flush=True)
    else:
        sync = FloorSync(
            ws.db, floor, data_dir, files=DyingShare(os.environ.get("CC_TEST_DIE_AT", ""))
        )
        sync.round()
    ws.close()


if __name__ == "__main__":
    main()
