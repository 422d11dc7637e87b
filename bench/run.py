"""Run every benchmark, print the table and write it to bench/results/latest.md.

python -m bench.run            # 10,000 and 1,000,000 customers
python -m bench.run --quick    # 2,000 and 20,000: checks the benchmarks still run
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench import lookup, screen_pop, startup
from bench.generate import database
from bench.table import Row, render

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args()
    small, large = (2_000, 20_000) if args.quick else (10_000, 1_000_000)
    rows = run(database(small), database(large), small, large)
    text = render(rows, f"cc-terminal benchmarks ({small:,} and {large:,} customers)")
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / ("quick.md" if args.quick else "latest.md")).write_text(text)


def run(small_db: Path, large_db: Path, small: int, large: int) -> list[Row]:
    at_small, at_large = lookup.measure(small_db), lookup.measure(large_db)
    ratio = at_large["service"][0] / at_small["service"][0]
    ours, bare = startup.compare_first_frames(large_db)
    signed_in, popped, rss = startup.sign_in_and_look_up(large_db)
    pop_median, pop_p99 = screen_pop.measure(large_db)
    n = f"{large:,}"
    return [
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
