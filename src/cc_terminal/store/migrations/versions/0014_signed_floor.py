"""a signed floor: every account's Ed25519 key (the private half sealed by its password),
the certificates saying who holds which key with which role, and the signed runs of the
outbox

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("operator") as batch:
        batch.add_column(sa.Column("signing_key", sa.Text(), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("public_key", sa.String(length=64), nullable=False, server_default="")
        )
    op.create_table(
        "account_key",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=500), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("issuer_id", sa.String(length=36), nullable=False),
        sa.Column("issuer_key", sa.String(length=64), nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_account_key_operator_id", "account_key", ["operator_id"])
    op.create_index("ix_account_key_public_key", "account_key", ["public_key"])
    op.create_table(
        "outbox_run",
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("signer", sa.Uuid(), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("run_id"),
    )
    with op.batch_alter_table("outbox_op") as batch:
        batch.add_column(sa.Column("run_id", sa.Uuid(), nullable=True))
        batch.create_index("ix_outbox_op_run_id", ["run_id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox_op") as batch:
        batch.drop_index("ix_outbox_op_run_id")
        batch.drop_column("run_id")
    op.drop_table("outbox_run")
    op.drop_index("ix_account_key_public_key", table_name="account_key")
    op.drop_index("ix_account_key_operator_id", table_name="account_key")
    op.drop_table("account_key")
    with op.batch_alter_table("operator") as batch:
        batch.drop_column("public_key")
        batch.drop_column("signing_key")
