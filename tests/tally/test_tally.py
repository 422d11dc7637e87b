"""The tally's rules: KPIs on hand-built records, pay formulas, reconciliation classes,
disputes, closed periods and who may see what (on SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from cc_terminal.models import PauseReason, PayScheme
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.tally.pay import PayFigures, PlanTerms, compute_pay, what_if
from cc_terminal.services.tally.pay_plans import PlanDraft
from cc_terminal.services.tally.periods import chosen, day_of, month_of, week_of
from cc_terminal.services.tally.reconcile import MatchClass
from cc_terminal.services.tally.tally import ClaimDraft
from tests.conftest import FixedClock
from tests.tally.tally_records import (
    add_attempts,
    add_call,
    add_order,
    add_sale,
    add_session,
    cancel_order,
)

TODAY = date(2026, 11, 27)
MORNING = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # 08:00 in Prague

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


def _plan(ws, lead, **rates):
    plan_id = ws.pay_plans.save(
        lead,
        PlanDraft(
            code="MIX",
            name="Mix",
            scheme="mix",
            rates={
                "hourly": "6",
                "per_call": "0.25",
                "per_message": "0.10",
                "per_success": "8",
                "sales_share": "3 %",
                **rates,
            },
            min_talk_seconds="20",
            qa_gate="80",
            floor_hourly="12",
            hold_days="0",
            targets={"calls_per_day": "3", "successes_per_day": "1", "aht_seconds": "150"},
        ),
    )
    return plan_id


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
    add_call(ws, jana, MORNING + timedelta(minutes=50), talk=60, wrap=0, channel="chat")
    calls = add_attempts(ws, jana, MORNING + timedelta(hours=1), ["SALE", "NI", "NI", "NI"])
    add_sale(ws, jana, MORNING + timedelta(hours=1), 59900, call_id=calls[0])
    kpis = ws.tally.report(jana, day_of(TODAY)).current.kpis
    assert kpis.handled == 4
    assert kpis.aht_seconds == round((100 + 200 + 15 + 60 + 10 + 20 + 5) / 4)
    assert (kpis.valid_calls, kpis.valid_messages) == (2, 1)
    assert kpis.paid_seconds == 8 * 3600 - 30 * 60  # lunch is unpaid
    assert kpis.ready_seconds == 8 * 3600 - 45 * 60
    assert kpis.occupancy == pytest.approx(410 / (8 * 3600 - 45 * 60))
    assert kpis.utilisation == pytest.approx(410 / (8 * 3600 - 30 * 60))
    assert kpis.successes == 1 and kpis.by_kind == {"sale": 1}
    assert kpis.sales_minor == 59900  # the attempt's success carries its call's offer
    assert kpis.conversion == pytest.approx(1 / 4)
    assert kpis.qa is None and kpis.complaints == 0


def _plan_for(ws, lead, operator):
    plan_id = _plan(ws, lead)
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
    ws.pay_plans.assign(lead, jana.operator_id, _plan(ws, lead))
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


def test_quality_scores_weigh_answers_skip_not_applicable_and_fail_on_a_critical_no(ws, lead, jana):
    with pytest.raises(ValidationFailed) as refused:
        ws.quality.save_form(lead, "ZERO", "Zero", "0 Greeting\n0 Closing")
    assert "sum to zero" in refused.value.errors["questions"]
    with pytest.raises(ValidationFailed) as refused:
        ws.quality.save_form(lead, "BAD", "Bad", "Greeting without a weight")
    assert "Line 1" in refused.value.errors["questions"]
    ws.quality.save_form(lead, "CALL", "Call review", "2 Greeting\n5! Verified identity\n3 Offer")
    form = ws.quality.forms()[0]
    first = add_call(ws, jana, MORNING, 120, 10)
    second = add_call(ws, jana, MORNING + timedelta(minutes=5), 120, 10)
    with pytest.raises(PermissionDenied):
        ws.quality.evaluate(jana, form.id, first, {"q1": "yes", "q2": "yes", "q3": "yes"}, "")
    with pytest.raises(ValidationFailed):
        ws.quality.evaluate(lead, form.id, first, {"q1": "yes"}, "")  # unanswered questions
    score = ws.quality.evaluate(lead, form.id, first, {"q1": "yes", "q2": "yes", "q3": "na"}, "")
    assert (score.earned, score.possible) == (7, 7)
    failed = ws.quality.evaluate(lead, form.id, second, {"q1": "yes", "q2": "no", "q3": "yes"}, "")
    assert failed.auto_failed and failed.earned == 0 and failed.possible == 10
    kpis = ws.tally.report(jana, day_of(TODAY)).current.kpis
    assert kpis.qa == pytest.approx(7 / 17) and kpis.evaluations == 2
    seen = ws.quality.evaluations(jana, jana.operator_id, day_of(TODAY))
    assert sorted(view.score for view in seen) == [0.0, 1.0]


def test_a_failed_quality_check_cancels_the_success_of_that_call(ws, lead, jana):
    ws.quality.save_form(lead, "CALL", "Call review", "5! Verified identity")
    form = ws.quality.forms()[0]
    call = add_call(ws, jana, MORNING, 120, 10)
    add_sale(ws, jana, MORNING, 59900, call_id=call)
    ws.quality.evaluate(lead, form.id, call, {"q1": "no"}, "identity not checked")
    items = ws.tally.report(jana, day_of(TODAY)).current.items
    assert [item.cls for item in items] == [MatchClass.CANCELLED]


def test_complaints_count_in_the_tally_and_link_the_call(ws, lead, jana):
    call = add_call(ws, jana, MORNING, 120, 10)
    with pytest.raises(ValidationFailed) as refused:
        ws.quality.record_complaint(lead, jana.operator_id, "department", "wrong routing")
    assert "department" in refused.value.errors
    ws.quality.record_complaint(lead, jana.operator_id, "client", "Was rude.", call_id=call)
    assert ws.tally.report(jana, day_of(TODAY)).current.kpis.complaints == 1


def test_sessions_and_pauses_are_recorded_from_sign_in_to_sign_out(ws, jana, clock):
    clock.now = MORNING
    ws.work_clock.begin(jana)
    clock.advance(3600)
    ws.work_clock.pause(jana, PauseReason.LUNCH)
    assert ws.work_clock.paused(jana).reason is PauseReason.LUNCH  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed):
        ws.work_clock.pause(jana, PauseReason.BREAK)
    clock.advance(1800)
    ws.work_clock.resume(jana)
    clock.advance(1800)
    ws.work_clock.end(jana)
    kpis = ws.tally.report(jana, day_of(TODAY)).current.kpis
    assert kpis.signed_in_seconds == 7200 and kpis.paid_seconds == 5400
    assert kpis.worked_days == 1


def test_a_session_left_open_by_a_dead_terminal_closes_at_its_last_trace(ws, jana, clock):
    clock.now = MORNING
    ws.work_clock.begin(jana)
    add_call(ws, jana, MORNING + timedelta(minutes=30), talk=120, wrap=0)
    clock.now = MORNING + timedelta(hours=5)
    ws.work_clock.begin(jana)  # the terminal died; she signs in elsewhere
    ws.work_clock.end(jana)
    kpis = ws.tally.report(jana, day_of(TODAY)).current.kpis
    assert kpis.signed_in_seconds == 30 * 60 + 120


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


def test_the_period_exports_for_payroll_in_csv_and_xlsx(ws, lead, jana, petr, tmp_path):
    import csv
    import os

    from openpyxl import load_workbook

    ws.pay_plans.assign(lead, jana.operator_id, _plan(ws, lead))
    add_session(ws, jana, MORNING, 2)
    add_call(ws, jana, MORNING, 60, 10)
    add_sale(ws, jana, MORNING, 100000)
    with pytest.raises(PermissionDenied):
        ws.tally_export.export(jana, day_of(TODAY), tmp_path / "pay.csv", "csv")
    with pytest.raises(ValidationFailed):
        ws.tally_export.export(lead, day_of(TODAY), tmp_path / "pay.pdf", "pdf")
    ws.tally_export.export(lead, day_of(TODAY), tmp_path / "pay.csv", "csv")
    with (tmp_path / "pay.csv").open(encoding="utf-8-sig") as file:
        rows = {row["username"]: row for row in csv.DictReader(file, delimiter=";")}
    assert set(rows) == {"jana", "petr"}
    assert rows["jana"]["pay"] == "50.25"  # 12 + 0.25 + 8 + 30 and rows["jana"]["successes"] == "1"
    assert rows["petr"]["pay"] == ""  # no plan, no pay
    assert os.stat(tmp_path / "pay.csv").st_mode & 0o777 == 0o600
    result = ws.tally_export.export(lead, day_of(TODAY), tmp_path / "pay.xlsx", "xlsx")
    assert result.operators == 2
    book = load_workbook(tmp_path / "pay.xlsx")
    assert book.sheetnames[1:] == ["jana", "petr"]
    lines = [row for row in book["jana"].iter_rows(values_only=True) if row and row[0]]
    assert ("Total", None, 50.25) in [tuple(row[:3]) for row in lines]


def test_the_months_payroll_xlsx_has_typed_cells_under_a_valid_title(ws, lead, jana, tmp_path):
    from openpyxl import load_workbook

    ws.pay_plans.assign(lead, jana.operator_id, _plan(ws, lead))
    add_session(ws, jana, MORNING, 2)
    add_call(ws, jana, MORNING, 60, 10)
    add_sale(ws, jana, MORNING, 100000)
    ws.tally_export.export(lead, month_of(TODAY), tmp_path / "pay.xlsx", "xlsx")
    book = load_workbook(tmp_path / "pay.xlsx")
    assert book.sheetnames == ["Pay 11-2026", "jana", "petr"]  # "Pay 11/2026" is no title
    summary = book["Pay 11-2026"]
    names = [cell.value for cell in summary[1]]
    found = next(row for row in summary.iter_rows() if row[0].value == "jana")
    jana_row = dict(zip(names, found, strict=True))
    pay, hours, sales = jana_row["pay"], jana_row["paid_hours"], jana_row["sales"]
    assert (pay.value, pay.data_type, pay.number_format) == (50.25, "n", '#,##0.00 "Kč"')
    assert (hours.value, hours.number_format) == (timedelta(hours=2), "[h]:mm")
    assert sales.value == 1000
    assert jana_row["successes"].value == 1 and jana_row["handled"].data_type == "n"
    items = [row for row in book["jana"].iter_rows() if row[0].is_date]
    assert items and items[0][0].value == datetime(2026, 11, 27, 8, 0)  # local, not UTC
    assert items[0][3].data_type == "n" and items[0][3].value == 1000
