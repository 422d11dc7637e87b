"""the audit trail as a hash chain per database, checked by ``audit verify``; TRUNCATE of
audit_event refused on PostgreSQL; the key of the hash for user names that match no account

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ADD COLUMN: a batch copy of audit_event would be a DELETE its triggers refuse
    op.add_column("audit_event", sa.Column("chain", sa.String(length=48), nullable=True))
    op.add_column("audit_event", sa.Column("seq", sa.Integer(), nullable=True))
    op.add_column("audit_event", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_event", sa.Column("hash", sa.String(length=64), nullable=True))
    op.create_index("ix_audit_event_chain_seq", "audit_event", ["chain", "seq"])
    op.create_table(
        "audit_chain",
        sa.Column("chain", sa.String(length=48), nullable=False),
        sa.Column("own", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain"),
    )
    op.create_table(
        "audit_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("intact", sa.Boolean(), nullable=False),
        sa.Column("first_break", sa.Text(), nullable=False),
        sa.Column("heads", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "local_secret",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # the function of 0011 raises whatever the statement; a TRUNCATE skips row triggers
        op.execute(
            "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_event_no_truncate ON audit_event")
    op.drop_table("local_secret")
    op.drop_table("audit_check")
    op.drop_table("audit_chain")
    op.drop_index("ix_audit_event_chain_seq", table_name="audit_event")
    for name in ("hash", "prev_hash", "seq", "chain"):
        op.drop_column("audit_event", name)
