"""One format for money on every screen: the region's own ("2 325,60 Kč" in Czechia),
whether the sum comes in minor units (orders, prices) or as a Decimal (pay)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cc_terminal.formats import amount, money, money_of, number, spoken_duration


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


def test_pay_sums_read_as_prices_do():
    assert plain(money_of(Decimal("2325.6"), "CZK")) == "2 325,60 Kč"
    assert plain(money_of(Decimal("0.005"), "CZK")) == "0,01 Kč"  # half up, as payroll
    assert plain(amount(Decimal("1797"))) == "1 797,00"
    assert plain(number(Decimal("8.9"))) == "8,9"
    assert plain(money_of(Decimal("12.5"), "EUR", "DE")) == "12,50 €"


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_a_decimal_sum_and_its_minor_units_are_written_alike(minor):
    assert money_of(Decimal(minor) / 100, "CZK") == money(minor, "CZK")


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (0, "0 min 00 s"),
        (273, "4 min 33 s"),
        (3599, "59 min 59 s"),
        (3600, "1 h 00 min"),
        (8 * 3600 + 5 * 60 + 59, "8 h 05 min"),
        (-5, "0 min 00 s"),
    ],
)
def test_a_duration_says_its_unit_so_minutes_never_read_as_hours(seconds, said):
    assert spoken_duration(seconds) == said
