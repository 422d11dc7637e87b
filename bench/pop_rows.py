"""The screen pop's rows of the results table: each pop against the bare app measured in the
same run (ratios first, the bare figure beside each target), where its time goes, what it
repaints, and the resident memory over 500 pops."""

from __future__ import annotations

from pathlib import Path

from bench import bare_pop, screen_pop
from bench.table import Row


def _ms(median: float, p99: float) -> str:
    return f"median {median:.1f} ms, p99 {p99:.1f} ms"


POP_TARGETS = {"random customer": 3.0, "500 ledger entries": 3.5}  # times the bare app


def pop_rows(large_db: Path, n: str) -> list[Row]:
    bare = bare_pop.measure()
    baseline = f"bare Textual app swapping as much text {_ms(bare.median_ms, bare.p99_ms)}"
    bare_paint = bare.phase_ms("paint")
    rows = []
    for name, pops in (
        ("random customer", screen_pop.measure(large_db)),
        ("500 ledger entries", screen_pop.measure_full_ledger(large_db)),
    ):
        times_bare = POP_TARGETS[name]
        rows += [
            Row(
                f"screen pop, {name}, headless, {n}",
                f"{pops.median_ms / bare.median_ms:.1f}x bare: {_ms(pops.median_ms, pops.p99_ms)}",
                baseline,
                f"<= {times_bare}x bare ({times_bare * bare.median_ms:.1f} ms here), p99 <= 80 ms",
            ),
            Row(
                f"  where the pop's time goes ({name})",
                pops.budget(),
                f"bare app: {bare.budget()} (median ms)",
                f"paint <= 2x bare's ({2 * bare_paint:.1f} ms here), ledger <= 3 ms",
            ),
            Row(
                f"  what a pop repaints ({name})",
                pops.repainted(),
                f"bare app: {bare.repainted()}",
                "only what changed",
            ),
        ]
    return [*rows, _memory_row(large_db, n)]


def _memory_row(large_db: Path, n: str) -> Row:
    memory = screen_pop.measure_memory(large_db).memory
    (_, first), (count, last) = memory[0], memory[-1]
    steps = ", ".join(f"{done}: {found.total / 1024:.0f}" for done, found in memory[1:-1])
    return Row(
        f"resident memory over {count} pops, headless, {n}",
        f"{first} before, {last} after",
        f"MB after so many pops: {steps}",
        "no growth after the first 100",
    )
