"""a staged import says when it was decided shown (issue 29)

The step that showed an import set every one of its leads ``open`` in one transaction
(1.7 s for 100,000 leads on SQLite, the write lock held all that time). Now one short step
writes ``shown_at``, and the leads are opened in bounded batches after it; a crash between
them leaves an import the next start finishes showing, not one it takes away.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("staged_import", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shown_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staged_import", schema=None) as batch_op:
        batch_op.drop_column("shown_at")
