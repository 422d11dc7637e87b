"""address points keep the indexes their lookups use (issue 29)

Every index of the 3,000,000 points is written again for each point imported. The
town's key is looked up in address_town, never in address_point, and the municipality's
code alone is the first column of ix_address_point_street: those two indexes only slowed
the register's import.

Revision ID: 0030
Revises: 0027
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("address_point", schema=None) as batch_op:
        batch_op.drop_index("ix_address_point_town_key")
        batch_op.drop_index("ix_address_point_municipality_code")


def downgrade() -> None:
    with op.batch_alter_table("address_point", schema=None) as batch_op:
        batch_op.create_index(
            "ix_address_point_municipality_code", ["municipality_code"], unique=False
        )
        batch_op.create_index("ix_address_point_town_key", ["town_key"], unique=False)
