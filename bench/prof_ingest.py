"""The floor ingest's receiving round alone (bench/sync.py's data: 10 terminals' signed
new customers), timed in wall and CPU seconds, optionally under cProfile. Run:
``python -m bench.prof_ingest SCALE [prof] [by-hand]`` (SCALE 1: 100,000 ops; ``by-hand``:
the customers' and ops' ids random, as customers added one at a time get them, else
ascending, as a lead import gives them). To time the code of
another commit beside it: ``git archive COMMIT src | tar -x -C DIR`` and
``PYTHONPATH=DIR/src:. python -m bench.prof_ingest 1``."""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench import cache
from bench import sync as bench_sync
from cc_terminal.store import hlc
from cc_terminal.sync.engine import FloorSync

PARTS = "index_new_customers|_apply_all|_incoming|_read_body|_recount|_term_ids"


def main(scale: float, profiled: bool, ids: bench_sync.IdMaker) -> None:
    cache.set_scale(scale)
    each = cache.scaled(bench_sync.OPS_EACH)
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as temp:
        root = Path(temp)
        folder = root / "floor"
        origin, info, key, signer = bench_sync._founded(root, "origin", folder)
        FloorSync(origin.db, folder, root / "origin").round()
        start = hlc.pack(hlc.wall_millis())
        for number in range(bench_sync.TERMINALS):
            ops = bench_sync._customer_ops(
                str(info.id), each, start + number * each, f"T{number}", ids
            )
            bench_sync._publish(folder, key, str(uuid.uuid4()), ops, {}, signer)
        receiver = bench_sync._store(root, "receiver", key)
        sync = FloorSync(receiver.db, folder, root / "receiver")
        profile = cProfile.Profile()
        began, cpu = time.perf_counter(), time.process_time()
        if profiled:
            profile.enable()
        state = sync.round()
        if profiled:
            profile.disable()
        wall, cpu = time.perf_counter() - began, time.process_time() - cpu
        print(f"ingest {wall:.2f} s wall, {cpu:.2f} s cpu, {state.applied} applied", flush=True)
        if profiled:
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_stats(45)
            stats.print_callees(PARTS)
            stats.sort_stats("tottime").print_stats(30)
        origin.close()
        receiver.close()


if __name__ == "__main__":
    by_hand = "by-hand" in sys.argv[2:]
    ids = bench_sync.hand_made_ids if by_hand else bench_sync.imported_ids
    main(float(sys.argv[1]), "prof" in sys.argv[2:], ids)
