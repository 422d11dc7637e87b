"""A read's result shown only if no newer read replaced it.

A read runs in a thread worker of an exclusive group, so a newer read (a notice's, a save's)
cancels the older one; but a thread cannot be stopped, and the older read runs to its end
and hands its result to the screen. Read before a change that the newer read sees, it
would be shown over the newer result, and stay: a decided request back in the queue, an
account's old state under its new password. ``show_latest`` is how such a worker hands its
result over; the check is made on the app's thread, where the newer worker cancels the
older, so there is no moment between the check and the showing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.worker import get_current_worker


def show_latest(app: Any, show: Callable[..., object], *args: Any) -> None:
    """From a thread worker: ``show(*args)`` on the app's thread, unless the worker was
    cancelled meanwhile (replaced by a newer one of its group, or its screen gone)."""
    worker = get_current_worker()

    def shown() -> None:
        if not worker.is_cancelled:
            show(*args)

    app.call_from_thread(shown)
