"""a pay plan's rate per chat handled (issue 26, item 5): a closed chat is paid once beside
its messages; nullable, as every rate a plan does not pay

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pay_plan") as batch:
        batch.add_column(sa.Column("per_chat_minor", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pay_plan") as batch:
        batch.drop_column("per_chat_minor")
