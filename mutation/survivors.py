"""Read one module's mutmut results: counts per status and each survivor's change."""

from __future__ import annotations

import json
import os
from pathlib import Path

from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code

NOT_KILLED = ("survived", "no tests", "suspicious", "not checked", "skipped", "segfault")


def function_of(mutant: str) -> str:
    """`cc_terminal.services.tally.pay.xǁPayǁfor_day__mutmut_3` -> `Pay.for_day`."""
    mangled = mutant.partition("__mutmut_")[0].rpartition(".")[2]
    if "ǁ" in mangled:
        _, cls, method = mangled.split("ǁ")
        return f"{cls}.{method}"
    return mangled.removeprefix("x_")


def change_of(diff: str) -> str:
    """The changed lines of a mutant's diff, in one line: `old -> new`."""
    lines = [line for line in diff.splitlines() if line[:3] not in ("---", "+++")]
    removed = [line[1:].strip() for line in lines if line.startswith("-")]
    added = [line[1:].strip() for line in lines if line.startswith("+")]
    return f"{' / '.join(removed)} -> {' / '.join(added) or '(removed)'}"


def read_results(folder: Path, path: str) -> tuple[dict[str, int], list[dict[str, str]]]:
    meta = json.loads((folder / "mutants" / f"{path}.meta").read_text("utf-8"))
    statuses: dict[str, int] = {}
    survivors = []
    here = Path.cwd()
    os.chdir(folder)
    try:
        for mutant, exit_code in sorted(meta["exit_code_by_key"].items(), key=mutant_order):
            status = status_by_exit_code[exit_code]
            statuses[status] = statuses.get(status, 0) + 1
            if status in NOT_KILLED:
                diff = get_diff_for_mutant(mutant, path=path)
                survivors.append(
                    {
                        "mutant": mutant,
                        "status": status,
                        "key": f"{function_of(mutant)}: {change_of(diff)}",
                    }
                )
    finally:
        os.chdir(here)
    return statuses, survivors


def mutant_order(item: tuple[str, object]) -> tuple[str, int]:
    name, _, number = item[0].rpartition("__mutmut_")
    return name, int(number)
