"""Letters in the tally (issue 27): a closed e-mail conversation is a call with channel
"email" whose customer turns are paid messages, counted beside the chats' in the KPIs and
paid by the plan's per-message rate (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from cc_terminal.services.tally.periods import day_of
from tests.tally.tally_records import MORNING, TODAY, add_call, add_session, save_mix_plan


def test_letters_count_as_messages_for_the_kpis_and_the_pay(ws, lead, jana):
    ws.pay_plans.assign(lead, jana.operator_id, save_mix_plan(ws, lead))
    add_session(ws, jana, MORNING, 2)
    add_call(ws, jana, MORNING + timedelta(minutes=5), talk=600, wrap=0, channel="chat", messages=3)
    add_call(
        ws, jana, MORNING + timedelta(minutes=20), talk=900, wrap=0, channel="email", messages=4
    )
    add_call(
        ws, jana, MORNING + timedelta(minutes=40), talk=300, wrap=0, channel="email", messages=1
    )
    report = ws.tally.report(jana, day_of(TODAY)).current
    kpis = report.kpis
    assert (kpis.handled, kpis.chats, kpis.letters) == (3, 1, 2)
    assert kpis.valid_messages == 3 + 4 + 1
    assert kpis.valid_calls == 0  # written conversations are paid per message, not per call
    assert report.pay is not None
    (messages,) = [line for line in report.pay.result.lines if line.component == "messages"]
    assert (messages.quantity, messages.amount) == ("8", Decimal("0.80"))  # 8 * 0.10
