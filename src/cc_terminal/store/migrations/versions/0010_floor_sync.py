"""floor sync: the outbox's clock and bases, the terminal's identity and cursors, field
versions, conflicts and their resolutions, set-aside files and refused ops

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

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


def _same_ids_for_shipped_lists() -> None:
    """The shipped list items get the ids every new terminal gives them (nothing refers
    to them by id), so terminals that join a floor agree on them."""
    from cc_terminal.services.reference import default_lists, shipped_id

    table = sa.table(
        "reference_item", sa.column("id", sa.Uuid()), sa.column("kind"), sa.column("code")
    )
    shipped = {
        (kind.value, choice.code) for kind, choices in default_lists().items() for choice in choices
    }
    connection = op.get_bind()
    for row in connection.execute(sa.select(table.c.id, table.c.kind, table.c.code)).all():
        if (row.kind, row.code) in shipped:
            connection.execute(
                table.update().where(table.c.id == row.id).values(id=shipped_id(row.kind, row.code))
            )


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
