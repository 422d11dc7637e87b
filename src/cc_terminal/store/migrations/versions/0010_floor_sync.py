"""floor sync: the outbox's clock and bases, the terminal's identity and cursors, field
versions, conflicts and their resolutions, set-aside files and refused ops

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _same_ids_for_shipped_lists()
    with op.batch_alter_table("outbox_op", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hlc", sa.BigInteger(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("bases", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "sync_terminal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("terminal_id", sa.Uuid(), nullable=False),
        sa.Column("published_outbox_seq", sa.Integer(), nullable=False),
        sa.Column("stream_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("seen_hlc", sa.BigInteger(), nullable=False),
        sa.Column("stopped", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sync_peer",
        sa.Column("terminal_id", sa.Uuid(), nullable=False),
        sa.Column("applied_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("waiting", sa.String(length=500), nullable=False),
        sa.Column("skew_seconds", sa.Integer(), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("terminal_id"),
    )
    op.create_table(
        "sync_segment",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("first_outbox_seq", sa.Integer(), nullable=False),
        sa.Column("last_outbox_seq", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("gone", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "sync_applied_op",
        sa.Column("op_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("op_id"),
    )
    op.create_table(
        "sync_field_version",
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("terminal", sa.String(length=36), nullable=False),
        sa.Column("op_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("entity", "row_id", "field"),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("loser_op_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("terminal", sa.String(length=36), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("entity", "row_id", "field"),
    )
    op.create_table(
        "sync_issue",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("terminal", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "conflict_resolution",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("loser_hlc", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("resolved_by", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["resolved_by"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


# Frozen here, as they shipped when this revision was written: a migration replays the
# same forever, whatever the package's lists become later.
SHIPPED_NAMESPACE = uuid.UUID("6f0c1a52-2d47-4e0b-9a51-5b1e7c3d9a10")
SHIPPED = {
    "call_reason": (
        "tariff_question", "billing", "technical_fault", "complaint", "order",
        "order_status", "contract_change", "other",
    ),
    "call_outcome": (
        "resolved", "advised", "order_taken", "request_registered", "callback",
        "escalated", "dropped", "wrong_number",
    ),
    "refusal_reason": ("too_expensive", "other_provider", "not_now", "no_trust", "other"),
    "request_category": (
        "question", "complaint", "wish", "technical_fault", "order_status", "billing", "other",
    ),
    "department": (
        "contact_centre", "billing", "technical", "complaints", "sales", "field_service",
    ),
}  # fmt: skip


def _same_ids_for_shipped_lists() -> None:
    """The shipped list items get the ids every new terminal gives them (nothing refers
    to them by id), so terminals that join a floor agree on them."""
    table = sa.table(
        "reference_item", sa.column("id", sa.Uuid()), sa.column("kind"), sa.column("code")
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(table.c.id, table.c.kind, table.c.code)).all():
        if row.code in SHIPPED.get(row.kind, ()):
            shipped_id = uuid.uuid5(SHIPPED_NAMESPACE, f"{row.kind}:{row.code}")
            connection.execute(table.update().where(table.c.id == row.id).values(id=shipped_id))


def downgrade() -> None:
    for table in (
        "conflict_resolution",
        "sync_issue",
        "sync_conflict",
        "sync_field_version",
        "sync_applied_op",
        "sync_segment",
        "sync_peer",
        "sync_terminal",
    ):
        op.drop_table(table)
    with op.batch_alter_table("outbox_op", schema=None) as batch_op:
        batch_op.drop_column("bases")
        batch_op.drop_column("hlc")
