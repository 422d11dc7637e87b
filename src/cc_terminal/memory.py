"""Keep the garbage collector's full passes short enough not to be felt.

A full collection walks every object the collector tracks: about 145,000 once the app has
started (Textual, SQLAlchemy, phonenumbers, the screens), which took 60 to 110 ms and
landed in the middle of a screen pop every few calls. What exists after start-up and
sign-in lives as long as the app, so it is frozen: moved where the collector no longer
walks it. A full pass then walks only what came later (5 to 10 ms).

Start-up itself (importing Textual, the screens, then SQLAlchemy and the models) makes
hundreds of thousands of objects that all stay: the collector's passes over them while they
are made find nothing and cost 15 % of the imports. So the collector waits until the
long-lived objects are frozen.

The C library's allocator gets one arena: see ``one_malloc_arena``.

All of this is the process's own business, so only the command that starts the workstation
takes it on (``collect_after_start_up``). An app run inside another program (a test's
Pilot, a bench) leaves that program's collector alone: frozen objects are never freed, so
every app such a program ran after sign-in, with its store's open connections, stayed in
memory to its end (a test process of 1,200 tests grew to 5 GB and 14,000 open files)."""

from __future__ import annotations

import gc
import os
import sys

M_ARENA_MAX = -8  # mallopt's parameter number (glibc's malloc.h)
_collector = {"owned": False}  # set by the workstation's own command, once


def collect_after_start_up() -> None:
    """Called first thing by the command that starts the workstation: from then on the
    process's collector is the workstation's to freeze."""
    take_the_collector()
    gc.disable()
    one_malloc_arena()


def one_malloc_arena() -> None:
    """glibc gives each thread that allocates beside another an arena of its own (up to
    eight a core) and keeps in it what was freed there. The workstation's threads (opening
    the store, the sign-in, each pop's reads, the floor's watch) take turns under the GIL
    anyway, so one arena costs no speed and the terminal holds about 4 MB less after a few
    calls (tmux, the 1M store, sign-in and five calls: 129 -> 125 MB). Before any thread
    starts; ``MALLOC_ARENA_MAX`` set by the administrator stands; nothing elsewhere than
    glibc (musl has no arenas, macOS no ``mallopt``)."""
    if sys.platform != "linux" or "MALLOC_ARENA_MAX" in os.environ:
        return
    import ctypes  # 1.6 ms; only here

    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt is not None:
        mallopt(M_ARENA_MAX, 1)


def take_the_collector() -> None:
    """The process is the workstation's: its collector freezes what lives as long as the
    app (the workstation's command, and a bench that measures the app as it runs)."""
    _collector["owned"] = True


def freeze_long_lived() -> None:
    """What exists now stays out of the collector's passes, in a process the workstation
    took (see the module's text)."""
    if not _collector["owned"]:
        return
    gc.collect(1)  # the young garbage goes first; what is left is meant to stay
    gc.freeze()
    gc.enable()
