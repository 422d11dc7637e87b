"""mutation/REPORT.md from the kept results and the notes on equivalent mutants."""

from __future__ import annotations

import json
import re
from pathlib import Path

DETECTED = ("killed", "timeout", "caught by type check")
NOTE = re.compile(r"^- `(?P<key>.+)` — (?P<why>.+)$")


def read_equivalents(path: Path) -> dict[tuple[str, str], str]:
    """`## services/tally/pay.py` sections of "- `key` — why" lines, keyed by (module, key)."""
    notes: dict[tuple[str, str], str] = {}
    module = ""
    for line in path.read_text("utf-8").splitlines() if path.exists() else []:
        if line.startswith("## "):
            module = line[3:].strip()
        elif match := NOTE.match(line):
            notes[(module, match["key"])] = match["why"]
    return notes


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


def cpu(run: dict[str, object]) -> str:
    return f"{run['cpu_seconds']} s" if run.get("cpu_seconds") else "-"


def retested(run: dict[str, object]) -> str:
    return f"; {run['retested']}" if run.get("retested") else ""


def write_report(results: Path, equivalent: Path, target: Path) -> None:
    from mutation.run import MODULES

    notes = read_equivalents(equivalent)
    runs = {
        run["module"]: run
        for run in (json.loads(p.read_text("utf-8")) for p in sorted(results.glob("*.json")))
    }
    lines = [
        "# Mutation testing of the rules",
        "",
        "Written by `make mutation` (mutation/run.py) from mutation/results/*.json and",
        "mutation/equivalent.md; do not edit by hand. Each module is mutated by mutmut with only",
        "its fast SQLite service tests (the table in mutation/modules.py), niced, 2 workers; the",
        "machine is shared, so the wall time depends on its load and the CPU time does not.",
        '"killed" counts timeouts too; "killed % of the rest" leaves out the survivors that',
        "mutation/equivalent.md shows to be equivalent (same behaviour, no test can tell).",
        "A run's survivors may be tested again after tests were added (`--retest`): the run",
        "column then says how many, and when.",
        "",
        "| module | mutants | killed | of them timed out | survived | no tests | equivalent "
        "| killed % "
        "| killed % of the rest | wall time | CPU time | run |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    details: list[str] = []
    for module in MODULES:
        run = runs.get(module)
        if run is None:
            continue
        statuses: dict[str, int] = run["statuses"]
        total = sum(statuses.values())
        killed = sum(statuses.get(status, 0) for status in DETECTED)
        survivors = run["survivors"]
        equivalents = [s for s in survivors if (module, s["key"]) in notes]
        lines.append(
            f"| {module} | {total} | {killed} | {statuses.get('timeout', 0)} "
            f"| {statuses.get('survived', 0)} "
            f"| {statuses.get('no tests', 0)} | {len(equivalents)} | {percent(killed, total)} "
            f"| {percent(killed, total - len(equivalents))} | {run['wall_seconds']} s | {cpu(run)} "
            f"| {run['finished']} at {run['commit']}{retested(run)} |"
        )
        if survivors:
            details += ["", f"## {module}", "", f"Tests: {', '.join(run['tests'])}.", ""]
            for survivor in survivors:
                why = notes.get((module, survivor["key"]))
                verdict = f"equivalent: {why}" if why else "**not explained**"
                details.append(f"- `{survivor['key']}` ({survivor['status']}): {verdict}")
    not_run = [module for module in MODULES if module not in runs]
    if not_run:
        lines += ["", "Not run yet: " + ", ".join(not_run) + "."]
    target.write_text("\n".join([*lines, *details]) + "\n", "utf-8")
