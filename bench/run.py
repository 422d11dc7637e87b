"""Run every benchmark, print the table and write it to bench/results/latest.md.

python -m bench.run            # 10,000 and 1,000,000 customers (5,000,000 calls)
python -m bench.run --quick    # 2,000 and 20,000 (100,000 calls): checks they still run
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench import lookup, screen_pop, search, startup
from bench.generate import database
from bench.table import Row, render

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args()
    small, large, calls = (2_000, 20_000, 100_000) if args.quick else (10_000, 1_000_000, 5_000_000)
    rows = run(database(small), database(large, calls), small, large)
    title = f"cc-terminal benchmarks ({small:,} and {large:,} customers, {calls:,} calls)"
    text = render(rows, title)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / ("quick.md" if args.quick else "latest.md")).write_text(text)


def run(small_db: Path, large_db: Path, small: int, large: int) -> list[Row]:
    at_small, at_large = lookup.measure(small_db), lookup.measure(large_db)
    ratio = at_large["service"][0] / at_small["service"][0]
    ours, bare = startup.compare_first_frames(large_db)
    signed_in, popped, rss = startup.sign_in_and_look_up(large_db)
    pop_median, pop_p99 = screen_pop.measure(large_db)
    ledger_median, ledger_p99 = screen_pop.measure_full_ledger(large_db)
    typed = search.queries(large_db)
    on_sqlite = search.measure_sqlite(large_db, typed)
    pg_median, pg_p99, pg_load = search.measure_postgresql(large_db, typed)
    n = f"{large:,}"
    return [
        Row(
            f"name/address search, SQLite, {n}",
            _ms(*on_sqlite["service"]),
            f"PostgreSQL {_ms(pg_median, pg_p99)} (loaded in {pg_load:.0f} s); "
            f"LIKE '%name%' scan {_ms(*on_sqlite['like'])}",
            "median <= 30 ms, p99 <= 100 ms",
        ),
        Row(
            f"card with 500 ledger entries, headless, {n}",
            _ms(ledger_median, ledger_p99),
            f"card of a random customer {_ms(pop_median, pop_p99)}",
            "<= 50 ms to first paint",
        ),
        Row(
            f"phone lookup, service, {n}",
            _ms(*at_large["service"]),
            f"raw SQL {_ms(*at_large['raw'])}; Core {_ms(*at_large['core'])}",
            "median <= 0.5 ms",
        ),
        Row(
            f"phone lookup, service, {small:,}",
            _ms(*at_small["service"]),
            f"raw SQL {_ms(*at_small['raw'])}",
            "",
        ),
        Row("lookup cost growth", f"{ratio:.2f}x", f"{n} vs {small:,} customers", "<= 1.5x"),
        Row(
            f"first lookup of each customer, {n}",
            _ms(*at_large["service_first"]),
            "pages not yet in memory",
            "",
        ),
        Row(
            "start to first frame (tmux 120x40)",
            f"{ours * 1000:.0f} ms",
            f"bare Textual app {bare * 1000:.0f} ms ({ours / bare:.2f}x)",
            "<= 1.6x bare",
        ),
        Row(
            "sign-in Enter to today's figures",
            f"{signed_in * 1000:.0f} ms",
            "includes one Argon2 verify",
            "data within 500 ms",
        ),
        Row(f"screen pop, headless Pilot, {n}", _ms(pop_median, pop_p99), "", "<= 50 ms"),
        Row(
            f"screen pop, real terminal, {n}",
            f"{popped * 1000:.0f} ms",
            "Enter to the name on the tmux screen, median of 5",
            "",
        ),
        Row(
            f"resident memory, {n} open",
            f"{rss / 1024:.0f} MB",
            "after sign-in and five calls",
            "<= 150 MB",
        ),
    ]


def _ms(median: float, p99: float) -> str:
    return f"median {median:.3f} ms, p99 {p99:.3f} ms"


if __name__ == "__main__":
    main()
