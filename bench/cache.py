"""Data sets the benches build, cached by what they are made of: each in its own folder
under ``bench/data``, named by a hash of its parameters and the schema's migration head, so
a changed schema or size builds a new one and an unchanged one is read again. ``--scale``
(``bench.run``) multiplies every group's sizes, so any group runs small in minutes."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cc_terminal.store.migrate import script_revisions

DATA = Path(__file__).parent / "data"
_scale = [1.0]


def set_scale(scale: float) -> None:
    if scale <= 0:
        raise ValueError("scale must be above 0")
    _scale[0] = scale


def scale() -> float:
    return _scale[0]


def scaled(size: int, least: int = 1) -> int:
    """``size`` at this run's scale (at least ``least``)."""
    return max(least, round(size * _scale[0]))


def migration_head() -> str:
    return script_revisions()[-1]


def key_of(kind: str, params: dict[str, Any]) -> str:
    described = json.dumps({"kind": kind, "head": migration_head(), **params}, sort_keys=True)
    return hashlib.sha256(described.encode()).hexdigest()[:12]


def cached(
    kind: str, params: dict[str, Any], build: Callable[[Path], None], name: str = "data.sqlite3"
) -> Path:
    """The path of ``name`` in the data set's folder, built by ``build(path)`` the first
    time (in a partial folder renamed when done, so an interrupted build is never used)."""
    folder = DATA / f"{kind}-{key_of(kind, params)}"
    path = folder / name
    if path.exists():
        return path
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    started = time.perf_counter()
    build(partial / name)
    (partial / "params.json").write_text(
        json.dumps({"kind": kind, "head": migration_head(), **params}, indent=1, sort_keys=True)
    )
    partial.rename(folder)
    print(f"built {folder.name} ({params}) in {time.perf_counter() - started:.0f} s")
    return path
