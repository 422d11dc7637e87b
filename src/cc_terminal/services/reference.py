"""Closed lists shipped with the package: call reasons and outcomes."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from cc_terminal.services.views import Choice


@cache
def _reference() -> dict[str, list[dict[str, str]]]:
    text = resources.files("cc_terminal.data").joinpath("reference.json").read_text("utf-8")
    return json.loads(text)


def call_reasons() -> tuple[Choice, ...]:
    return tuple(Choice(**item) for item in _reference()["call_reasons"])


def call_outcomes() -> tuple[Choice, ...]:
    return tuple(Choice(**item) for item in _reference()["call_outcomes"])
