"""Timing helpers and the results table."""

from __future__ import annotations

import platform
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Row:
    benchmark: str
    measured: str
    baseline: str
    target: str


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def p99_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError):
        pass
    return f"{cpu}, {cores} cores{memory}, Python {platform.python_version()}, {platform.system()}"


def render(rows: list[Row], title: str) -> str:
    headers = ("benchmark", "measured", "baseline in the same run", "target")
    cells = [headers, *((r.benchmark, r.measured, r.baseline, r.target) for r in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(4)]
    lines = [f"## {title}", "", f"Machine: {machine()}", ""]
    for index, row in enumerate(cells):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        if index == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines) + "\n"
