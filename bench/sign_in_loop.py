"""A terminal on the same floor: signs an operator in every 200 ms until its stop file
appears, then prints each sign-in's start (wall clock) and seconds and how many failed, as JSON.

python -m bench.sign_in_loop DB_URL USERNAME PASSWORD STOP_FILE
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from cc_terminal.config import Settings
from cc_terminal.services.workstation import open_workstation

EVERY = 0.2


def main() -> None:
    url, username, password, stop = sys.argv[1:5]
    stop_file = Path(stop)
    ws = open_workstation(Settings(db_url=url, data_dir=stop_file.parent))
    seconds: list[float] = []
    began: list[float] = []
    failed = 0
    print("ready", flush=True)
    try:
        while not stop_file.exists():
            began.append(time.time())
            before = time.perf_counter()
            try:
                ws.auth.login(username, password)
            except Exception:
                failed += 1
            seconds.append(time.perf_counter() - before)
            time.sleep(EVERY)
    finally:
        ws.close()
    print(json.dumps({"seconds": seconds, "began": began, "failed": failed}), flush=True)


if __name__ == "__main__":
    main()
