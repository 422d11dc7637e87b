"""The loan arithmetic: the monthly payment of an annuity and the checks of an application
against the product's limits. Money is Decimal in the currency's major unit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")


@dataclass(frozen=True)
class LoanTerms:
    code: str
    name: str
    min_amount: Decimal
    max_amount: Decimal
    min_months: int
    max_months: int
    yearly_rate: Decimal  # per cent, 8.99
    max_payment_share: int  # per cent of the monthly income
    currency: str


def monthly_payment(principal: Decimal, yearly_rate: Decimal, months: int) -> Decimal:
    """P * r / (1 - (1 + r)^-n) with r the monthly rate, rounded half up to the cent;
    P / n without interest."""
    if months <= 0:
        raise ValueError("months must be positive")
    with localcontext() as context:
        context.prec = 34
        rate = yearly_rate / Decimal(1200)
        if rate == 0:
            payment = principal / months
        else:
            payment = principal * rate / (1 - (1 + rate) ** -months)
    return payment.quantize(CENT, rounding=ROUND_HALF_UP)


def total_repaid(payment: Decimal, months: int) -> Decimal:
    return payment * months
