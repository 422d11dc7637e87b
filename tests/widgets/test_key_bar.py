"""The key bar shows as many keys as fit, in their rank; the first that does not keeps its
key and the whole words that fit, then an ellipsis: never a word cut in the middle."""

from __future__ import annotations

import pytest
from rich.style import Style
from rich.text import Text

from cc_terminal.widgets.footer import whole_entries

ENTRIES = ["n New ", "r Retire / restore ", "i Import ", "f Floor "]  # 6, 19, 9, 8 cells


def shown(room: int) -> str:
    return whole_entries([Text(entry) for entry in ENTRIES], room, Style()).plain


@pytest.mark.parametrize(
    ("room", "line"),
    [
        (42, "n New r Retire / restore i Import f Floor "),  # all fit: no ellipsis
        (41, "n New r Retire / restore i Import …"),  # "f Floor…" needs 8, 7 are left
        (35, "n New r Retire / restore i Import …"),  # "f Floor" would need 8 more
        (34, "n New r Retire / restore i Import…"),
        (33, "n New r Retire / restore …"),  # i and a word need 8, the ellipsis 1
        (25, "n New r Retire / restore…"),
        (24, "n New r Retire /…"),  # a word of "Retire / restore" at a time
        (15, "n New r Retire…"),
        (14, "n New …"),
        (6, "n New…"),
        (5, "…"),
        (1, "…"),
    ],
)
def test_keys_are_shown_whole_then_an_ellipsis(room, line):
    assert shown(room) == line
    assert len(shown(room)) <= max(room, 1)
