"""A program's wall clock set to a moment by libfaketime's ``faketime`` wrapper (the
end-to-end tests run the real CLI on a Friday afternoon, inside the calling window)."""

from __future__ import annotations


def at_moment(moment: str) -> list[str]:
    """``env`` arguments that run the command after them with its wall clock started at
    ``moment`` (``@YYYY-MM-DD HH:MM:SS`` in UTC; it ticks on from there).

    The wrapper, not the library preloaded alone: the library without the wrapper's shared
    clock sets ``FAKETIME_SHARED`` in the process's environment itself, and a CI run of the
    app that way died in libc's ``getenv`` (a general protection fault) while solving a
    roster. The wrapper names its semaphore after its own PID, so one left behind by a
    killed wrapper stops a later one with that PID ("sem_open: File exists"):
    ``bench.terminal.Terminal.close`` removes a killed pane's."""
    return ["TZ=UTC", "FAKETIME_DONT_FAKE_MONOTONIC=1", "faketime", "-f", moment]
