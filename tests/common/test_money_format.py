"""One format for money on every screen: the region's own ("2 325,60 Kč" in Czechia),
whether the sum comes in minor units (orders, prices) or as a Decimal (pay)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cc_terminal.formats import amount, money, money_of, number


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
