"""The address register's import alone (bench/addresses.py's zip, built once and cached),
into an empty floor, timed in wall and CPU seconds, optionally under cProfile. Run:
``python -m bench.prof_register POINTS [prof]``; ``STORE=postgresql`` for a throwaway
PostgreSQL server. The code of another commit beside it: ``git archive COMMIT src | tar
-x -C DIR`` and ``PYTHONPATH=DIR/src:. python -m bench.prof_register POINTS``."""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import search
from bench.addresses import register_zip
from bench.cache import DATA
from bench.generate import PASSWORD
from cc_terminal.config import Settings
from cc_terminal.services.workstation import Workstation, open_workstation


@contextmanager
def _floor(store: str) -> Iterator[Workstation]:
    if store != "postgresql":
        work = DATA / "prof-register.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        ws = open_workstation(Settings(db_url=f"sqlite:///{work}", data_dir=work.parent))
        try:
            yield ws
        finally:
            ws.close()
        return
    with search.floor_on_server(DATA / "prof-register-pg") as ws:
        yield ws


def main(points: int, profiled: bool) -> None:
    archive, _towns = register_zip(points)
    with _floor(os.environ.get("STORE", "sqlite")) as ws:
        ws.auth.create_operator(None, "lead", "Bench Lead", "lead", PASSWORD)
        lead = ws.auth.login("lead", PASSWORD)
        profile = cProfile.Profile()
        began, cpu = time.perf_counter(), time.process_time()
        if profiled:
            profile.enable()
        report = ws.register.import_files(lead, [archive])
        if profiled:
            profile.disable()
        wall, cpu = time.perf_counter() - began, time.process_time() - cpu
        store = ws.db.engine.dialect.name
        print(
            f"{store} import {wall:.2f} s wall {cpu:.2f} s cpu {report.points} points", flush=True
        )
        if profiled:
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main(int(sys.argv[1]), len(sys.argv) > 2)
