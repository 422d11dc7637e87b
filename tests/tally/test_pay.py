"""Pay is priced on exact quantities (issue 19, item 3): paid hours are never rounded before
they are multiplied, each pay line is rounded to the cent once, and the total is the sum of
the lines the payslip shows; on SQLite and PostgreSQL from records to payroll."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from cc_terminal.models import PauseReason, PayLine, PayScheme
from cc_terminal.services.tally.figures import Kpis
from cc_terminal.services.tally.pay import (
    PayFigures,
    PlanTerms,
    cents,
    compute_pay,
    hours_text,
    parse_hours,
)
from cc_terminal.services.tally.pay_plans import PlanDraft
from cc_terminal.services.tally.periods import week_of
from tests.tally.tally_records import add_session

HOURLY = PlanTerms("H", "Hourly", PayScheme.HOURLY, hourly=Decimal("150.00"))
THIRTY_SIX_FORTY = 36 * 3600 + 40 * 60


def test_paid_hours_are_the_records_seconds_exactly():
    assert Kpis(paid_seconds=THIRTY_SIX_FORTY).paid_hours == Fraction(110, 3)


def test_36_hours_40_minutes_pay_exactly_36_and_two_thirds_hours():
    pay = compute_pay(HOURLY, PayFigures(paid_hours=Kpis(paid_seconds=THIRTY_SIX_FORTY).paid_hours))
    (hours,) = pay.lines
    assert (hours.quantity, hours.amount) == ("36:40", Decimal("5500.00"))  # not 5,500.50
    assert pay.total == Decimal("5500.00") and pay.per_hour == Decimal("150.00")


def test_each_line_is_rounded_once_and_the_total_is_their_sum():
    plan = PlanTerms("M", "Mix", PayScheme.MIX, hourly=Decimal("5.40"), sales_share=Decimal("0.03"))
    # 10 s at 5.40/h is 0.015 and 3 % of 0.50 is 0.015: two lines of 0.02, a total of 0.04
    # (rounding the exact sum, 0.03, would pay what no line on the payslip adds up to).
    pay = compute_pay(plan, PayFigures(paid_hours=Fraction(10, 3600), net_sales=Decimal("0.50")))
    assert [line.amount for line in pay.lines] == [Decimal("0.02"), Decimal("0.02")]
    assert pay.total == Decimal("0.04")
    # 4 s at 4.50/h is exactly half a cent: a quantity rounded first (0.00111 h) paid 0.00.
    assert compute_pay(
        PlanTerms("H", "H", PayScheme.HOURLY, hourly=Decimal("4.50")),
        PayFigures(paid_hours=Fraction(4, 3600)),
    ).total == Decimal("0.01")


def test_cents_round_half_away_from_zero_exactly():
    assert cents(Fraction(1, 200)) == Decimal("0.01")
    assert cents(Fraction(-1, 200)) == Decimal("-0.01")
    assert cents(Fraction(1, 201)) == Decimal("0.00")
    assert cents(Decimal("2.345")) == Decimal("2.35")
    assert str(cents(Decimal(7))) == "7.00"
    assert str(cents(Fraction(-1, 1000))) == "0.00"  # never "-0.00" on a payslip


@given(seconds=st.integers(0, 300 * 3600))
def test_hours_read_back_as_the_same_hours(seconds):
    assert parse_hours(hours_text(Fraction(seconds, 3600))) == Fraction(seconds, 3600)


@given(
    seconds=st.integers(0, 300 * 3600),
    hourly=st.integers(0, 100_000),
    per_call=st.integers(0, 1_000),
    calls=st.integers(0, 5_000),
    sales=st.integers(0, 10_000_000),
    share_bp=st.integers(0, 2_000),
    floor=st.integers(0, 100_000),
)
def test_every_line_is_its_exact_price_rounded_once_and_the_total_their_sum(
    seconds, hourly, per_call, calls, sales, share_bp, floor
):
    plan = PlanTerms(
        "M",
        "Mix",
        PayScheme.MIX,
        hourly=Decimal(hourly) / 100,
        per_call=Decimal(per_call) / 100,
        sales_share=Decimal(share_bp) / 10000,
        floor_hourly=Decimal(floor) / 100,
    )
    figures = PayFigures(
        paid_hours=Fraction(seconds, 3600), valid_calls=calls, net_sales=Decimal(sales) / 100
    )
    pay = compute_pay(plan, figures)
    hours = pay.lines[0]
    # seconds * minor units an hour / 3600, half up, in whole numbers: no Decimal at all
    assert hours.amount * 100 == (2 * seconds * hourly + 3600) // 7200
    assert pay.lines[1].amount * 100 == calls * per_call
    assert pay.lines[2].amount * 100 == (2 * sales * share_bp + 10000) // 20000
    assert pay.total == sum((line.amount for line in pay.lines), Decimal(0)) - pay.withheld
    assert all(line.amount == line.amount.quantize(Decimal("0.01")) for line in pay.lines)


MONDAY = datetime(2026, 11, 16, 7, 0, tzinfo=UTC)  # a week the tests' clock has left behind


def test_a_week_of_36_40_pays_5500_from_preview_to_payslip_and_payroll(ws, lead, jana, tmp_path):
    plan = ws.pay_plans.save(lead, PlanDraft("HOUR", "Hourly", "hourly", {"hourly": "150"}))
    ws.pay_plans.assign(lead, jana.operator_id, plan)
    for day in range(5):  # 7:30 with 10 minutes of (unpaid) lunch: 7:20 a day
        start = MONDAY + timedelta(days=day)
        add_session(ws, jana, start, 7.5, [(PauseReason.LUNCH, start + timedelta(hours=4), 10)])
    week = week_of(date(2026, 11, 16))
    preview = ws.tally.report(jana, week).current.pay
    assert preview is not None
    assert [(line.quantity, line.amount) for line in preview.result.lines] == [
        ("36:40", Decimal("5500.00"))
    ]
    ws.tally.close_period(lead, week)
    with ws.db.read() as session:
        stored = session.scalars(select(PayLine).where(PayLine.operator_id == jana.operator_id))
        assert [(line.quantity, line.amount_minor) for line in stored] == [("36:40", 550000)]
    paid = ws.tally.report(jana, week).current.pay
    assert paid is not None and paid.closed
    assert (paid.result.total, paid.result.per_hour) == (Decimal("5500.00"), Decimal("150.00"))
    ws.tally_export.export(lead, week, tmp_path / "pay.csv", "csv")
    with (tmp_path / "pay.csv").open(encoding="utf-8-sig") as file:
        row = next(r for r in csv.DictReader(file, delimiter=";") if r["username"] == "jana")
    assert (row["paid_hours"], row["pay"]) == ("36:40", "5500.00")


MIX_GATED = PlanTerms(
    "G",
    "Gated mix",
    PayScheme.MIX,
    per_success=Decimal("100.00"),
    sales_share=Decimal("0.05"),
    qa_gate=Decimal("0.80"),
)


def test_a_quality_score_exactly_at_the_gate_passes_it_and_one_point_below_withholds():
    at_gate = compute_pay(MIX_GATED, PayFigures(successes=2, qa=Decimal("0.80")))
    assert at_gate.gate_passed and at_gate.withheld == Decimal("0") and at_gate.total == 200
    below = compute_pay(MIX_GATED, PayFigures(successes=2, qa=Decimal("0.79")))
    assert not below.gate_passed and below.withheld == Decimal("200.00") and below.total == 0


def test_a_sale_cancelled_after_payment_takes_back_its_success_and_its_share():
    pay = compute_pay(
        MIX_GATED, PayFigures(reversed_successes=1, reversed_sales=Decimal("1000.00"))
    )
    (reversal,) = pay.lines[-1:]
    assert (reversal.component, reversal.amount) == ("reversal", Decimal("-150.00"))
    assert pay.total == Decimal("-150.00")


def test_each_line_says_what_it_pays_for_and_how_many():
    plan = PlanTerms(
        "MIX",
        "Mix",
        PayScheme.MIX,
        hourly=Decimal("6.00"),
        per_call=Decimal("0.25"),
        per_message=Decimal("0.10"),
        per_success=Decimal("8.00"),
        sales_share=Decimal("0.03"),
    )
    figures = PayFigures(
        paid_hours=Decimal(38),
        valid_calls=400,
        valid_messages=60,
        successes=16,
        net_sales=Decimal("3000.00"),
    )
    assert [
        (line.component, line.quantity, line.amount) for line in compute_pay(plan, figures).lines
    ] == [
        ("hourly", "38:00", Decimal("228.00")),
        ("calls", "400", Decimal("100.00")),
        ("messages", "60", Decimal("6.00")),
        ("successes", "16", Decimal("128.00")),
        ("sales", "3000.00", Decimal("90.00")),
    ]


def test_a_per_chat_rate_pays_each_chat_after_the_messages_ungated_and_never_reversed():
    plan = PlanTerms(
        "PC",
        "Per contact",
        PayScheme.MIX,
        per_message=Decimal("0.10"),
        per_chat=Decimal("1.50"),
        per_success=Decimal("100.00"),
        qa_gate=Decimal("0.80"),
    )
    figures = PayFigures(
        valid_messages=30, chats=7, successes=1, qa=Decimal("0.50"), reversed_successes=1
    )
    pay = compute_pay(plan, figures)
    assert [(line.component, line.quantity, line.amount) for line in pay.lines] == [
        ("messages", "30", Decimal("3.00")),
        ("chats", "7", Decimal("10.50")),
        ("successes", "1", Decimal("100.00")),
        ("reversal", "-1", Decimal("-100.00")),
    ]
    assert pay.withheld == Decimal("100.00")  # the gate keeps the success, not the chats
    assert pay.total == Decimal("3.00") + Decimal("10.50") - Decimal("100.00")
    without = replace(plan, per_chat=None)  # no rate: chats are paid by their messages only
    assert "chats" not in [line.component for line in compute_pay(without, figures).lines]


def test_a_quota_without_a_higher_share_above_it_pays_one_flat_share():
    for tiers in ({"sales_quota": Decimal(2000)}, {"sales_share_above": Decimal("0.05")}):
        plan = PlanTerms("S", "Sales", PayScheme.SALES_SHARE, sales_share=Decimal("0.03"), **tiers)
        assert compute_pay(plan, PayFigures(net_sales=Decimal(3000))).total == Decimal("90.00")


def test_hours_are_read_back_from_decimals_of_periods_closed_before_and_never_guessed():
    assert parse_hours("36.50") == Fraction(73, 2)
    assert parse_hours("") == 0
    assert parse_hours("36:40:15") == Fraction(36 * 3600 + 40 * 60 + 15, 3600)
    assert parse_hours("abc") is None
    assert parse_hours("36:4x") is None


def test_a_reversal_is_taken_from_the_periods_pay_and_counts_the_sales_taken_back():
    pay = compute_pay(
        MIX_GATED, PayFigures(successes=3, reversed_successes=1, reversed_sales=Decimal(1000))
    )
    assert [(line.component, line.quantity, line.amount) for line in pay.lines] == [
        ("successes", "3", Decimal("300.00")),
        ("sales", "0", Decimal("0.00")),
        ("reversal", "-1", Decimal("-150.00")),
    ]
    assert pay.total == Decimal("150.00")


def test_the_hourly_floor_tops_up_any_hours_worked_and_never_a_period_without_hours():
    floor = PlanTerms(
        "F", "Floor", PayScheme.MIX, per_success=Decimal(100), floor_hourly=Decimal(12)
    )
    half_hour = compute_pay(floor, PayFigures(paid_hours=Fraction(1, 2)))
    assert (half_hour.top_up, half_hour.total) == (Decimal("6.00"), Decimal("6.00"))
    assert [(line.component, line.quantity) for line in half_hour.lines] == [
        ("successes", "0"),
        ("top_up", "0:30"),
    ]
    taken_back = compute_pay(floor, PayFigures(reversed_successes=1))
    assert (taken_back.top_up, taken_back.total) == (0, Decimal("-100.00"))
    at_the_floor = PlanTerms(
        "F", "Floor", PayScheme.HOURLY, hourly=Decimal(12), floor_hourly=Decimal(12)
    )
    assert [
        line.component
        for line in compute_pay(at_the_floor, PayFigures(paid_hours=Decimal(2))).lines
    ] == ["hourly"]
