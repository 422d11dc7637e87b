"""A stored pay plan read as the terms pay is computed with, and as its targets."""

from __future__ import annotations

from decimal import Decimal

from cc_terminal.models import PayPlan, PayScheme
from cc_terminal.services.tally.pay import PlanTerms


def plan_terms(row: PayPlan) -> PlanTerms:
    def money(minor: int | None) -> Decimal | None:
        return None if minor is None else Decimal(minor) / 100

    def share(bp: int | None) -> Decimal | None:
        return None if bp is None else Decimal(bp) / 10000

    return PlanTerms(
        code=row.code,
        name=row.name,
        scheme=PayScheme(row.scheme),
        currency=row.currency,
        hourly=money(row.hourly_minor),
        per_call=money(row.per_call_minor),
        per_message=money(row.per_message_minor),
        per_chat=money(row.per_chat_minor),
        min_talk_seconds=row.min_talk_seconds,
        per_success=money(row.per_success_minor),
        sales_share=share(row.sales_bp),
        sales_quota=money(row.sales_quota_minor),
        sales_share_above=share(row.sales_above_quota_bp),
        qa_gate=share(row.qa_gate_bp),
        floor_hourly=money(row.floor_hourly_minor),
        hold_days=row.hold_days,
    )


def targets_of(row: PayPlan) -> dict[str, int]:
    return {
        "calls_per_day": row.target_calls_per_day,
        "successes_per_day": row.target_successes_per_day,
        "sales_per_day": row.target_sales_per_day_minor,
        "aht_seconds": row.target_aht_seconds,
        "qa": row.target_qa_bp,
    }
