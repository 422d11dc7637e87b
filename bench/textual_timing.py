"""The one place the benchmarks reach into Textual's own work: how long the compositor takes
to place the widgets (``Compositor.reflow``) and to render the changed lines
(``Compositor.render_update``), and when a frame is handed to the display
(``App._display``); and, for the pop's budget, how much of the screen a pop repaints: which
widgets the compositor asks for their lines (``Widget.render_lines``), how many lines are
rendered anew rather than taken from a widget's cache (``StylesCache.render_line``), how
many widgets render their content again (``Widget._render_content``), how many nodes get
the stylesheet applied again (``Stylesheet.apply``) and how many layouts run. These are
Textual's internals, not its API: they are wrapped here, in this process only, and
tests/test_bench_hooks.py fails when a Textual upgrade moves them, so that the figures never
quietly stop measuring. Everything of cc-terminal's own is timed through
cc_terminal.phase_marks instead."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from textual._compositor import Compositor
from textual._styles_cache import StylesCache
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen
from textual.widget import Widget

WRAPPED = (
    (Compositor, "reflow"),
    (Compositor, "render_update"),
    (App, "_display"),
)
COUNTED = (
    (Compositor, "reflow"),
    (Compositor, "reflow_visible"),
    (Compositor, "render_full_update"),
    (Compositor, "render_partial_update"),
    (Widget, "render_lines"),
    (Widget, "_render_content"),
    (StylesCache, "render_line"),
    (Stylesheet, "apply"),
)


@contextmanager
def textual_timed(
    app: App[Any], spent: dict[str, float], on_frame: Callable[[object], None]
) -> Iterator[None]:
    """Adds the seconds of layout and paint into ``spent`` and calls ``on_frame`` with each
    renderable handed to the display, while the block runs."""
    reflow, render = Compositor.reflow, Compositor.render_update
    display = app._display

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    def frame(screen: Screen[Any], renderable: Any) -> None:
        display(screen, renderable)
        on_frame(renderable)

    Compositor.reflow = timed("layout", reflow)  # type: ignore[method-assign]
    Compositor.render_update = timed("paint", render)  # type: ignore[method-assign]
    app._display = frame  # type: ignore[method-assign]
    try:
        yield
    finally:
        Compositor.reflow = reflow  # type: ignore[method-assign]
        Compositor.render_update = render  # type: ignore[method-assign]
        del app._display


class FirstFrame:
    """The first frame handed to the display after ``clear``: when (``at``, taken in the
    frame itself) and an event to await. The awaiting coroutine runs only after whatever
    the app queued behind the frame (a focus move after the refresh, say), so its own
    clock would count that work as the frame's."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.at = 0.0

    def clear(self) -> None:
        self.event.clear()
        self.at = 0.0

    def seen(self) -> None:
        if not self.event.is_set():
            self.at = time.perf_counter()
            self.event.set()

    async def wait(self) -> float:
        await self.event.wait()
        return self.at


@dataclass
class Repaints:
    """What Textual did while counting: per widget class, how often the compositor asked it
    for its lines (``composited``), how many of its lines were rendered anew (``lines``),
    how often it rendered its content (``rendered``) and had the stylesheet applied
    (``restyled``); and how many layouts and frames (whole screen or changed lines) ran."""

    composited: Counter[str] = field(default_factory=Counter)
    lines: Counter[str] = field(default_factory=Counter)
    rendered: Counter[str] = field(default_factory=Counter)
    restyled: Counter[str] = field(default_factory=Counter)
    layouts: int = 0
    scroll_layouts: int = 0
    full_frames: int = 0
    partial_frames: int = 0

    def add(self, other: Repaints) -> None:
        for name in ("composited", "lines", "rendered", "restyled"):
            getattr(self, name).update(getattr(other, name))
        self.layouts += other.layouts
        self.scroll_layouts += other.scroll_layouts
        self.full_frames += other.full_frames
        self.partial_frames += other.partial_frames


def _counter(repaints: Repaints, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` wrapped to count its calls into ``repaints`` under ``name``."""

    def owner(self: Any, args: tuple[Any, ...]) -> str:
        if name == "lines":  # StylesCache.render_line(styles, y, ..., render_content_line)
            return type(getattr(args[7], "__self__", None)).__name__
        if name == "restyled":  # Stylesheet.apply(node)
            return type(args[0]).__name__
        return type(self).__name__

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        counts = getattr(repaints, name)
        if isinstance(counts, Counter):
            counts[owner(self, args)] += 1
        else:
            setattr(repaints, name, counts + 1)
        return function(self, *args, **kwargs)

    return wrapper


COUNTS = (
    "layouts",
    "scroll_layouts",
    "full_frames",
    "partial_frames",
    "composited",
    "rendered",
    "lines",
    "restyled",
)


@contextmanager
def textual_counted(repaints: Repaints) -> Iterator[Repaints]:
    """Counts into ``repaints`` what Textual repaints while the block runs."""
    with ExitStack() as undo:
        for (owner, method), name in zip(COUNTED, COUNTS, strict=True):
            original = owner.__dict__[method]
            setattr(owner, method, _counter(repaints, name, original))
            undo.callback(setattr, owner, method, original)
        yield repaints
