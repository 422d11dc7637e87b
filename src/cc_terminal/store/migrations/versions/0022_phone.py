"""the phone: one row per call the phone system reported (ring, answer, hang-up), its
caller's card, the saved call it became and its callback

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "phone_call",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("call_key", sa.String(length=120), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("extension", sa.String(length=16), nullable=False),
        sa.Column("number_raw", sa.String(length=64), nullable=False),
        sa.Column("phone_e164", sa.String(length=16), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=True),
        sa.Column("customer_id", sa.Uuid(), nullable=True),
        sa.Column("rang_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_code", sa.Integer(), nullable=True),
        sa.Column("end_reason", sa.String(length=40), nullable=False),
        sa.Column("call_id", sa.Uuid(), nullable=True),
        sa.Column("callback_operator_id", sa.Uuid(), nullable=True),
        sa.Column("callback_done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("callback_call_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"]),
        sa.ForeignKeyConstraint(["callback_operator_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["callback_call_id"], ["call.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("phone_call", schema=None) as batch_op:
        batch_op.create_index("ix_phone_call_key", ["call_key"], unique=True)
        batch_op.create_index("ix_phone_call_extension_rang", ["extension", "rang_at"])
        batch_op.create_index("ix_phone_call_missed", ["end_reason", "callback_done_at", "rang_at"])
        batch_op.create_index("ix_phone_call_rang", ["rang_at"])


def downgrade() -> None:
    op.drop_table("phone_call")
