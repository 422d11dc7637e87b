"""The one place the benchmarks reach into Textual's own work: how long the compositor takes
to place the widgets (``Compositor.reflow``) and to render the changed lines
(``Compositor.render_update``), and when a frame is handed to the display
(``App._display``). These are Textual's internals, not its API: they are wrapped here, in
this process only, and tests/test_bench_hooks.py fails when a Textual upgrade moves them,
so that the figures never quietly stop measuring. Everything of cc-terminal's own is timed
through cc_terminal.phase_marks instead."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from textual._compositor import Compositor
from textual.app import App
from textual.screen import Screen

WRAPPED = (
    (Compositor, "reflow"),
    (Compositor, "render_update"),
    (App, "_display"),
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
