"""the tally: work sessions and pauses, claims and dispute decisions, pay plans, closed pay
periods and their lines, quality forms and evaluations, complaints against an operator; an
operator's team lead and pay plan

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pay_plan",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("scheme", sa.String(length=12), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("hourly_minor", sa.Integer(), nullable=True),
        sa.Column("per_call_minor", sa.Integer(), nullable=True),
        sa.Column("per_message_minor", sa.Integer(), nullable=True),
        sa.Column("min_talk_seconds", sa.Integer(), nullable=False),
        sa.Column("per_success_minor", sa.Integer(), nullable=True),
        sa.Column("sales_bp", sa.Integer(), nullable=True),
        sa.Column("sales_quota_minor", sa.Integer(), nullable=True),
        sa.Column("sales_above_quota_bp", sa.Integer(), nullable=True),
        sa.Column("qa_gate_bp", sa.Integer(), nullable=True),
        sa.Column("floor_hourly_minor", sa.Integer(), nullable=True),
        sa.Column("hold_days", sa.Integer(), nullable=False),
        sa.Column("target_calls_per_day", sa.Integer(), nullable=False),
        sa.Column("target_successes_per_day", sa.Integer(), nullable=False),
        sa.Column("target_sales_per_day_minor", sa.Integer(), nullable=False),
        sa.Column("target_aht_seconds", sa.Integer(), nullable=False),
        sa.Column("target_qa_bp", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "qa_form",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("questions", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "operator_complaint",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("call_id", sa.Uuid(), nullable=True),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operator.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["operator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("operator_complaint", schema=None) as batch_op:
        batch_op.create_index(
            "ix_operator_complaint_operator_at", ["operator_id", "at"], unique=False
        )

    op.create_table(
        "pay_period",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["closed_by"],
            ["operator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("starts_on", name="uq_pay_period_start"),
    )
    op.create_table(
        "tally_claim",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("call_id", sa.Uuid(), nullable=True),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tally_claim", schema=None) as batch_op:
        batch_op.create_index("ix_tally_claim_operator_at", ["operator_id", "at"], unique=False)

    op.create_table(
        "work_session",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("work_session", schema=None) as batch_op:
        batch_op.create_index(
            "ix_work_session_operator_started", ["operator_id", "started_at"], unique=False
        )

    op.create_table(
        "dispute_decision",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["tally_claim.id"],
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["operator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("claim_id"),
    )
    op.create_table(
        "pay_line",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.Column("component", sa.String(length=40), nullable=False),
        sa.Column("quantity", sa.String(length=40), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("item", sa.String(length=80), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operator.id"],
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["pay_period.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pay_line", schema=None) as batch_op:
        batch_op.create_index("ix_pay_line_item", ["item"], unique=False)
        batch_op.create_index(
            "ix_pay_line_period_operator", ["period_id", "operator_id"], unique=False
        )

    op.create_table(
        "qa_evaluation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("form_id", sa.Uuid(), nullable=False),
        sa.Column("call_id", sa.Uuid(), nullable=False),
        sa.Column("call_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.Column("evaluator_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("earned", sa.Integer(), nullable=False),
        sa.Column("possible", sa.Integer(), nullable=False),
        sa.Column("auto_failed", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["call.id"],
        ),
        sa.ForeignKeyConstraint(
            ["evaluator_id"],
            ["operator.id"],
        ),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["qa_form.id"],
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("qa_evaluation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_qa_evaluation_operator_call", ["operator_id", "call_started_at"], unique=False
        )

    op.create_table(
        "work_pause",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operator.id"],
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["work_session.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("work_pause", schema=None) as batch_op:
        batch_op.create_index(
            "ix_work_pause_operator_started", ["operator_id", "started_at"], unique=False
        )

    op.create_index("ix_order_created_by_at", "customer_order", ["created_by", "created_at"])
    op.create_index("ix_offer_operator_at", "offer", ["operator_id", "offered_at"])
    op.create_index("ix_lead_attempt_operator_at", "lead_attempt", ["operator_id", "at"])
    # The tally sums an operator's calls from the index alone; it leads with the same columns
    # as the index it replaces, so every query that used that one uses this one.
    op.create_index(
        "ix_call_operator_figures",
        "call",
        ["operator_id", "started_at", "channel", "direction", "talk_seconds", "wrap_seconds"],
    )
    op.drop_index("ix_call_operator_started", table_name="call")
    # The tally reads claims and records linked by call or lead across periods.
    op.create_index("ix_tally_claim_call", "tally_claim", ["call_id"])
    op.create_index("ix_tally_claim_lead", "tally_claim", ["lead_id"])
    op.create_index("ix_offer_call", "offer", ["call_id"])
    op.create_index("ix_lead_attempt_call", "lead_attempt", ["call_id"])
    op.create_index("ix_order_call", "customer_order", ["call_id"])
    op.create_index("ix_order_lead", "customer_order", ["lead_id"])
    with op.batch_alter_table("operator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team_lead_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("pay_plan_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key("fk_operator_pay_plan", "pay_plan", ["pay_plan_id"], ["id"])
        batch_op.create_foreign_key("fk_operator_team_lead", "operator", ["team_lead_id"], ["id"])


def downgrade() -> None:
    op.create_index("ix_call_operator_started", "call", ["operator_id", "started_at"])
    op.drop_index("ix_call_operator_figures", table_name="call")
    for name, table in (
        ("ix_order_lead", "customer_order"),
        ("ix_order_call", "customer_order"),
        ("ix_lead_attempt_call", "lead_attempt"),
        ("ix_offer_call", "offer"),
    ):
        op.drop_index(name, table_name=table)
    op.drop_index("ix_lead_attempt_operator_at", table_name="lead_attempt")
    op.drop_index("ix_offer_operator_at", table_name="offer")
    op.drop_index("ix_order_created_by_at", table_name="customer_order")
    with op.batch_alter_table("operator", schema=None) as batch_op:
        batch_op.drop_constraint("fk_operator_team_lead", type_="foreignkey")
        batch_op.drop_constraint("fk_operator_pay_plan", type_="foreignkey")
        batch_op.drop_column("pay_plan_id")
        batch_op.drop_column("team_lead_id")

    with op.batch_alter_table("work_pause", schema=None) as batch_op:
        batch_op.drop_index("ix_work_pause_operator_started")

    op.drop_table("work_pause")
    with op.batch_alter_table("qa_evaluation", schema=None) as batch_op:
        batch_op.drop_index("ix_qa_evaluation_operator_call")

    op.drop_table("qa_evaluation")
    with op.batch_alter_table("pay_line", schema=None) as batch_op:
        batch_op.drop_index("ix_pay_line_period_operator")
        batch_op.drop_index("ix_pay_line_item")

    op.drop_table("pay_line")
    op.drop_table("dispute_decision")
    with op.batch_alter_table("work_session", schema=None) as batch_op:
        batch_op.drop_index("ix_work_session_operator_started")

    op.drop_table("work_session")
    with op.batch_alter_table("tally_claim", schema=None) as batch_op:
        batch_op.drop_index("ix_tally_claim_operator_at")

    op.drop_table("tally_claim")
    op.drop_table("pay_period")
    with op.batch_alter_table("operator_complaint", schema=None) as batch_op:
        batch_op.drop_index("ix_operator_complaint_operator_at")

    op.drop_table("operator_complaint")
    op.drop_table("qa_form")
    op.drop_table("pay_plan")
