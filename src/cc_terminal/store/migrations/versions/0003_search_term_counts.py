"""search terms count their customers, so a search reads the rarest word first

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("search_term", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("customers", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute(
        "UPDATE search_term SET customers = "
        "(SELECT count(*) FROM customer_term WHERE customer_term.term_id = search_term.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("search_term", schema=None) as batch_op:
        batch_op.drop_column("customers")
