"""address points, towns and streets of the RÚIAN register

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "address_point",
        sa.Column("code", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("municipality_code", sa.Integer(), nullable=False),
        sa.Column("municipality", sa.String(length=60), nullable=False),
        sa.Column("town_key", sa.String(length=60), nullable=False),
        sa.Column("district", sa.String(length=60), nullable=False),
        sa.Column("part", sa.String(length=60), nullable=False),
        sa.Column("street", sa.String(length=80), nullable=False),
        sa.Column("street_key", sa.String(length=80), nullable=False),
        sa.Column("registry_kind", sa.String(length=6), nullable=False),
        sa.Column("house_number", sa.Integer(), nullable=False),
        sa.Column("orientation_number", sa.Integer(), nullable=True),
        sa.Column("orientation_letter", sa.String(length=1), nullable=False),
        sa.Column("postal_code", sa.String(length=5), nullable=False),
        sa.Column("y", sa.Float(), nullable=True),
        sa.Column("x", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "address_town",
        sa.Column("municipality_code", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("town_key", sa.String(length=60), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("municipality_code"),
    )
    op.create_index("ix_address_town_key", "address_town", ["town_key"], unique=False)
    op.create_table(
        "address_street",
        sa.Column("municipality_code", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("street_key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("is_part", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("municipality_code", "street_key"),
    )
    with op.batch_alter_table("address_point", schema=None) as batch_op:
        batch_op.create_index(
            "ix_address_point_municipality_code", ["municipality_code"], unique=False
        )
        batch_op.create_index("ix_address_point_town_key", ["town_key"], unique=False)
        batch_op.create_index(
            "ix_address_point_street",
            ["municipality_code", "street_key", "house_number"],
            unique=False,
        )
        batch_op.create_index(
            "ix_address_point_orientation",
            ["municipality_code", "street_key", "orientation_number"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("address_point", schema=None) as batch_op:
        batch_op.drop_index("ix_address_point_orientation")
        batch_op.drop_index("ix_address_point_street")
        batch_op.drop_index("ix_address_point_town_key")
        batch_op.drop_index("ix_address_point_municipality_code")
    op.drop_table("address_point")
    op.drop_table("address_street")
    op.drop_index("ix_address_town_key", table_name="address_town")
    op.drop_table("address_town")
