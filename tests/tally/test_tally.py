"""The tally's rules: KPIs on hand-built records, pay formulas, reconciliation classes,
disputes, closed periods and who may see what (on SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from cc_terminal.data.codes import SystemCampaign
from cc_terminal.models import PauseReason, PayScheme
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.tally.pay import PayFigures, PlanTerms, compute_pay, what_if
from cc_terminal.services.tally.pay_plans import PlanDraft
from cc_terminal.services.tally.periods import chosen, day_of, month_of, week_of
from cc_terminal.services.tally.reconcile import MatchClass
from cc_terminal.services.tally.tally import ClaimDraft
from tests.conftest import FixedClock
from tests.tally.tally_records import (
    MORNING,
    TODAY,
    add_attempts,
    add_call,
    add_order,
    add_sale,
    add_session,
    cancel_order,
    save_mix_plan,
)

WORKED = PlanTerms(
    code="MIX",
    name="Mix",
    scheme=PayScheme.MIX,
    hourly=Decimal("6.00"),
    per_call=Decimal("0.25"),
    per_message=Decimal("0.10"),
    per_success=Decimal("8.00"),
    sales_share=Decimal("0.03"),
    qa_gate=Decimal("0.80"),
    floor_hourly=Decimal("12.00"),
)
WEEK = PayFigures(
    paid_hours=Decimal(38),
    valid_calls=400,
    valid_messages=60,
    successes=16,
    net_sales=Decimal("3000.00"),
    qa=Decimal("0.86"),
)


def test_the_worked_example_pays_552():
    pay = compute_pay(WORKED, WEEK)
    assert pay.total == Decimal("552.00")
    assert pay.per_hour == Decimal("14.53")
    assert pay.top_up == 0 and pay.withheld == 0
    assert [line.amount for line in pay.lines] == [
        Decimal("228.00"),
        Decimal("100.00"),
        Decimal("6.00"),
        Decimal("128.00"),
        Decimal("90.00"),
    ]


def test_below_the_gate_the_success_part_is_withheld_and_the_floor_tops_up():
    pay = compute_pay(WORKED, PayFigures(**{**WEEK.__dict__, "qa": Decimal("0.78")}))
    assert pay.withheld == Decimal("218.00")
    assert pay.top_up == Decimal("122.00")
    assert pay.total == Decimal("456.00")
    assert not pay.gate_passed


def test_sales_share_is_tiered_above_the_quota_and_what_if_prices_two_more_sales():
    plan = PlanTerms(
        "S",
        "Sales",
        PayScheme.SALES_SHARE,
        sales_share=Decimal("0.03"),
        sales_quota=Decimal(2000),
        sales_share_above=Decimal("0.05"),
    )
    figures = PayFigures(successes=10, net_sales=Decimal(3000))
    assert compute_pay(plan, figures).total == Decimal("110.00")  # 60 + 50
    assert what_if(plan, figures, 2) == Decimal("30.00")  # 600 more at 5 %


def test_periods():
    assert week_of(TODAY).start == date(2026, 11, 23) and week_of(TODAY).end == date(2026, 11, 29)
    assert month_of(TODAY).previous() == month_of(date(2026, 10, 1))
    assert day_of(TODAY).previous().start == date(2026, 11, 26)
    with pytest.raises(ValidationFailed) as refused:
        chosen("30.11.2026", "2.11.2026")
    assert "ends before it starts" in refused.value.errors["end"]
    with pytest.raises(ValidationFailed) as refused:
        chosen("yesterday", "")
    assert set(refused.value.errors) == {"start", "end"}


def test_kpis_are_ratios_of_sums_over_hand_built_records(ws, lead, jana):
    _plan_for(ws, lead, jana)
    add_session(
        ws,
        jana,
        MORNING,
        8,
        [
            (PauseReason.LUNCH, MORNING + timedelta(hours=4), 30),
            (PauseReason.BREAK, MORNING + timedelta(hours=2), 15),
        ],
    )
    add_call(ws, jana, MORNING + timedelta(minutes=5), talk=100, wrap=10)
    add_call(ws, jana, MORNING + timedelta(minutes=20), talk=200, wrap=20)
    add_call(ws, jana, MORNING + timedelta(minutes=40), talk=15, wrap=5)  # too short to pay
    add_call(ws, jana, MORNING + timedelta(minutes=50), talk=60, wrap=0, channel="chat", messages=3)
    calls = add_attempts(ws, jana, MORNING + timedelta(hours=1), ["SALE", "NI", "NI", "NI"])
    add_sale(ws, jana, MORNING + timedelta(hours=1), 59900, call_id=calls[0])
    kpis = ws.tally.report(jana, day_of(TODAY)).current.kpis
    assert kpis.handled == 4
    assert kpis.aht_seconds == round((100 + 200 + 15 + 60 + 10 + 20 + 5) / 4)
    assert (kpis.valid_calls, kpis.valid_messages, kpis.chats) == (2, 3, 1)
    assert kpis.paid_seconds == 8 * 3600 - 30 * 60  # lunch is unpaid
    assert kpis.ready_seconds == 8 * 3600 - 45 * 60
    assert kpis.occupancy == pytest.approx(410 / (8 * 3600 - 45 * 60))
    assert kpis.utilisation == pytest.approx(410 / (8 * 3600 - 30 * 60))
    assert kpis.successes == 1 and kpis.by_kind == {"sale": 1}
    assert kpis.sales_minor == 59900  # the attempt's success carries its call's offer
    assert kpis.conversion == pytest.approx(1 / 4)
    assert kpis.qa is None and kpis.complaints == 0


def test_a_call_an_order_promised_is_shown_beside_the_successes_never_among_them(ws, jana):
    """A visit re-booked after a miss asks for a call to confirm it (services/orders/
    followups.py): the workstation's own errand, paid as talk time, not the operator's
    success, even when its disposition is one."""
    add_attempts(
        ws, jana, MORNING, ["SALE", "SALE"], code=SystemCampaign.ORDER_CALLS, kind="informational"
    )
    add_attempts(ws, jana, MORNING + timedelta(hours=1), ["SALE"])
    kpis = ws.tally.report(jana, day_of(TODAY)).current.kpis
    assert kpis.successes == 1 and kpis.by_kind == {"sale": 1}
    assert kpis.follow_ups == 2


def _plan_for(ws, lead, operator):
    plan_id = save_mix_plan(ws, lead)
    ws.pay_plans.assign(lead, operator.operator_id, plan_id)
    return plan_id


def test_pay_preview_counts_records_with_the_plan(ws, lead, jana):
    _plan_for(ws, lead, jana)
    add_session(ws, jana, MORNING, 2)
    for minute in range(4):
        add_call(ws, jana, MORNING + timedelta(minutes=minute * 10), talk=60, wrap=10)
    add_sale(ws, jana, MORNING + timedelta(minutes=30), 100000)
    pay = ws.tally.report(jana, day_of(TODAY)).current.pay
    assert pay is not None
    # 2 h * 6 + 4 calls * 0.25 + 1 success * 8 + 3 % of 1000 = 12 + 1 + 8 + 30 = 51;
    # below the floor of 12/h (24): no top-up.
    assert pay.result.total == Decimal("51.00")
    assert pay.pending == 0
    assert pay.two_more_sales == Decimal("76.00")  # 2 * 8 + 3 % of 2000


def test_claims_land_in_every_reconciliation_class(ws, lead, jana, clock):
    _plan_for(ws, lead, jana)
    matched_call = add_sale(ws, jana, MORNING, 59900)
    mismatch_call = add_sale(ws, jana, MORNING + timedelta(minutes=10), 44900)
    add_sale(ws, jana, MORNING + timedelta(minutes=20), 10000)  # never claimed
    cancelled = add_order(ws, jana, MORNING + timedelta(minutes=30), 50000)
    cancel_order(ws, jana, cancelled, MORNING + timedelta(minutes=50))
    clock.now = MORNING + timedelta(hours=1)
    ws.tally.add_claim(jana, ClaimDraft("sale", "599", call_id=matched_call))
    ws.tally.add_claim(jana, ClaimDraft("sale", "899", call_id=mismatch_call))
    ws.tally.add_claim(jana, ClaimDraft("appointment", note="booked a visit"))
    ws.tally.add_claim(jana, ClaimDraft("order", "500"))  # nearest: the cancelled order
    items = ws.tally.report(jana, day_of(TODAY)).current.items
    classes = sorted(item.cls.value for item in items)
    assert classes == sorted(["matched", "mismatch", "record_only", "cancelled", "claim_only"])
    disputes = ws.tally.disputes(lead, day_of(TODAY))
    assert {d.item.cls for d in disputes} == {MatchClass.MISMATCH, MatchClass.CLAIM_ONLY}
    figures = ws.tally.report(jana, day_of(TODAY)).current
    assert figures.open_disputes == 2
    # The records decide: 599 + 449 (the record, not the claimed 899) + 100.
    assert figures.kpis.sales_minor == 59900 + 44900 + 10000


def test_an_accepted_dispute_counts_and_a_rejected_one_does_not(ws, lead, jana, clock):
    _plan_for(ws, lead, jana)
    clock.now = MORNING
    claim_id = ws.tally.add_claim(jana, ClaimDraft("appointment", note="visit on Monday"))
    other = ws.tally.add_claim(jana, ClaimDraft("sale", "1200"))
    with pytest.raises(ValidationFailed) as refused:
        ws.tally.decide(lead, claim_id, True, "  ")
    assert "note" in refused.value.errors
    with pytest.raises(PermissionDenied):
        ws.tally.decide(jana, claim_id, True, "I did it")
    ws.tally.decide(lead, claim_id, True, "The visit is in the technician's diary.")
    ws.tally.decide(lead, other, False, "No such sale in the billing system.")
    with pytest.raises(ValidationFailed):
        ws.tally.decide(lead, other, True, "again")
    kpis = ws.tally.report(jana, day_of(TODAY)).current.kpis
    assert kpis.by_kind == {"appointment": 1}
    assert kpis.sales_minor == 0


@pytest.mark.parametrize("amount", ["-5", "0", "abc", "99999999999", "1.234"])
def test_an_absurd_claim_is_refused_and_nothing_is_stored(ws, jana, amount):
    with pytest.raises(ValidationFailed) as refused:
        ws.tally.add_claim(jana, ClaimDraft("sale", amount))
    assert "amount" in refused.value.errors
    assert ws.tally.report(jana, day_of(TODAY)).current.items == []


def test_a_sale_claim_needs_its_amount(ws, jana):
    with pytest.raises(ValidationFailed) as refused:
        ws.tally.add_claim(jana, ClaimDraft("sale"))
    assert refused.value.errors == {"amount": "A sale needs its amount."}


def test_pending_successes_keep_a_period_open_then_it_closes_for_good(ws, lead, jana, clock):
    plan_id = ws.pay_plans.save(
        lead, PlanDraft("SUCC", "Per success", "per_success", {"per_success": "8"}, hold_days="7")
    )
    ws.pay_plans.assign(lead, jana.operator_id, plan_id)
    week = week_of(TODAY)
    order = add_order(ws, jana, MORNING, 50000)
    clock.now = MORNING + timedelta(days=3)  # the week is over, the order still pending
    preview = ws.tally.report(jana, week).current.pay
    assert preview is not None and preview.pending == 1 and preview.result.total == 0
    with pytest.raises(ValidationFailed) as refused:
        ws.tally.close_period(lead, week)
    assert "pending until 04.12.2026" in refused.value.errors["period"]
    clock.now = MORNING + timedelta(days=8)
    with pytest.raises(PermissionDenied):
        ws.tally.close_period(jana, week)
    assert ws.tally.close_period(lead, week) > 0
    closed = ws.tally.report(jana, week).current.pay
    assert closed is not None and closed.closed and closed.result.total == Decimal("8.00")
    with pytest.raises(ValidationFailed):
        ws.tally.close_period(lead, week)  # never twice
    # The customer cancels after payment: a negative line next week, the closed week stays.
    cancel_order(ws, lead, order, clock.now)
    assert ws.tally.report(jana, week).current.pay.result.total == Decimal("8.00")  # type: ignore[union-attr]
    next_week = week.following()
    later = ws.tally.report(jana, next_week).current.pay
    assert later is not None and later.result.total == Decimal("-8.00")


def test_an_edit_inside_a_closed_period_is_refused(ws, lead, jana, clock):
    ws.pay_plans.assign(lead, jana.operator_id, save_mix_plan(ws, lead))
    clock.now = MORNING
    claim = ws.tally.add_claim(jana, ClaimDraft("appointment"))
    clock.now = MORNING + timedelta(days=1)
    ws.tally.close_period(lead, day_of(TODAY))
    with pytest.raises(ValidationFailed) as refused:
        ws.tally.decide(lead, claim, True, "fine")
    assert "is closed" in refused.value.errors["period"]


def test_an_operator_sees_only_their_own_tally_and_a_lead_sees_the_team(ws, lead, jana, petr):
    assert [ref.username for ref in ws.tally.team(jana)] == ["jana"]
    assert {ref.username for ref in ws.tally.team(lead)} == {"lead", "jana", "petr"}
    with pytest.raises(PermissionDenied):
        ws.tally.report(jana, day_of(TODAY), petr.operator_id)
    with pytest.raises(PermissionDenied):
        ws.tally.team_view(jana, day_of(TODAY))
    with pytest.raises(PermissionDenied):
        ws.tally.disputes(jana, day_of(TODAY))
    assert (
        ws.tally.report(lead, day_of(TODAY), petr.operator_id).current.operator.username == "petr"
    )
    assert {f.operator.username for f in ws.tally.team_view(lead, day_of(TODAY))} == {
        "jana",
        "petr",
    }
    with pytest.raises(PermissionDenied):
        ws.pay_plans.save(jana, PlanDraft("X", "X", "hourly", {"hourly": "1"}))
    with pytest.raises(PermissionDenied):
        ws.pay_plans.assign(jana, jana.operator_id, None)
    with pytest.raises(PermissionDenied):
        ws.quality.record_complaint(jana, petr.operator_id, "client", "rude")
    assert ws.pay_plans.plans(jana) == []


def test_another_leads_operators_are_out_of_sight(ws, lead, jana):
    other = ws.auth.create_operator(lead, "lead2", "Druhý Vedoucí", "lead", "another-password")
    from cc_terminal.models import Operator

    with ws.db.write(lead.operator_id) as session:
        row = session.get(Operator, jana.operator_id)
        row.team_lead_id = other.id
    assert "jana" not in {ref.username for ref in ws.tally.team(lead)}
    with pytest.raises(PermissionDenied):
        ws.tally.report(lead, day_of(TODAY), jana.operator_id)


def test_a_plan_missing_a_rate_is_refused(ws, lead):
    with pytest.raises(ValidationFailed) as refused:
        ws.pay_plans.save(lead, PlanDraft("MIX", "Mix", "mix", {"hourly": "6", "per_call": "x"}))
    errors = refused.value.errors
    assert errors["per_call"] == "A number such as 6.00."
    assert {"per_message", "per_success", "sales_share"} <= set(errors)
    with pytest.raises(ValidationFailed) as refused:
        ws.pay_plans.save(
            lead, PlanDraft("T", "Tier", "sales_share", {"sales_share": "3"}, sales_quota="2000")
        )
    assert "sales_share_above" in refused.value.errors
    assert ws.pay_plans.plans(lead) == []


def test_progress_against_the_previous_period_and_the_days_for_the_chart(
    ws, lead, jana, clock: FixedClock
):
    add_call(ws, jana, MORNING - timedelta(days=1), 60, 0)
    for minute in range(3):
        add_call(ws, jana, MORNING + timedelta(minutes=minute), 60, 0)
    report = ws.tally.report(jana, day_of(TODAY))
    assert (report.current.kpis.handled, report.previous.kpis.handled) == (3, 1)
    assert len(report.days) == 30 and report.days[-1].day == TODAY
    assert [point.calls for point in report.days[-2:]] == [1, 3]


def test_targets_come_from_the_plan(ws, lead, jana):
    _plan_for(ws, lead, jana)
    figures = ws.tally.report(jana, day_of(TODAY)).current
    assert figures.targets["calls_per_day"] == 3 and figures.targets["aht_seconds"] == 150
    assert uuid.UUID(str(figures.operator.id)) == jana.operator_id
