"""an account's phone extension: rings on it are attributed to that person, and only they
(or a lead, or the phone's service account) may apply its events (services/phone/calls.py)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("operator") as batch:
        batch.add_column(
            sa.Column("phone_extension", sa.String(16), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("operator") as batch:
        batch.drop_column("phone_extension")
