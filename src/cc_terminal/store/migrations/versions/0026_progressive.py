"""dialling from F3: a campaign's progressive mode (the next lead dialled after the
wrap-up and a countdown) and how long a dialled number may ring

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("progressive", sa.Boolean(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("countdown_seconds", sa.Integer(), nullable=False, server_default="5")
        )
        batch_op.add_column(
            sa.Column("ring_seconds", sa.Integer(), nullable=False, server_default="30")
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_column("ring_seconds")
        batch_op.drop_column("countdown_seconds")
        batch_op.drop_column("progressive")
