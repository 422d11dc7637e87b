"""Statements a service runs many times a second (a chat's reads, a line's write), built
once: SQLAlchemy then neither builds the statement nor computes its cache key at each
call; the values are bound at each run.

``built_once`` is ``functools.cache`` that can be forgotten: a mutation run builds each
statement again in every mutant's test run (mutation/mutant_copies.py), or a mutant of a
builder would never be built."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

Builder = TypeVar("Builder", bound=Callable[..., Any])
_BUILT: list[Any] = []


def built_once(builder: Builder) -> Builder:
    cached = functools.cache(builder)
    _BUILT.append(cached)
    return cast(Builder, cached)


def forget_built() -> None:
    for cached in _BUILT:
        cached.cache_clear()
