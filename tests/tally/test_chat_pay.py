"""A pay plan's per-chat rate (issue 26, item 5): each chat an operator closed in the period
is paid once, beside its messages; the rate is optional in the schemes that pay contacts,
refused as every rate is when mistyped, and not kept by a scheme without it (on SQLite
and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from cc_terminal.models import PayLine, PayPlan
from cc_terminal.services.channels.visitors import VisitorChats
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.tally.pay_plans import PlanDraft
from cc_terminal.services.tally.periods import day_of
from cc_terminal.services.workstation import Workstation
from tests.channels.conftest import form, gateway_account
from tests.conftest import FixedClock
from tests.tally.tally_records import TODAY, save_mix_plan


def _a_closed_chat(ws: Workstation, chats: VisitorChats, jana: Actor, name: str) -> None:
    """A visitor's chat Jana takes, answers twice and closes: two paid messages, one chat."""
    started = chats.start(form(name=name))
    chats.post(started.token, f"v1-{name}", "Hello, my invoice is wrong")
    ws.chats.take_next(jana)
    ws.chats.send(jana, started.conversation_id, f"o1-{name}", "Let me look at it")
    chats.post(started.token, f"v2-{name}", "Thank you")
    ws.chats.send(jana, started.conversation_id, f"o2-{name}", "It is corrected")
    ws.chats.close(jana, started.conversation_id, "resolved")


def test_a_per_chat_rate_pays_the_chats_closed_in_the_period(ws, lead, jana, clock, tmp_path):
    ws.pay_plans.assign(lead, jana.operator_id, save_mix_plan(ws, lead, per_chat="1.50"))
    chats = VisitorChats(ws.db, clock, gateway_account(ws, lead, tmp_path))
    today = clock.now
    clock.now = today - timedelta(days=1)
    _a_closed_chat(ws, chats, jana, "Yesterday")  # another day's: not paid today
    clock.now = today
    _a_closed_chat(ws, chats, jana, "Eva")
    _a_closed_chat(ws, chats, jana, "Petr")
    report = ws.tally.report(jana, day_of(TODAY)).current
    assert report.kpis.chats == 2 and report.pay is not None
    lines = [(line.component, line.quantity, line.amount) for line in report.pay.result.lines]
    assert lines[2:4] == [
        ("messages", "4", Decimal("0.40")),  # two answered turns a chat at 0.10
        ("chats", "2", Decimal("3.00")),
    ]
    clock.advance(timedelta(days=1).total_seconds())
    ws.tally.close_period(lead, day_of(TODAY))
    with ws.db.read() as session:
        stored = session.scalars(
            select(PayLine).where(
                PayLine.operator_id == jana.operator_id, PayLine.component == "chats"
            )
        ).all()
        assert [(line.quantity, line.amount_minor) for line in stored] == [("2", 300)]


def _rate_of(ws: Workstation, code: str) -> int | None:
    with ws.db.read() as session:
        plan = session.scalars(select(PayPlan).where(PayPlan.code == code)).one()
        return plan.per_chat_minor


def test_the_per_chat_rate_is_optional_where_contacts_are_paid_and_dropped_elsewhere(ws, lead):
    save_mix_plan(ws, lead)  # a mix without it
    assert _rate_of(ws, "MIX") is None
    contacts = {"per_call": "5", "per_message": "2", "per_chat": "12,50"}
    ws.pay_plans.save(lead, PlanDraft("PC", "Contacts", "per_contact", contacts))
    assert _rate_of(ws, "PC") == 1250
    hourly = {"hourly": "150", "per_chat": "12"}
    ws.pay_plans.save(lead, PlanDraft("HOUR", "Hourly", "hourly", hourly))
    assert _rate_of(ws, "HOUR") is None  # the hourly scheme has no place for it
    (plan,) = [info for info in ws.pay_plans.plans(lead) if info.terms.code == "HOUR"]
    assert plan.terms.per_chat is None


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("x", "A number such as 6.00."),
        ("-1", "Not below 0."),
        ("1.505", "At most two decimals and 10,000,000."),
    ],
)
def test_a_mistyped_per_chat_rate_is_refused_as_every_rate_is(ws, lead, typed, said):
    with pytest.raises(ValidationFailed) as refused:
        save_mix_plan(ws, lead, per_chat=typed)
    assert refused.value.errors == {"per_chat": said}


def test_a_chat_is_paid_by_a_plan_without_the_rate_only_through_its_messages(
    ws, lead, jana, clock: FixedClock, tmp_path
):
    ws.pay_plans.assign(lead, jana.operator_id, save_mix_plan(ws, lead))
    chats = VisitorChats(ws.db, clock, gateway_account(ws, lead, tmp_path))
    _a_closed_chat(ws, chats, jana, "Eva")
    pay = ws.tally.report(jana, day_of(TODAY)).current.pay
    assert pay is not None
    assert "chats" not in [line.component for line in pay.result.lines]
