"""the floor board's reads of phone_call: each operator's last ended call (for wrap-up)
and today's calls counted from one covering index (waiting, answered in time, abandoned),
so a refresh for 100 operators reads no row of the day's calls

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DAY_COLUMNS = ["rang_at", "direction", "operator_id", "answered_at", "ended_at", "end_reason"]


def upgrade() -> None:
    with op.batch_alter_table("phone_call", schema=None) as batch_op:
        batch_op.create_index("ix_phone_call_operator_ended", ["operator_id", "ended_at"])
        batch_op.create_index("ix_phone_call_day", DAY_COLUMNS)


def downgrade() -> None:
    with op.batch_alter_table("phone_call", schema=None) as batch_op:
        batch_op.drop_index("ix_phone_call_day")
        batch_op.drop_index("ix_phone_call_operator_ended")
