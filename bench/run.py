"""Run every benchmark, print the table and write it to bench/results/latest.md.

python -m bench.run            # 10,000 and 1,000,000 customers (5,000,000 calls)
python -m bench.run --quick    # 2,000 and 20,000 (100,000 calls): checks they still run
python -m bench.run --only outbound   # one group (pop, search, terminal, lookup, outbound,
                                      # addresses, dispatch, tally, roster, sync, imports, chat,
                                      # chat-floor, mail, floor, phone)
python -m bench.run --only pop --only terminal   # groups one after another, one file each
python -m bench.run --only chat --quick   # the chat at 100 sockets: checks it still runs
python -m bench.run --only imports --scale 0.1   # any group at a tenth of its sizes (minutes)

Each group builds only the data it reads, cached in bench/data by its sizes and the
schema's migration head (bench/cache.py).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
from collections.abc import Callable
from pathlib import Path

from bench import (
    addresses,
    chat,
    chat_floor,
    dispatch,
    floor,
    floor_echo,
    imports,
    lead_import,
    lookup,
    mail,
    outbound,
    phone,
    roster,
    search,
    shift,
    startup,
    sync,
    tally,
    typing_echo,
)
from bench.cache import scaled, set_scale
from bench.generate import database
from bench.pop_rows import pop_rows
from bench.readme_tables import generated
from bench.table import Row, median_ms, p99_ms, render

RESULTS = Path(__file__).parent / "results"
README = Path(__file__).parent.parent / "README.md"
SOURCES = Path(__file__).parent.parent / "src" / "cc_terminal"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument(
        "--only",
        choices=GROUPS,
        action="append",
        help="run one group of benchmarks (again for more groups, one after another)",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="every size times this")
    args = parser.parse_args()
    set_scale(args.scale)
    # Measured as an installed package starts: with its bytecode compiled (an editable
    # checkout under PYTHONDONTWRITEBYTECODE would compile every module at every start).
    compileall.compile_dir(SOURCES, quiet=1)
    sizes = (2_000, 20_000, 100_000) if args.quick else (10_000, 1_000_000, 5_000_000)
    small, large, calls = (scaled(size) for size in sizes)
    # Each --only group has its own results file, as when run alone; without --only, one.
    runs = [(group,) for group in args.only] if args.only else [GROUPS]
    for groups in runs:
        load_before = os.getloadavg()[0]
        # Built (or taken from bench/data) only when a group of this run reads them.
        rows = run(lambda: database(small), lambda: database(large, calls), small, large, groups)
        title = f"cc-terminal benchmarks ({small:,} and {large:,} customers, {calls:,} calls)"
        if args.scale != 1.0:
            title += f", --scale {args.scale:g}"
        text = render(rows, title)
        text += (
            f"\nLoad (1-minute average, /proc/loadavg): {load_before:.1f} at the start, "
            f"{os.getloadavg()[0]:.1f} at the end.\n"
        )
        print(text)
        RESULTS.mkdir(exist_ok=True)
        name = "quick" if args.quick else "latest" if args.scale == 1.0 else f"scale-{args.scale:g}"
        only = f"-{groups[0]}" if args.only else ""
        (RESULTS / f"{name}{only}.md").write_text(text)
    if not args.quick:  # a --scale run's file is in the README too (scale-*.md)
        README.write_text(generated(README.read_text(encoding="utf-8")), encoding="utf-8")


GROUPS = (
    "pop",
    "search",
    "terminal",
    "lookup",
    "outbound",
    "addresses",
    "dispatch",
    "tally",
    "roster",
    "sync",
    "imports",
    "chat",
    "chat-floor",
    "mail",
    "floor",
    "phone",
)


def run(
    small_db: Callable[[], Path],
    large_db: Callable[[], Path],
    small: int,
    large: int,
    groups: tuple[str, ...] = GROUPS,
) -> list[Row]:
    n = f"{large:,}"
    makers = {
        "pop": lambda: pop_rows(large_db(), n),
        "search": lambda: _search_rows(large_db(), n),
        "terminal": lambda: _terminal_rows(large_db(), n),
        "lookup": lambda: _lookup_rows(small_db(), large_db(), small, n),
        "outbound": lambda: _outbound_rows(large_db(), n),
        "addresses": lambda: addresses.rows(
            scaled(300_000 if large < scaled(1_000_000) else 3_000_000)
        ),
        "dispatch": _dispatch_rows,
        "tally": lambda: _tally_rows(scaled(tally.CALLS if large >= 1_000_000 else 100_000)),
        "roster": _roster_rows,
        "sync": _sync_rows,
        "imports": lambda: [*lead_import.rows(large), *imports.rows()],
        "chat": lambda: chat.rows(quick=large < 1_000_000),
        "chat-floor": lambda: chat_floor.rows(quick=large < 1_000_000),
        "mail": lambda: mail.rows(quick=large < 1_000_000),
        "floor": lambda: [*floor.rows(), *floor_echo.rows(quick=large < 1_000_000)],
        "phone": lambda: phone.rows(large_db(), n),
    }
    return [row for group in groups for row in makers[group]()]


def _sync_rows() -> list[Row]:
    times = sync.measure()
    ops = sync.TERMINALS * scaled(sync.OPS_EACH)
    return [
        _ingest_row(times.imported, f"{ops:,}", "ids ascending, as their lead imports make them"),
        _ingest_row(times.by_hand, f"{ops:,}", "random ids, as customers added by hand get them"),
        Row(
            f"one sync round, floor of {sync.FLOOR} terminals x {sync.ROUND_OPS} new ops",
            f"median {median_ms(times.round_seconds):.0f} ms, "
            f"worst {max(times.round_seconds) * 1000:.0f} ms",
            "publishes its own changes and reads 29 segments",
            "<= 1 s",
        ),
        _shift_row(),
    ]


def _ingest_row(times: sync.IngestTimes, ops: str, ids: str) -> Row:
    return Row(
        f"ingest {ops} signed ops (new customers) from {sync.TERMINALS} terminals, one round; "
        + ids,
        f"{times.ingest_seconds:.1f} s",
        f"verification included (decrypt, digests, one signature a run: "
        f"{times.verify_seconds:.1f} s alone); "
        f"raw Core insert of the same rows {times.raw_seconds:.1f} s; "
        f"with their search index {times.raw_indexed_seconds:.1f} s",
        "<= 10 s",
    )


def _shift_row() -> Row:
    times = shift.measure()
    return Row(
        f"simulated shift: {shift.TERMINALS} terminals x {shift.CALLS} calls, random syncs, "
        f"shared customers edited",
        f"converged {times.passes - 1} passes after the last change "
        f"({times.seconds_to_converge:.1f} s of rounds over all {shift.TERMINALS} terminals; "
        f"on a floor, rounds run side by side every 1.5 s)",
        f"all {times.calls:,} calls everywhere, the same {times.conflicts} conflicts on every "
        f"terminal; the shift itself {times.shift_seconds:.0f} s",
        "all converge",
    )


def _roster_rows() -> list[Row]:
    times = roster.measure()
    worst = max(times.seconds)
    return [
        Row(
            f"roster: {roster.OPERATORS} operators, 2 shifts, {roster.PENDING} pending requests, "
            f"{roster.RUNS} weeks",
            f"median {median_ms(times.seconds) / 1000:.2f} s, worst {worst:.2f} s; granted "
            f"{'/'.join(map(str, times.granted))}",
            f"greedy by priority in {max(times.greedy_seconds) * 1000:.1f} ms: granted "
            f"{'/'.join(map(str, times.greedy_granted))} (cover checked, not rest or contract); "
            f"{times.optimal} of {roster.RUNS} proven optimal, {times.explained} denials explained",
            "<= 5 s",
        )
    ]


def _tally_rows(calls: int) -> list[Row]:
    times = tally.measure(calls)
    scale = f"{calls:,} calls, {tally.OPERATORS} operators, {times.month_calls:,} this month"
    return [
        Row(
            f"my tally for a month (F5: month, month before, 30-day chart), {scale}",
            _ms(median_ms(times.one), p99_ms(times.one)),
            f"raw SQL summing the month's calls "
            f"{_ms(median_ms(times.one_raw), p99_ms(times.one_raw))}",
            "<= 100 ms",
        ),
        Row(
            f"team view, {tally.OPERATORS} operators, a month",
            _ms(median_ms(times.team), p99_ms(times.team)),
            f"raw SQL summing the month per operator "
            f"{_ms(median_ms(times.team_raw), p99_ms(times.team_raw))}",
            "<= 500 ms",
        ),
    ]


def _outbound_rows(large_db: Path, n: str) -> list[Row]:
    result = outbound.measure(large_db)
    return [
        Row(
            f"lead import, 100,000 rows cp1250 CSV, {n}",
            f"{result.import_seconds:.1f} s ({result.added:,} added)",
            f"raw executemany of the same lead rows {result.raw_insert_seconds:.2f} s",
            "<= 10 s",
        ),
        Row(
            "  where the import's time goes",
            "s per step",
            result.import_budget(),
            "",
        ),
        Row(
            "next-lead pick, 100,000 leads, 50 operators",
            _ms(median_ms(result.pick), p99_ms(result.pick)),
            f"raw first-candidate query {_ms(median_ms(result.pick_raw), p99_ms(result.pick_raw))}",
            "median <= 5 ms",
        ),
        Row(
            f"lead card after N, headless, {n}",
            _ms(median_ms(result.card), p99_ms(result.card)),
            "the incoming pop's budget",
            "median <= 35 ms, p99 <= 80 ms",
        ),
        Row(
            "re-offer selection over 1,000,000 past offers",
            f"{result.reoffer_seconds:.2f} s ({result.refusals:,} customers)",
            f"raw SQL of the same query {result.reoffer_raw_seconds:.2f} s",
            "<= 2 s",
        ),
    ]


def _search_rows(large_db: Path, n: str) -> list[Row]:
    typed = search.queries(large_db)
    on_sqlite = search.measure_sqlite(large_db, typed)
    pg_median, pg_p99, pg_load = search.measure_postgresql(large_db, typed)
    like = on_sqlite["like"]
    bad_median, bad_worst = on_sqlite["bad"]
    return [
        Row(
            f"name/address search, SQLite, {n}",
            _ms(*on_sqlite["service"]),
            f"LIKE '%name%' scan on the name alone {_ms(*like)}",
            "median <= 30 ms, p99 <= 100 ms",
        ),
        Row(
            f"name/address search, PostgreSQL, {n}",
            _ms(pg_median, pg_p99),
            f"same 300 searches and rows (loaded in {pg_load:.0f} s)",
            "median <= 30 ms, p99 <= 100 ms",
        ),
        Row(
            "bad searches (one letter, %_'\\, 30 words, 10,000 characters)",
            f"median {bad_median:.3f} ms, worst {bad_worst:.3f} ms",
            "answered with a message, no query",
            "same budget",
        ),
    ]


def _terminal_rows(large_db: Path, n: str) -> list[Row]:
    ours, bare = startup.compare_first_frames(large_db)
    startup.account_at_production_cost(large_db)
    signed_in, popped, rss = startup.sign_in_and_look_up(large_db)
    sign_ins = [signed_in, *startup.more_sign_ins(large_db)]
    typed = typing_echo.measure(large_db)
    bare_typing = typing_echo.baseline()
    rows = [
        Row(
            "start to first frame (tmux 120x40)",
            f"{ours / bare:.2f}x bare: {ours * 1000:.0f} ms",
            f"bare Textual app {bare * 1000:.0f} ms",
            f"<= 1.5x bare ({1.5 * bare * 1000:.0f} ms here)",
        ),
        Row(
            "sign-in Enter to today's figures (tmux)",
            f"median {statistics.median(sign_ins) * 1000:.0f} ms of {len(sign_ins)}",
            f"each in a fresh terminal: {', '.join(f'{s * 1000:.0f}' for s in sign_ins)} ms; "
            "includes the Argon2 run that checks the password and opens the signing key, off "
            "the UI thread",
            "median <= 400 ms",
        ),
        Row(
            f"screen pop, real terminal, {n}",
            f"{popped * 1000:.0f} ms",
            "Enter to the name on the tmux screen, median of 5",
            "<= 100 ms",
        ),
    ]
    for echoes in typed:
        rows.append(
            Row(
                f"key echo (tmux control client), {echoes.load}",
                _ms(echoes.median_ms, echoes.p99_ms),
                f"bare Textual app {_ms(bare_typing.median_ms, bare_typing.p99_ms)}; "
                f"every key kept, in order: {'yes' if echoes.intact else 'NO'}",
                f"p99 <= 50 ms (bare p99 {bare_typing.p99_ms:.1f} ms here), none lost",
            )
        )
    rows.append(
        Row(
            f"resident memory, {n} open",
            str(rss),
            "after sign-in and five calls (tmux); files: the libraries and the SQLite pages read",
            "<= 120 MB",
        )
    )
    return rows


def _lookup_rows(small_db: Path, large_db: Path, small: int, n: str) -> list[Row]:
    at_small, at_large = lookup.measure(small_db), lookup.measure(large_db)
    ratio = at_large["service"][0] / at_small["service"][0]
    return [
        Row(
            f"phone lookup with the card's ledger, service, {n}",
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
    ]


def _dispatch_rows() -> list[Row]:
    result = dispatch.measure()
    raw = _ms(median_ms(result.raw), p99_ms(result.raw))
    return [
        Row(
            f"free visit slots, 30 days, {result.teams} teams, {result.booked:,} booked",
            _ms(median_ms(result.whole), p99_ms(result.whole)),
            f"all {result.free:,} free slots; raw SQL of the booked ones {raw}",
            "<= 50 ms",
        ),
        Row(
            "  the slot picker's first 60",
            _ms(median_ms(result.first_page), p99_ms(result.first_page)),
            "what F5 on an order shows",
            "<= 50 ms",
        ),
    ]


def _ms(median: float, p99: float) -> str:
    return f"median {median:.1f} ms, p99 {p99:.1f} ms"


if __name__ == "__main__":
    main()
