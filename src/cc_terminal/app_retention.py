"""The daily retention erasure, run by the workstation itself: every quarter of an hour
the open workstation checks, as whoever is signed in; the first check of the day finds the
floor's run due and makes it, every later one that day (here, or on another terminal once
the run has synced) finds it done. Nobody has to open a screen for it, and the
check waits its quarter of an hour after the start, off the sign-in's path.
``cc-terminal retention run`` is the same for cron."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from cc_terminal.session_log import log, log_failure

if TYPE_CHECKING:
    from cc_terminal.screens.base import WorkstationApp
    from cc_terminal.services.common.views import Actor
    from cc_terminal.services.workstation import Workstation

CHECK_SECONDS = 15 * 60


def watch_retention(app: WorkstationApp) -> None:
    app.set_interval(CHECK_SECONDS, partial(erase_when_due, app))


def erase_when_due(app: WorkstationApp) -> None:
    actor, services = app.actor, app.services
    if actor is None or services is None:
        return
    app.run_worker(
        partial(_erase_when_due, services, actor),
        thread=True,
        exclusive=True,
        group="retention",
        exit_on_error=False,
    )


def _erase_when_due(services: Workstation, actor: Actor) -> None:
    # A background duty: a failure is logged and tried again at the next check, never a
    # notice on the operator's screen every quarter of an hour.
    try:
        done = services.retention.run_if_due(actor)
    except Exception as error:
        log_failure("the retention erasure", error)
        return
    if done is not None:
        log.info("retention erasure: %s", done.summary())
