"""Keep the garbage collector's full passes short enough not to be felt.

A full collection walks every object the collector tracks: about 145,000 once the app has
started (Textual, SQLAlchemy, phonenumbers, the screens), which took 60 to 110 ms and
landed in the middle of a screen pop every few calls. What exists after start-up and
sign-in lives as long as the app, so it is frozen: moved where the collector no longer
walks it. A full pass then walks only what came later (5 to 10 ms)."""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    gc.collect(1)  # the young garbage goes first; what is left is meant to stay
    gc.freeze()
