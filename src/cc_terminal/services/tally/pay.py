"""Pay for one period under a plan, from counted figures (TALLY_PAY_ROSTER.md, Pay schemes).

Pure arithmetic: the service counts hours, calls, messages, chats, successes and sales from
the records and hands them here; the same function prices a closed period, the preview and
the what-if. Quantities stay exact until priced (paid hours are the records' seconds / 3600,
a Fraction: 36 h 40 min rounded to 36.67 h first paid 0.50 too much at 150 an hour); each
pay line is rounded to the cent once, and the total is the sum of the lines the payslip
shows. A chat pays its messages (``Nm * r_m``) and, on a plan with a per-chat rate, itself
once (``Nch * r_ch``); neither is gated by quality nor taken back by a reversal."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from cc_terminal.formats import duration
from cc_terminal.i18n import N_
from cc_terminal.models import PayScheme

ZERO = Decimal(0)


@dataclass(frozen=True)
class PlanTerms:
    """A plan's rates; ``None`` is a part the plan does not pay. Shares are fractions."""

    code: str
    name: str
    scheme: PayScheme
    currency: str = "CZK"
    hourly: Decimal | None = None
    per_call: Decimal | None = None
    per_message: Decimal | None = None
    per_chat: Decimal | None = None  # each chat handled, beside its messages
    min_talk_seconds: int = 0
    per_success: Decimal | None = None
    sales_share: Decimal | None = None
    sales_quota: Decimal | None = None
    sales_share_above: Decimal | None = None
    qa_gate: Decimal | None = None
    floor_hourly: Decimal | None = None
    hold_days: int = 14


@dataclass(frozen=True)
class PayFigures:
    """What the records say for the period: ``H``, ``Nc``, ``Nm``, ``Nch``, ``Ns``,
    ``S``, ``Q``."""

    paid_hours: Fraction | Decimal = ZERO  # exact, never rounded before it is priced
    valid_calls: int = 0
    valid_messages: int = 0
    chats: int = 0  # chats handled (closed) in the period, whatever their length
    successes: int = 0
    net_sales: Decimal = ZERO
    qa: Decimal | None = None  # None: no evaluation in the period, the gate stays open
    reversed_successes: int = 0
    reversed_sales: Decimal = ZERO


@dataclass(frozen=True)
class PayLineItem:
    component: str
    quantity: str
    amount: Decimal


@dataclass(frozen=True)
class PayResult:
    lines: tuple[PayLineItem, ...]
    withheld: Decimal  # the success and sales part the quality gate kept back
    top_up: Decimal
    total: Decimal
    currency: str
    gate_passed: bool

    @property
    def per_hour(self) -> Decimal | None:
        line = next((line for line in self.lines if line.component == "hourly"), None)
        hours = parse_hours(line.quantity) if line is not None else None
        return cents(Fraction(self.total) / hours) if hours else None


COMPONENT_LABELS = {
    "hourly": N_("Paid hours"),
    "calls": N_("Valid calls"),
    "messages": N_("Valid messages"),
    "chats": N_("Chats handled"),
    "successes": N_("Successes"),
    "sales": N_("Share of net sales"),
    "top_up": N_("Top-up to the hourly floor"),
    "reversal": N_("Cancelled after payment"),
}


def cents(value: Decimal | Fraction) -> Decimal:
    """Rounded to the cent, half away from zero; exact for a Fraction, never via a float."""
    exact = Fraction(value) * 100
    whole, rest = divmod(abs(exact.numerator), exact.denominator)
    if 2 * rest >= exact.denominator:
        whole += 1
    return Decimal(whole if exact >= 0 else -whole).scaleb(-2)


def hours_text(hours: Fraction | Decimal) -> str:
    """Paid hours as a payslip shows them, exactly: 36:40 (36:40:15 with seconds)."""
    return duration(hours_span(hours))


def hours_span(hours: Fraction | Decimal) -> timedelta:
    return timedelta(seconds=round(Fraction(hours) * 3600))  # the records: whole seconds


def parse_hours(text: str) -> Fraction | None:
    """The hours of a pay line: 36:40, 36:40:15, or a decimal (periods closed before)."""
    try:
        if ":" not in text:
            return Fraction(Decimal(text or "0"))
        parts = [int(part) for part in text.split(":")]
    except (ValueError, ArithmeticError):
        return None
    return Fraction(parts[0]) + sum(
        (Fraction(part, 60**n) for n, part in enumerate(parts[1:], start=1)), Fraction(0)
    )


def sales_pay(terms: PlanTerms, sales: Decimal) -> Decimal:
    """The share of net sales, at a higher share above the quota when the plan has one."""
    if terms.sales_share is None:
        return ZERO
    if terms.sales_quota is None or terms.sales_share_above is None:
        return terms.sales_share * sales
    below = min(sales, terms.sales_quota)
    above = max(ZERO, sales - terms.sales_quota)
    return terms.sales_share * below + terms.sales_share_above * above


def compute_pay(terms: PlanTerms, figures: PayFigures) -> PayResult:
    lines: list[PayLineItem] = []

    def line(component: str, quantity: object, exact: Decimal | Fraction) -> Decimal:
        amount = cents(exact)
        lines.append(PayLineItem(component, str(quantity), amount))
        return amount

    hours = Fraction(figures.paid_hours)
    paid = ZERO
    if terms.hourly is not None:
        paid += line("hourly", hours_text(hours), hours * Fraction(terms.hourly))
    if terms.per_call is not None:
        paid += line("calls", figures.valid_calls, figures.valid_calls * terms.per_call)
    if terms.per_message is not None:
        paid += line("messages", figures.valid_messages, figures.valid_messages * terms.per_message)
    if terms.per_chat is not None:
        paid += line("chats", figures.chats, figures.chats * terms.per_chat)
    gated = ZERO
    if terms.per_success is not None:
        gated += line("successes", figures.successes, figures.successes * terms.per_success)
    if terms.sales_share is not None:
        gated += line("sales", figures.net_sales, sales_pay(terms, figures.net_sales))
    gate_passed = terms.qa_gate is None or figures.qa is None or figures.qa >= terms.qa_gate
    withheld = ZERO if gate_passed else gated
    paid += gated - withheld
    if figures.reversed_successes or figures.reversed_sales:
        reversal = figures.reversed_successes * (terms.per_success or ZERO)
        reversal += (terms.sales_share or ZERO) * figures.reversed_sales
        paid += line("reversal", -figures.reversed_successes, -reversal)
    top_up = ZERO
    if terms.floor_hourly is not None and hours > 0:
        floor = cents(hours * Fraction(terms.floor_hourly))
        if paid < floor:
            top_up = line("top_up", hours_text(hours), floor - paid)
    return PayResult(tuple(lines), withheld, top_up, paid + top_up, terms.currency, gate_passed)


def what_if(terms: PlanTerms, figures: PayFigures, more_sales: int) -> Decimal:
    """How much more ``more_sales`` sales at the period's average sale would pay."""
    more = figures.net_sales * more_sales / figures.successes if figures.successes else ZERO
    better = replace(
        figures, successes=figures.successes + more_sales, net_sales=figures.net_sales + more
    )
    return compute_pay(terms, better).total - compute_pay(terms, figures).total
