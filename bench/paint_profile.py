"""Where the screen pop's paint goes: for each pop's frame (bench/screen_pop.py, the same
pops), the milliseconds each widget's ``render_lines`` takes when the compositor asks it
for its lines, how many lines it was asked for, and what is left of the paint (the
compositor cutting every widget's lines at every other widget's edges into the frame).
With ``--cprofile``, the paint's functions too (cProfile roughly doubles their times).

python -m bench.paint_profile                 # 30 random customers, 20,000-customer set
python -m bench.paint_profile --heavy         # the customer with 500 ledger entries
python -m bench.paint_profile --customers 1000000 --calls 5000000
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from textual._compositor import Compositor
from textual.widget import Widget

from bench import screen_pop
from bench.generate import HEAVY_PHONE, database, sample_phones


class PaintSpent:
    """Seconds and lines per widget (class#id) and in the whole paint, while ``on``."""

    def __init__(self, profile: cProfile.Profile | None) -> None:
        self.on = False
        self.profile = profile
        self.widgets: Counter[str] = Counter()
        self.lines: Counter[str] = Counter()
        self.paint = 0.0

    def render_lines(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(widget: Widget, crop: Any) -> Any:
            if not self.on:
                return original(widget, crop)
            started = time.perf_counter()
            try:
                return original(widget, crop)
            finally:
                name = f"{type(widget).__name__}#{widget.id or ''}"
                self.widgets[name] += time.perf_counter() - started
                self.lines[name] += crop.height

        return wrapper

    def render_update(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
            if not self.on:
                return original(compositor, *args, **kwargs)
            if self.profile is not None:
                self.profile.enable()
            started = time.perf_counter()
            try:
                return original(compositor, *args, **kwargs)
            finally:
                self.paint += time.perf_counter() - started
                if self.profile is not None:
                    self.profile.disable()

        return wrapper


@contextmanager
def watching(spent: PaintSpent) -> Iterator[None]:
    """Times the paint of each pop's frame only: on while screen_pop's stopwatch is."""
    render_lines, render_update = Widget.render_lines, Compositor.render_update
    stopwatch = screen_pop._Stopwatch

    class Stopwatch(stopwatch):  # type: ignore[misc, valid-type]
        @property  # type: ignore[override]
        def active(self) -> bool:
            return spent.on

        @active.setter
        def active(self, value: bool) -> None:
            spent.on = value

    Widget.render_lines = spent.render_lines(render_lines)  # type: ignore[method-assign]
    Compositor.render_update = spent.render_update(render_update)  # type: ignore[method-assign]
    screen_pop._Stopwatch = Stopwatch  # type: ignore[misc]
    try:
        yield
    finally:
        Widget.render_lines = render_lines  # type: ignore[method-assign]
        Compositor.render_update = render_update  # type: ignore[method-assign]
        screen_pop._Stopwatch = stopwatch  # type: ignore[misc]


def report(spent: PaintSpent, pops: int) -> str:
    def ms(seconds: float) -> str:
        return f"{seconds / pops * 1000:6.2f} ms"

    widgets = sum(spent.widgets.values())
    lines = [
        f"paint per pop {ms(spent.paint)}: widgets' render_lines {ms(widgets)}, "
        f"the compositor's cutting and joining {ms(spent.paint - widgets)}; "
        f"{len(spent.widgets)} widgets asked",
    ]
    for name, seconds in spent.widgets.most_common():
        share = seconds / spent.paint * 100 if spent.paint else 0.0
        asked = spent.lines[name] / pops
        lines.append(f"  {name:36} {ms(seconds)} {share:4.1f} %  lines {asked:.0f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--heavy", action="store_true", help="the 500-entry ledger")
    parser.add_argument("--cprofile", type=int, default=0, help="show so many functions")
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--calls", type=int, default=100_000)
    args = parser.parse_args()
    path = database(args.customers, args.calls)
    phones = [HEAVY_PHONE] * 20 if args.heavy else sample_phones(path, 30, seed=7)
    spent = PaintSpent(cProfile.Profile() if args.cprofile else None)
    with watching(spent):
        pops = asyncio.run(screen_pop._measure(path, phones))
    print(f"median {pops.median_ms:.1f} ms; {pops.budget()}")
    print(pops.repainted())
    print(report(spent, len(phones)))
    if spent.profile is not None:
        out = io.StringIO()
        pstats.Stats(spent.profile, stream=out).sort_stats("tottime").print_stats(args.cprofile)
        print(out.getvalue())


if __name__ == "__main__":
    main()
