"""a customer erased at their request: the mark on the card, and the erased numbers'
hashes; an account made by a team lead changes its password at the first sign-in

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("customer", sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "operator",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "erased_person",
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("phone_hash"),
    )


def downgrade() -> None:
    with op.batch_alter_table("operator") as batch:
        batch.drop_column("must_change_password")
    op.drop_table("erased_person")
    with op.batch_alter_table("customer") as batch:
        batch.drop_column("erased_at")
