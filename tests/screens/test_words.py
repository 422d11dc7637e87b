"""Words drawn in the language of the moment (widgets/words.py): a label table marked at
import follows a language set later, a key it does not know is shown as stored, and
distances and shares are written as the language writes them."""

from __future__ import annotations

import gettext
from collections.abc import Iterator

import pytest

from cc_terminal.i18n import N_, set_language, use_translations
from cc_terminal.widgets.words import (
    kilometres,
    label,
    labelled,
    percent,
    shipped,
    titled,
)

LABELS = {"open": N_("open"), "done": N_("done")}


class Marked(gettext.NullTranslations):
    """Every translated string in brackets, so a test sees what went through the catalogue."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"


@pytest.fixture
def marked() -> Iterator[None]:
    use_translations(Marked(), "pseudo")
    yield
    set_language("en")


@pytest.fixture
def czech() -> Iterator[None]:
    set_language("cs")
    yield
    set_language("en")


def test_a_label_is_translated_when_drawn_not_when_imported(marked: None) -> None:
    assert LABELS["open"] == "open"
    assert label(LABELS, "open") == "⟦open⟧"
    assert labelled(LABELS) == [("⟦open⟧", "open"), ("⟦done⟧", "done")]


def test_a_key_the_table_does_not_know_is_shown_as_stored(marked: None) -> None:
    assert label(LABELS, "archived [/]") == "archived [/]"
    assert shipped("") == ""  # the catalogue's "" is its header, never a label


def test_an_empty_column_title_stays_empty(marked: None) -> None:
    assert titled((("", 1), (N_("Number"), 11))) == (("", 1), ("⟦Number⟧", 11))


def test_distances_and_shares_in_english() -> None:
    assert kilometres(1549) == "1.5 km"
    assert percent(0.5) == "50%"


def test_distances_and_shares_in_czech(czech: None) -> None:
    assert kilometres(1549) == "1,5 km"
    assert percent(0.5) == "50\xa0%"


def test_a_language_babel_does_not_know_writes_numbers_as_english(marked: None) -> None:
    assert percent(0.5) == "50%"
