"""A failed picture says in text what it showed (tests/picture_diff.py)."""

from __future__ import annotations

from pathlib import Path

from tests.picture_diff import difference, rows

PICTURE = Path(__file__).parent / "screens/__snapshots__/test_snapshots/test_login[120x40].svg"


def test_the_rows_are_the_screens_text():
    screen = rows(PICTURE.read_text())
    assert len(screen) == 40
    assert any("cc-terminal" in row for row in screen)


def test_a_changed_word_is_the_difference():
    accepted = PICTURE.read_text()
    shown = accepted.replace("cc-terminal&#160;·", "cc-terminal&#160;!", 1)
    said = difference(accepted, shown)
    assert "-" + next(row for row in rows(accepted) if "cc-terminal ·" in row) in said
    assert "+" + next(row for row in rows(shown) if "cc-terminal !" in row) in said


def test_a_changed_colour_with_the_same_text_is_said_as_styled_runs():
    accepted = PICTURE.read_text()
    shown = accepted.replace("{ fill: #e0e0e0 }", "{ fill: #ff0000 }", 1)
    assert shown != accepted
    said = difference(accepted, shown)
    assert "#ff0000" in said and "#e0e0e0" in said


def test_the_same_picture_has_no_difference():
    assert difference(PICTURE.read_text(), PICTURE.read_text()) == "no difference in text or style"
