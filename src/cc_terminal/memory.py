"""Keep the garbage collector's full passes short enough not to be felt.

A full collection walks every object the collector tracks: about 145,000 once the app has
started (Textual, SQLAlchemy, phonenumbers, the screens), which took 60 to 110 ms and
landed in the middle of a screen pop every few calls. What exists after start-up and
sign-in lives as long as the app, so it is frozen: moved where the collector no longer
walks it. A full pass then walks only what came later (5 to 10 ms).

Start-up itself (importing Textual, the screens, then SQLAlchemy and the models) makes
hundreds of thousands of objects that all stay: the collector's passes over them while they
are made find nothing and cost 15 % of the imports. So the collector waits until the
long-lived objects are frozen."""

from __future__ import annotations

import gc


def collect_after_start_up() -> None:
    """Called first thing by the command that starts the workstation."""
    gc.disable()


def freeze_long_lived() -> None:
    gc.collect(1)  # the young garbage goes first; what is left is meant to stay
    gc.freeze()
    gc.enable()
