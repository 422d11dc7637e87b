"""A month of records for the tally's screens: Jana on the worked example's mix plan, her
calls, sessions, sales, an order, claims of every class, an evaluation and a complaint;
Petr with fewer of each."""

from __future__ import annotations

from datetime import timedelta

from cc_terminal.models import PauseReason
from cc_terminal.services.tally.pay_plans import PlanDraft
from cc_terminal.services.tally.tally import ClaimDraft
from cc_terminal.services.workstation import Workstation
from tests.conftest import FixedClock, login
from tests.tally.tally_records import add_call, add_order, add_sale, add_session

MIX = PlanDraft(
    code="MIX",
    name="Mix with a gate",
    scheme="mix",
    rates={
        "hourly": "160",
        "per_call": "5",
        "per_message": "2",
        "per_success": "150",
        "sales_share": "3",
    },
    min_talk_seconds="20",
    qa_gate="80",
    floor_hourly="150",
    hold_days="3",
    targets={"calls_per_day": "6", "successes_per_day": "2", "aht_seconds": "240", "qa": "85"},
)


def set_up_tally(ws: Workstation, clock: FixedClock) -> None:
    lead, jana, petr = login(ws, "lead"), login(ws, "jana"), login(ws, "petr")
    plan = ws.pay_plans.save(lead, MIX)
    ws.pay_plans.assign(lead, jana.operator_id, plan)
    ws.pay_plans.assign(lead, petr.operator_id, plan)
    ws.quality.save_form(
        lead, "CALL", "Call review", "2 Greeted by name\n5! Verified identity\n3 Right tariff"
    )
    now = clock.now
    morning = now.replace(hour=7, minute=0, second=0, microsecond=0)
    for back in range(20, -1, -1):
        day = morning - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for who, calls in ((jana, 4 + back % 4), (petr, 2 + back % 3)):
            add_session(
                ws,
                who,
                day,
                7.5 if back else 1.5,
                [(PauseReason.LUNCH, day + timedelta(hours=4), 30)] if back else [],
            )
            for n in range(calls):
                add_call(ws, who, day + timedelta(minutes=20 * n + 5), 90 + 17 * n, 30)
        if back % 3 == 0:
            add_sale(ws, jana, day + timedelta(hours=2), 59900)
    first = add_call(ws, jana, morning + timedelta(minutes=3), 200, 40)
    add_sale(ws, jana, morning + timedelta(minutes=3), 59900, call_id=first)
    second = add_sale(ws, jana, morning + timedelta(minutes=30), 44900)
    add_order(
        ws, jana, morning + timedelta(minutes=45), 49000, kind="equipment", number="O-0000A001"
    )
    clock.now = morning + timedelta(hours=1)
    ws.tally.add_claim(jana, ClaimDraft("sale", "599", call_id=first))
    ws.tally.add_claim(jana, ClaimDraft("sale", "899", call_id=second))
    ws.tally.add_claim(jana, ClaimDraft("application", note="a loan application by phone"))
    form = ws.quality.forms()[0]
    ws.quality.evaluate(
        lead, form.id, first, {"q1": "yes", "q2": "yes", "q3": "na"}, "Clear offer."
    )
    ws.quality.record_complaint(
        lead, petr.operator_id, "client", "Promised a callback, never called."
    )
    clock.now = now
