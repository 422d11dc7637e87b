"""written conversations (chat, later e-mail): the conversation, its messages, who held it;
an operator's limit of open chats; a chat's paid messages on its closing call

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _conversation()
    _message()
    _assignment()
    with op.batch_alter_table("operator") as batch:
        batch.add_column(sa.Column("chat_limit", sa.Integer(), nullable=False, server_default="3"))
    with op.batch_alter_table("call") as batch:
        batch.add_column(sa.Column("messages", sa.Integer(), nullable=False, server_default="0"))


def _conversation() -> None:
    op.create_table(
        "conversation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=True),
        sa.Column("visitor_name", sa.String(length=120), nullable=False),
        sa.Column("visitor_contact", sa.String(length=254), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("visitor_typing_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("operator_typing_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["owner_id"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.create_index("ix_conversation_state_created", ["state", "created_at"])
        batch_op.create_index("ix_conversation_owner_state", ["owner_id", "state"])
        batch_op.create_index("ix_conversation_token_hash", ["token_hash"])
        batch_op.create_index("ix_conversation_last_message", ["last_message_at"])
        batch_op.create_index("ix_conversation_operator_typing", ["operator_typing_at"])


def _message() -> None:
    op.create_table(
        "conversation_message",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("author", sa.String(length=8), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"]),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id", "client_id", name="uq_conversation_message_client"),
    )
    with op.batch_alter_table("conversation_message", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversation_message_seq", ["conversation_id", "seq"], unique=True
        )


def _assignment() -> None:
    op.create_table(
        "conversation_assignment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=True),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("by_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"]),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["by_id"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("conversation_assignment", schema=None) as batch_op:
        batch_op.create_index("ix_conversation_assignment_conv_at", ["conversation_id", "at"])


def downgrade() -> None:
    with op.batch_alter_table("call") as batch:
        batch.drop_column("messages")
    with op.batch_alter_table("operator") as batch:
        batch.drop_column("chat_limit")
    op.drop_table("conversation_assignment")
    op.drop_table("conversation_message")
    op.drop_table("conversation")
