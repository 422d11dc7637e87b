"""Certificates: which account holds which public key, with which role, and who said so.

Append-only and synced like any record, but each row is also signed on its own by its
issuer (a team lead's key, or one of the floor's two anchors), so a terminal trusts a
certificate for its signature, never for the terminal it came from (sync/certs.py)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

from cc_terminal.models.base import UTCDateTime, new_id, utcnow


class AccountKey(SQLModel, table=True):
    __tablename__ = "account_key"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    operator_id: uuid.UUID = Field(index=True)
    username: str = Field(max_length=40)
    role: str = Field(max_length=16)  # operator, lead, or service
    scope: str = Field(default="", max_length=500)  # a service's entities, comma separated
    public_key: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=8)  # grant or revoke
    issuer_id: str = Field(max_length=36)  # an account id, "root" or "recovery"
    issuer_key: str = Field(max_length=64)
    hlc: int = Field(sa_column=Column(BigInteger, nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    signature: str = Field(max_length=128)
