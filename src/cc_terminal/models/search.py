from __future__ import annotations

import uuid

from sqlalchemy import Column, ForeignKey, Index, Uuid
from sqlmodel import Field, SQLModel


class SearchTerm(SQLModel, table=True):
    """One distinct word of the customers' names, addresses and e-mails, folded to plain
    lower-case ASCII. The vocabulary is small next to the customers, so typo matching runs
    over it in memory and only exact term ids go to the database.

    Derived from the customer rows, so not published to the floor: every terminal builds
    its own index from the customers it stores."""

    __tablename__ = "search_term"
    __outbox__ = False

    id: int | None = Field(default=None, primary_key=True)
    term: str = Field(max_length=80, unique=True)
    # How many customers have the term: a search reads its rarest word first.
    customers: int = 0


class CustomerTerm(SQLModel, table=True):
    """Which customer has which term."""

    __tablename__ = "customer_term"
    __outbox__ = False
    # WITHOUT ROWID on SQLite: the pairs are the table; a rowid copy would add a third.
    __table_args__ = (
        Index("ix_customer_term_term", "term_id", "customer_id"),
        {"sqlite_with_rowid": False},
    )

    customer_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True)
    )
    term_id: int = Field(foreign_key="search_term.id", primary_key=True)
