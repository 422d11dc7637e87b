"""The conditions the tally's reads share: a stretch of time, the calls or leads a claim is
about, and the disposition an outbound attempt ended in."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, or_
from sqlalchemy.orm import Mapped
from sqlmodel import col

from cc_terminal.models import Disposition, LeadAttempt

Ids = Collection[uuid.UUID]


def within(
    column: Mapped[datetime], start: datetime, end: datetime
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return column >= start, column < end


def during(column: Mapped[datetime], start: datetime, end: datetime) -> ColumnElement[bool] | None:
    """The stretch as a condition; None for an empty one (a read of linked rows only)."""
    return and_(*within(column, start, end)) if start < end else None


def or_linked(
    when: ColumnElement[bool] | None,
    call_column: Mapped[uuid.UUID] | Mapped[uuid.UUID | None],
    calls: Ids,
    lead_column: Mapped[uuid.UUID] | Mapped[uuid.UUID | None],
    leads: Ids,
) -> ColumnElement[bool]:
    """In the stretch, or about one of these calls or leads (each column has an index, so a
    read of linked rows only never walks an operator's whole history)."""
    conditions = [] if when is None else [when]
    if calls:
        conditions.append(call_column.in_(calls))
    if leads:
        conditions.append(lead_column.in_(leads))
    return or_(*conditions) if conditions else false()


def attempt_disposition() -> ColumnElement[bool]:
    """Joins an outbound attempt to the disposition of its campaign it ended in."""
    return and_(
        col(Disposition.campaign_id) == col(LeadAttempt.campaign_id),
        col(Disposition.code) == col(LeadAttempt.disposition),
    )
