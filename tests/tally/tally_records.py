"""Hand-built records for the tally's tests: calls, sessions, orders, offers, attempts."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import col

from cc_terminal.models import (
    Call,
    Campaign,
    Customer,
    CustomerOrder,
    Disposition,
    Lead,
    LeadAttempt,
    LeadList,
    Offer,
    OrderEvent,
    PauseReason,
    Product,
    WorkPause,
    WorkSession,
)
from cc_terminal.services.common.views import Actor
from cc_terminal.services.tally.pay_plans import PlanDraft
from cc_terminal.services.workstation import Workstation

TODAY = date(2026, 11, 27)
MORNING = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # 08:00 in Prague


def add_call(
    ws: Workstation,
    operator: Actor,
    started: datetime,
    talk: int,
    wrap: int,
    *,
    channel: str = "voice",
    direction: str = "in",
    messages: int = 0,
) -> uuid.UUID:
    with ws.db.write(operator.operator_id) as session:
        call = Call(
            operator_id=operator.operator_id,
            started_at=started,
            answered_at=started,
            ended_at=started + timedelta(seconds=talk),
            reason="billing",
            outcome="resolved",
            talk_seconds=talk,
            wrap_seconds=wrap,
            channel=channel,
            direction=direction,
            messages=messages,
        )
        session.add(call)
    return call.id


def add_session(
    ws: Workstation,
    operator: Actor,
    start: datetime,
    hours: float,
    pauses: list[tuple[PauseReason, datetime, int]] = (),  # type: ignore[assignment]
) -> None:
    with ws.db.write(operator.operator_id) as session:
        row = WorkSession(
            operator_id=operator.operator_id,
            started_at=start,
            ended_at=start + timedelta(hours=hours),
        )
        session.add(row)
        session.flush()
        for reason, at, minutes in pauses:
            session.add(
                WorkPause(
                    session_id=row.id,
                    operator_id=operator.operator_id,
                    reason=reason.value,
                    started_at=at,
                    ended_at=at + timedelta(minutes=minutes),
                )
            )


def a_customer(ws: Workstation) -> uuid.UUID:
    with ws.db.read() as session:
        return session.scalars(select(col(Customer.id))).first()  # type: ignore[return-value]


def add_order(
    ws: Workstation,
    operator: Actor,
    at: datetime,
    amount: int,
    *,
    kind: str = "service",
    call_id: uuid.UUID | None = None,
    number: str = "O-00000001",
) -> uuid.UUID:
    with ws.db.write(operator.operator_id) as session:
        order = CustomerOrder(
            number=number,
            customer_id=a_customer(ws),
            kind=kind,
            status="submitted",
            address_text="",
            address_override="",
            values="{}",
            lines="[]",
            amount_minor=amount,
            currency="CZK",
            visit_slot="",
            call_id=call_id,
            counts_as_success=True,
            checklist="",
            read_back="",
            created_by=operator.operator_id,
            created_at=at,
            updated_at=at,
        )  # type: ignore[call-arg]
        session.add(order)
    return order.id


def cancel_order(ws: Workstation, operator: Actor, order_id: uuid.UUID, at: datetime) -> None:
    with ws.db.write(operator.operator_id) as session:
        order = session.get(CustomerOrder, order_id)
        assert order is not None
        order.status = "cancelled"
        session.add(
            OrderEvent(
                order_id=order_id,
                seq=2,
                from_status="submitted",
                to_status="cancelled",
                note="customer changed their mind",
                actor_id=operator.operator_id,
                at=at,
            )
        )


def add_sale(
    ws: Workstation, operator: Actor, at: datetime, price: int, call_id: uuid.UUID | None = None
) -> uuid.UUID:
    """An accepted offer: a sale of ``price`` in the call ``call_id``."""
    call_id = call_id or uuid.uuid4()
    with ws.db.write(operator.operator_id) as session:
        product = session.scalars(select(Product)).first()
        assert product is not None
        session.add(
            Offer(
                customer_id=a_customer(ws),
                call_id=call_id,
                operator_id=operator.operator_id,
                product_id=product.id,
                product_name=product.name,
                price_minor=price,
                currency="CZK",
                accepted=True,
                offered_at=at,
            )
        )
    return call_id


def add_attempts(
    ws: Workstation,
    operator: Actor,
    at: datetime,
    dispositions: list[str],
    *,
    code: str = "TEST",
    kind: str = "sales",
) -> list[uuid.UUID]:
    """Outbound attempts of a campaign (a sales one unless told) ending as given (SALE is
    its success, NI a refusal); returns the attempts' call ids."""
    calls = []
    with ws.db.write(operator.operator_id) as session:
        campaign = Campaign(code=code, name="Test", kind=kind, created_at=at)
        session.add(campaign)
        session.flush()
        session.add(
            Disposition(
                campaign_id=campaign.id,
                code="SALE",
                label="Sale",
                key="1",
                success=True,
                contact=True,
                final=True,
            )
        )
        session.add(
            Disposition(
                campaign_id=campaign.id,
                code="NI",
                label="No",
                key="2",
                refusal=True,
                contact=True,
                final=True,
            )
        )
        lead_list = LeadList(
            campaign_id=campaign.id,
            name="L",
            temperature="warm",
            created_at=at,
            created_by=operator.operator_id,
        )
        session.add(lead_list)
        session.flush()
        for number, disposition in enumerate(dispositions):
            lead = Lead(
                campaign_id=campaign.id,
                list_id=lead_list.id,
                customer_id=a_customer(ws),
                phone_e164=f"+42060000{number:04d}",
                temperature="warm",
                created_at=at,
                updated_at=at,
            )
            session.add(lead)
            session.flush()
            call_id = uuid.uuid4()
            calls.append(call_id)
            session.add(
                LeadAttempt(
                    lead_id=lead.id,
                    campaign_id=campaign.id,
                    customer_id=lead.customer_id,
                    operator_id=operator.operator_id,
                    call_id=call_id,
                    at=at + timedelta(minutes=number),
                    disposition=disposition,
                )
            )
    return calls


def save_mix_plan(ws: Workstation, lead: Actor, **rates: str) -> uuid.UUID:
    """The worked example's mix plan, saved through the service; ``rates`` override."""
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
