from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from cc_terminal.models.base import new_id


class ProductKind(StrEnum):
    PRODUCT = "product"
    TARIFF = "tariff"
    SERVICE = "service"
    PROMOTION = "promotion"
    MATERIAL = "material"  # fitted by a technician, priced per piece
    WORK = "work"  # a technician's work on a visit
    FEE = "fee"  # added to every visit (travel, say)


class Product(SQLModel, table=True):
    """An item of the catalogue operators advise on; money in minor units."""

    __tablename__ = "product"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=120)
    kind: str = Field(sa_type=String(16), default=ProductKind.PRODUCT.value)
    price_minor: int = 0
    currency: str = Field(default="CZK", max_length=3)
    valid_from: date
    valid_to: date | None = None
    description: str = Field(default="", sa_type=Text)
