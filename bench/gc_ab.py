"""Python's collector during the bulk loads (store/bulk_gc.py), with and without
``fewer_collections``, alternated in one sitting, with the collector's own time counted by
``gc.callbacks``:

python -m bench.gc_ab ingest on|off      # bench.prof_ingest 1: 100,000 ops, 10 terminals
python -m bench.gc_ab leads on|off       # bench.prof_import sqlite --scale 1: 100,000 leads
python -m bench.gc_ab register on|off    # bench.prof_register 3000000 (SQLite)

A tool to look with, beside the groups of bench.run (whose figures include it)."""

from __future__ import annotations

import contextlib
import gc
import sys
import time
from collections import Counter, defaultdict
from typing import Any

from cc_terminal.services.orders import address_register
from cc_terminal.store import bulk_cache

SPENT: dict[int, float] = defaultdict(float)
PASSES: Counter[int] = Counter()
_started: list[float] = []


def _timed(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        _started.append(time.perf_counter())
        return
    generation = info["generation"]
    SPENT[generation] += time.perf_counter() - _started.pop()
    PASSES[generation] += 1


def main(load: str, mode: str) -> None:
    if mode == "off":
        bulk_cache.fewer_collections = contextlib.nullcontext  # type: ignore[assignment]
        address_register.fewer_collections = contextlib.nullcontext  # type: ignore[assignment]
    gc.callbacks.append(_timed)
    if load == "ingest":
        from bench import prof_ingest

        prof_ingest.main(1.0, False)
    elif load == "leads":
        from bench import prof_import

        sys.argv = ["prof_import", "sqlite", "--scale", "1"]
        prof_import.main()
    else:
        from bench import prof_register

        prof_register.main(3_000_000, False)
    passes = ", ".join(
        f"generation {g}: {PASSES[g]} passes {SPENT[g]:.2f} s" for g in sorted(SPENT)
    )
    print(f"{load} {mode}: collector {sum(SPENT.values()):.2f} s ({passes})", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
