"""The garbage collector waits while a caller's card comes up.

A lookup with a long ledger makes thousands of short-lived objects (the ledger's rows),
enough to start the collector's passes; a pass holds the interpreter, so when it fell in
the card's frame it added 5 to 10 ms to a pop of 500 entries. From Enter until the card's
frame is painted the collector is off; what the pop made is collected right after. It is
never off for long: at most PAUSE_AT_MOST seconds, whatever happens to the lookup."""

from __future__ import annotations

import gc

PAUSE_AT_MOST = 0.5


class CollectorPause:
    """Turns the collector off, and on again only if it was on when paused."""

    def __init__(self) -> None:
        self.paused = False

    def pause(self) -> None:
        if gc.isenabled():
            gc.disable()
            self.paused = True

    def resume(self) -> None:
        if self.paused:
            self.paused = False
            gc.enable()


COLLECTOR = CollectorPause()  # one collector per process, so one pause
