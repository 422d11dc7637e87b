"""Every snapshot in both languages: ``snap_compare`` takes the English picture as it always
has (same file), then the same steps on a twin of the app in Czech, from a copy of its
database and data folder made before the English run and at the clock's same moment, into
``<test>[cs].svg`` beside it. Both apps run with Textual's animations off: a picture is of
the screen once settled, so ``still`` (tests/tui.py) has no tab underline to wait for."""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import pytest_textual_snapshot
from syrupy.assertion import SnapshotAssertion

from cc_terminal.app import CCTerminal
from cc_terminal.i18n import set_language
from tests.picture_diff import difference

PICTURED_LANGUAGES = ("cs",)  # besides English, the source language


class _Named:
    """The snapshot the plugin makes its SVG assertion from, under a name of its own."""

    def __init__(self, snapshot: SnapshotAssertion, name: str) -> None:
        self.snapshot, self.name = snapshot, name

    def use_extension(self, extension: Any) -> SnapshotAssertion:
        return self.snapshot.use_extension(extension)(name=self.name)


def _twin(app: CCTerminal, folder: Path, language: str) -> Callable[[], CCTerminal] | None:
    """A maker of the same app in ``language`` on a copy of its store as it is now (an
    app on PostgreSQL is pictured in English only)."""
    settings = app.settings
    database = settings.database_path
    if database is None or not database.exists():
        return None
    twin_data = folder / f"pictured-{language}"
    shutil.copytree(settings.data_dir, twin_data, ignore=shutil.ignore_patterns("pictured-*"))
    twin_database = twin_data / database.name
    if not twin_database.exists():
        for part in database.parent.glob(f"{database.name}*"):  # with its -wal and -shm
            shutil.copy2(part, twin_data / part.name)
    twin_settings = replace(
        settings, db_url=f"sqlite:///{twin_database}", data_dir=twin_data, language=language
    )
    clock = app.clock
    moment = getattr(clock, "now", None)

    def make() -> CCTerminal:
        if moment is not None:
            clock.now = moment  # type: ignore[attr-defined]  # the steps may have moved it
        twin = CCTerminal(twin_settings, clock=clock)
        twin.animation_level = "none"  # as its English picture's app (compare)
        return twin

    return make


@pytest.fixture
def snap_compare(snapshot: SnapshotAssertion, request: pytest.FixtureRequest, tmp_path: Path):
    plugin = pytest_textual_snapshot.snap_compare.__wrapped__
    english = _saying_what_differs(plugin(snapshot, request), request, "en")
    others = {
        language: _saying_what_differs(
            plugin(_Named(snapshot, language), request), request, language
        )
        for language in PICTURED_LANGUAGES
    }

    def compare(app: Any, press: Any = (), terminal_size: Any = (80, 24), run_before: Any = None):
        twins = {}
        if isinstance(app, CCTerminal):
            # Pictures of screens once settled: no tab underline to wait for (tests/tui.py
            # without_animations; tests.tui imports this module's importer, tests.conftest).
            app.animation_level = "none"
            twins = {language: _twin(app, tmp_path, language) for language in others}
        same = english(app, press, terminal_size, run_before)
        if twins:
            app.services = None  # a step that reached past its pilot to this app fails loudly
        try:
            for language, make in twins.items():
                if make is not None:
                    same = others[language](make(), press, terminal_size, run_before) and same
        finally:
            set_language("en")
        return same

    return compare


def _saying_what_differs(
    compare: Callable[..., bool], request: pytest.FixtureRequest, language: str
) -> Callable[..., bool]:
    """The plugin's compare, printing (into the failed test's captured output) the rows
    that differ: its HTML report is a file on the machine that ran it."""

    def compared(*args: Any) -> bool:
        same = compare(*args)
        if not same:
            report = pytest_textual_snapshot.node_to_report_path(request.node)
            expected, actual = pickle.loads(report.read_bytes())[1:3]
            print(f"The {language} picture differs from the accepted one:")
            print(difference(expected, actual))
        return same

    return compared
