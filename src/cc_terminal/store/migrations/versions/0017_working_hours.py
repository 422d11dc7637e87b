"""a department's working hours, which decide requests' due times

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reference_item") as batch:
        batch.add_column(
            sa.Column("working_hours", sa.String(length=260), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("reference_item") as batch:
        batch.drop_column("working_hours")
