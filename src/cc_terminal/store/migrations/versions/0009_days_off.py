"""days off and the roster: requests and their transitions, staffing needs, the floor's
planning rules, rosters and their cells

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "roster_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cutoff_weekday", sa.Integer(), nullable=False),
        sa.Column("cutoff_time", sa.String(length=5), nullable=False),
        sa.Column("max_consecutive_days", sa.Integer(), nullable=False),
        sa.Column("floor_heads", sa.Integer(), nullable=False),
        sa.Column("contract_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "day_off_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("shift", sa.String(length=8), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("change", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("day_off_request", schema=None) as batch_op:
        batch_op.create_index("ix_day_off_request_day", ["day", "state"], unique=False)
        batch_op.create_index(
            "ix_day_off_request_operator_day", ["operator_id", "day"], unique=False
        )

    op.create_table(
        "roster",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("solved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("solved_by", sa.Uuid(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.Uuid(), nullable=True),
        sa.Column("explanations", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=500), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["published_by"],
            ["operator.id"],
        ),
        sa.ForeignKeyConstraint(
            ["solved_by"],
            ["operator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("week_start", name="uq_roster_week"),
    )
    op.create_table(
        "staffing_need",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("shift", sa.String(length=8), nullable=False),
        sa.Column("heads", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("set_by", sa.Uuid(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_by"],
            ["operator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day", "shift", name="uq_staffing_need_day_shift"),
    )
    op.create_table(
        "day_off_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("from_state", sa.String(length=12), nullable=False),
        sa.Column("to_state", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["operator.id"],
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["day_off_request.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("day_off_event", schema=None) as batch_op:
        batch_op.create_index("ix_day_off_event_request", ["request_id", "at"], unique=False)

    op.create_table(
        "roster_cell",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("roster_id", sa.Uuid(), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("shift", sa.String(length=8), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operator.id"],
        ),
        sa.ForeignKeyConstraint(
            ["roster_id"],
            ["roster.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("roster_id", "operator_id", "day", name="uq_roster_cell"),
    )


def downgrade() -> None:
    op.drop_table("roster_cell")
    with op.batch_alter_table("day_off_event", schema=None) as batch_op:
        batch_op.drop_index("ix_day_off_event_request")

    op.drop_table("day_off_event")
    op.drop_table("staffing_need")
    op.drop_table("roster")
    with op.batch_alter_table("day_off_request", schema=None) as batch_op:
        batch_op.drop_index("ix_day_off_request_operator_day")
        batch_op.drop_index("ix_day_off_request_day")

    op.drop_table("day_off_request")
    op.drop_table("roster_rules")
