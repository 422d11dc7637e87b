"""What a screen pop costs, summed over many pops: the seconds of each pop and of each of
its phases, and what Textual repainted for it (bench/textual_timing.py's counts)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from bench.table import median_ms, p99_ms
from bench.textual_timing import Repaints

SHOWN_CLASSES = 6  # the widget classes named in a count, the most lines first


class Resident(NamedTuple):
    """A process's resident memory in KiB: all of it, its own (the heap: Python's objects)
    and file-backed (the libraries and the pages of the SQLite file it maps and read)."""

    total: int
    anonymous: int
    file: int

    def __str__(self) -> str:
        return (
            f"{self.total / 1024:.0f} MB (heap {self.anonymous / 1024:.0f}, "
            f"files {self.file / 1024:.0f})"
        )


def resident(pid: int | str = "self") -> Resident:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon", "RssFile"):
            fields[name] = int(value.split()[0])
    return Resident(fields.get("VmRSS", 0), fields.get("RssAnon", 0), fields.get("RssFile", 0))


@dataclass
class Pops:
    """Seconds per pop, and per phase of each pop; what all the pops repainted."""

    phase_names: tuple[str, ...]
    totals: list[float] = field(default_factory=list)
    phases: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    repaints: Repaints = field(default_factory=Repaints)
    memory: list[tuple[int, Resident]] = field(default_factory=list)  # after so many pops

    @property
    def median_ms(self) -> float:
        return median_ms(self.totals)

    @property
    def p99_ms(self) -> float:
        return p99_ms(self.totals)

    def phase_ms(self, name: str) -> float:
        return statistics.median(self.phases[name]) * 1000 if self.phases[name] else 0.0

    def budget(self) -> str:
        """Median milliseconds per phase, in order."""
        return ", ".join(f"{name} {self.phase_ms(name):.1f}" for name in self.phase_names)

    def add(self, total: float, phases: dict[str, float], repaints: Repaints) -> None:
        self.totals.append(total)
        for name, seconds in phases.items():
            self.phases[name].append(seconds)
        self.repaints.add(repaints)

    def repainted(self) -> str:
        """What one pop repainted, on average: layouts, widgets the compositor asked for
        their lines, widgets that rendered their content, lines rendered anew (by widget
        class), nodes restyled."""
        count = max(1, len(self.totals))
        done = self.repaints

        def per_pop(value: float) -> str:
            return f"{value / count:.1f}".removesuffix(".0")

        lines = ", ".join(
            f"{name} {per_pop(n)}" for name, n in done.lines.most_common(SHOWN_CLASSES)
        )
        return (
            f"layouts {per_pop(done.layouts)}, "
            f"widgets {per_pop(sum(done.composited.values()))}, "
            f"rendered {per_pop(sum(done.rendered.values()))}, "
            f"lines {per_pop(sum(done.lines.values()))} ({lines}), "
            f"restyled {per_pop(sum(done.restyled.values()))}"
        )
