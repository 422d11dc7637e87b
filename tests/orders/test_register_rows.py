"""The register's column-by-column reading (issue 29) gives exactly what the row-by-row
reading gives, or declines (None) and leaves the file to it: compared on generated files
whose values are drawn near every check's edge (spaces, zeros, commas, quotes, control
characters, ragged rows, repeated codes)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cc_terminal.services.common.text_files import decode, records
from cc_terminal.services.orders import address_register as register
from cc_terminal.services.orders.register_rows import plain_points
from tests.orders.order_floor import REGISTER_HEADER

NUMBERS = st.sampled_from(("1", "12", "0", "007", "", " 5", "5 ", "2147483647", "2147483648",
                           "99999999999", "x", "²", "1.5"))  # fmt: skip
NAMES = st.sampled_from(("Lhota", "", " Kolín ", "Žďár\xa0", "Praha 7", "a\x1bb", "Lh\tota",
                         "x" * 90, "Náměstí Míru", "\u202eabc"))  # fmt: skip
KINDS = st.sampled_from(("č.p.", "č.ev.", "chata", " č.p.", ""))
POSTAL = st.sampled_from(("17000", "170 00", "1700", "17000 ", "abcde", "", "１７０００"))
LETTERS = st.sampled_from(("", "a", "B", " ", "ab", "İ", " c"))
COORDINATES = st.sampled_from(("", "741272.24", "741272,24", " 5 ", "nan", "-inf", "1e9",
                               "x", "1_000", "-5.5", "\x1c7"))  # fmt: skip
ENDS = st.sampled_from(("\r\n", "\n", "\r"))


@st.composite
def rows(draw: st.DrawFn) -> str:
    code = draw(st.one_of(st.integers(1, 30).map(str), NUMBERS))
    values = [
        code, draw(st.sampled_from(("500011", "500012")) | NUMBERS), draw(NAMES), "",
        draw(NAMES), "", draw(NAMES), "", draw(NAMES), "", draw(NAMES), draw(KINDS),
        draw(NUMBERS | st.just("3")), draw(NUMBERS | st.just("")), draw(LETTERS),
        draw(POSTAL), draw(COORDINATES), draw(COORDINATES), "2020-01-01",
    ]  # fmt: skip
    line = ";".join(values)
    damage = draw(st.sampled_from(("", "", "", "", "quote", "short", "long", "blank", "nul")))
    return {
        "": line,
        "quote": line.replace("Lhota", '"Lh;ota"', 1),
        "short": line.rsplit(";", 2)[0],
        "long": line + ";extra",
        "blank": ";;;",
        "nul": line + "\x00",
    }[damage]


@st.composite
def files(draw: st.DrawFn) -> bytes:
    clean = draw(st.booleans())
    lines = draw(st.lists(_clean_rows() if clean else rows(), min_size=1, max_size=12))
    end = draw(ENDS)
    return (end.join([REGISTER_HEADER, *lines]) + draw(st.sampled_from(("", end)))).encode(
        "cp1250", errors="replace"
    )


def _clean_rows() -> st.SearchStrategy[str]:
    return st.builds(
        lambda code, name, letter, y: (
            f"{code};500011;{name};;;;;1;Lhota;;Dlouhá;č.p.;3;5;{letter};17000;{y};1.5;x"
        ),
        st.integers(1, 10**6),
        st.sampled_from(("Lhota", "Kolín", " Brno ")),
        st.sampled_from(("", "a", "B")),
        st.sampled_from(("", "741272.24", "7,5")),
    )


def _row_by_row(data: bytes) -> tuple[list[tuple[object, ...]], list[str]]:
    found = records(decode(data, (register.ENCODING,)), ";")
    where, missing = register._column_places(next(found, None))
    assert not missing
    return register._valid_points("f.csv", found, where)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(files())
def test_the_columns_read_what_the_rows_read(data: bytes) -> None:
    plain = plain_points(decode(data, (register.ENCODING,)), register._known_columns)
    points, rejected = _row_by_row(data)
    if plain is not None:
        assert plain == points and rejected == []


def test_a_plain_file_is_read_by_its_columns() -> None:
    """Not a vacuous comparison: a clean file takes the column path."""
    lines = [f"{code};500011;Lhota;;;;;1;Lhota;;Dlouhá;č.p.;{code};;;17000;;;x" for code in (1, 2)]
    data = "\r\n".join([REGISTER_HEADER, *lines, ""]).encode("cp1250")
    plain = plain_points(decode(data, (register.ENCODING,)), register._known_columns)
    assert plain is not None and plain == _row_by_row(data)[0] and len(plain) == 2


LONG_NAMES = st.sampled_from(("Lhota", "Žďár nad Sázavou", "x" * 60, "x" * 61, "y" * 80, "y" * 81))
FAR_OR_NOT = st.sampled_from(("", "741272.24", "7,5", "9999999.99", "10000000", "-12.5"))


def _valid_line(draw: st.DrawFn, code: int) -> str:
    values = [
        str(code), "500011", draw(LONG_NAMES), "", "", "", "", "1",
        draw(st.sampled_from(("Lhota", "x" * 61))), "", draw(st.sampled_from(("Dlouhá", ""))),
        draw(st.sampled_from(("č.p.", "č.ev."))), draw(st.sampled_from(("3", "2147483647"))),
        draw(st.sampled_from(("5", ""))), draw(st.sampled_from(("", "a", "B"))),
        draw(st.sampled_from(("17000", "170 00"))), draw(FAR_OR_NOT), draw(FAR_OR_NOT), "x",
    ]  # fmt: skip
    return ";".join(values)


@st.composite
def valid_files(draw: st.DrawFn) -> bytes:
    codes = draw(st.lists(st.integers(1, 2**31 - 1), min_size=1, max_size=8, unique=True))
    lines = [_valid_line(draw, code) for code in codes]
    end = draw(st.sampled_from(("\r\n", "\n")))
    return (end.join([REGISTER_HEADER, *lines]) + draw(st.sampled_from(("", end)))).encode("cp1250")


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(valid_files())
def test_a_file_the_rows_take_whole_is_read_by_its_columns(data: bytes) -> None:
    """Declining is only for what the row-by-row reading rejects or cannot split plainly:
    a file whose every row it takes is read by the columns, to the same points."""
    points, rejected = _row_by_row(data)
    if not rejected:
        assert plain_points(decode(data, (register.ENCODING,)), register._known_columns) == points
