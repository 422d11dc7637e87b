"""the floor board's limits set by a team lead for the whole floor; calls typed on F2
without a phone link, so the board shows their operator on a call (issue 28)

Revision ID: 0029
Revises: 0027 (0028 once phone-keys is merged)
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "floor_setting",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.Uuid(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["set_by"], ["operator.id"]),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "call_presence",
        sa.Column("call_id", sa.Uuid(), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"]),
        sa.PrimaryKeyConstraint("call_id"),
    )
    with op.batch_alter_table("call_presence", schema=None) as batch_op:
        batch_op.create_index("ix_call_presence_open", ["ended_at", "operator_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("call_presence", schema=None) as batch_op:
        batch_op.drop_index("ix_call_presence_open")
    op.drop_table("call_presence")
    op.drop_table("floor_setting")
