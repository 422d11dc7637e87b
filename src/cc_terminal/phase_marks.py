"""Marks at the edges of the screen pop's own phases, for the benchmark (bench/screen_pop.py):
the lookup in its worker, the ledger's queries inside it, and the screen filling the card.
Nobody listens in the workstation, where a mark costs one global read and a comparison; the
benchmark sets ``listener`` and takes the time of each mark itself."""

from __future__ import annotations

from collections.abc import Callable

listener: Callable[[str], None] | None = None


def mark(name: str) -> None:
    if listener is not None:
        listener(name)
