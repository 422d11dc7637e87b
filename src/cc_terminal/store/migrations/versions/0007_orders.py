"""orders, their events, the fields team leads add, loan products; a priority flag on the
customer, a campaign's say on orders as successes, the order a visit booking is for

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_order",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=12), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("address_code", sa.Integer(), nullable=True),
        sa.Column("address_text", sa.String(length=240), nullable=False),
        sa.Column("address_override", sa.String(length=500), nullable=False),
        sa.Column("values", sa.Text(), nullable=False),
        sa.Column("lines", sa.Text(), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("visit_day", sa.Date(), nullable=True),
        sa.Column("visit_slot", sa.String(length=11), nullable=False),
        sa.Column("call_id", sa.Uuid(), nullable=True),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.Column("campaign_id", sa.Uuid(), nullable=True),
        sa.Column("counts_as_success", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("checklist", sa.Text(), nullable=False),
        sa.Column("read_back", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["operator.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["field_team.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_order_status_created", "customer_order", ["status", "created_at"])
    op.create_index("ix_order_customer_created", "customer_order", ["customer_id", "created_at"])
    op.create_index("ix_order_visit", "customer_order", ["visit_day", "team_id"])
    op.create_table(
        "order_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=False),
        sa.Column("to_status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["order_id"], ["customer_order.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_order_event_order_at", "order_event", ["order_id", "at"])
    op.create_table(
        "order_field",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("choices", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "code", name="uq_order_field_code"),
    )
    op.create_table(
        "loan_product",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("min_amount_minor", sa.Integer(), nullable=False),
        sa.Column("max_amount_minor", sa.Integer(), nullable=False),
        sa.Column("min_months", sa.Integer(), nullable=False),
        sa.Column("max_months", sa.Integer(), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("max_payment_share", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("customer") as batch:
        batch.add_column(sa.Column("priority", sa.Boolean(), nullable=False, server_default="0"))
    with op.batch_alter_table("campaign") as batch:
        batch.add_column(
            sa.Column("order_success", sa.Boolean(), nullable=False, server_default="1")
        )
    with op.batch_alter_table("visit_booking") as batch:
        batch.add_column(sa.Column("order_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visit_booking") as batch:
        batch.drop_column("order_id")
    with op.batch_alter_table("campaign") as batch:
        batch.drop_column("order_success")
    with op.batch_alter_table("customer") as batch:
        batch.drop_column("priority")
    op.drop_table("loan_product")
    op.drop_table("order_field")
    op.drop_index("ix_order_event_order_at", table_name="order_event")
    op.drop_table("order_event")
    op.drop_index("ix_order_visit", table_name="customer_order")
    op.drop_index("ix_order_customer_created", table_name="customer_order")
    op.drop_index("ix_order_status_created", table_name="customer_order")
    op.drop_table("customer_order")
