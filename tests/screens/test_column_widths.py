"""Columns sharing a table's width by content: whole while they fit, the widest give way
first, never below a title or a word."""

from rich.text import Text

from cc_terminal.widgets.column_widths import content_widths, shared_widths


def test_columns_that_fit_keep_their_content_width():
    assert shared_widths([5, 13, 40], 80, [5, 6, 8]) == [5, 13, 40]


def test_the_widest_gives_way_first_down_to_a_common_ceiling():
    assert shared_widths([5, 13, 60], 40, [5, 6, 8]) == [5, 13, 22]
    assert shared_widths([5, 30, 60], 40, [5, 6, 8]) == [5, 17, 17]


def test_no_column_is_cut_below_its_floor():
    assert shared_widths([9, 14, 60], 20, [9, 9, 12]) == [9, 9, 12]


def test_floors_are_the_title_or_the_longest_word_up_to_twelve():
    widths, floors = content_widths(["Who", "Notes"], [[Text("Svobodová"), "a " + "x" * 30 + " b"]])
    assert widths == [9, 34]
    assert floors == [9, 12]
