"""field teams and visit bookings

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "field_team",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("municipalities", sa.Text(), nullable=False),
        sa.Column("postal_prefixes", sa.String(length=200), nullable=False),
        sa.Column("base_address_code", sa.Integer(), nullable=True),
        sa.Column("base_y", sa.Float(), nullable=True),
        sa.Column("base_x", sa.Float(), nullable=True),
        sa.Column("working_days", sa.String(length=7), nullable=False),
        sa.Column("slots", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "visit_booking",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot", sa.String(length=11), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("address_code", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("booked_by", sa.Uuid(), nullable=False),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["booked_by"], ["operator.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["field_team.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    live = sa.text("status = 'booked'")
    op.create_index(
        "uq_visit_booking_slot",
        "visit_booking",
        ["team_id", "day", "slot"],
        unique=True,
        sqlite_where=live,
        postgresql_where=live,
    )
    op.create_index("ix_visit_booking_day", "visit_booking", ["day", "team_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_visit_booking_day", table_name="visit_booking")
    op.drop_index("uq_visit_booking_slot", table_name="visit_booking")
    op.drop_table("visit_booking")
    op.drop_table("field_team")
