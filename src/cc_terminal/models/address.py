"""Address points of the state register RÚIAN (docs/domain/ADDRESSES.md).

The register is public reference data each floor imports from the state's files, like the
search index it is not sent through the outbox: every terminal (or the server) imports the
same file. ``street_key`` and ``town_key`` are folded (lower-case ASCII) for lookups that
forgive missing diacritics."""

from __future__ import annotations

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class AddressPoint(SQLModel, table=True):
    __tablename__ = "address_point"
    # Only the indexes lookups use: each is written again for every point imported.
    __table_args__ = (
        Index("ix_address_point_street", "municipality_code", "street_key", "house_number"),
        Index(
            "ix_address_point_orientation",
            "municipality_code",
            "street_key",
            "orientation_number",
        ),
    )

    code: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    municipality_code: int  # ix_address_point_street leads with it
    municipality: str = Field(max_length=60)
    town_key: str = Field(max_length=60)  # towns are looked up in AddressTown
    district: str = Field(default="", max_length=60)  # MOMC, or Prague's district
    part: str = Field(default="", max_length=60)
    street: str = Field(default="", max_length=80)  # empty: addressed by the part
    street_key: str = Field(max_length=80)  # the folded street, or the folded part
    registry_kind: str = Field(max_length=6)  # "č.p." or "č.ev."
    house_number: int
    orientation_number: int | None = None
    orientation_letter: str = Field(default="", max_length=1)
    postal_code: str = Field(max_length=5)
    y: float | None = None  # S-JTSK metres, positive as in the files
    x: float | None = None


class AddressTown(SQLModel, table=True):
    """A municipality of the register with its point count: towns are found here, not by
    grouping three million points on every key."""

    __tablename__ = "address_town"
    __table_args__ = (Index("ix_address_town_key", "town_key"),)

    municipality_code: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    name: str = Field(max_length=60)
    town_key: str = Field(max_length=60)
    points: int


class AddressStreet(SQLModel, table=True):
    """A street of a municipality, or a part of one that has no streets."""

    __tablename__ = "address_street"

    municipality_code: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    street_key: str = Field(primary_key=True, max_length=80)
    name: str = Field(max_length=80)
    is_part: bool
