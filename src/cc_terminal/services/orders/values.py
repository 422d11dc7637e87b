"""The plain values an order is made of on its way from the form to the desk: what was
typed (the draft, its addresses, the fields a team lead added), what the checks read from
the stores, and what they hand back (the priced lines, the prepared order)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from cc_terminal.models.order import OrderKind
from cc_terminal.services.calls.catalog import ProductItem
from cc_terminal.services.orders.dispatch import FreeSlot
from cc_terminal.services.orders.loans import LoanTerms


@dataclass(frozen=True)
class ChosenAddress:
    """An address the operator settled: a point of the register, or (a new building, say)
    the text as the caller said it with the reason it is not in the register."""

    code: int | None
    text: str
    override_reason: str = ""


@dataclass(frozen=True)
class ExtraField:
    """A field a team lead added to a kind."""

    code: str
    label: str
    required: bool = False
    choices: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"x:{self.code}"


@dataclass(frozen=True)
class OrderDraft:
    kind: OrderKind
    customer_id: uuid.UUID
    values: Mapping[str, str] = field(default_factory=dict)
    address: ChosenAddress | None = None
    destination: ChosenAddress | None = None  # a taxi's
    lines: tuple[tuple[str, str], ...] = ()  # material code and the quantity as typed
    slot: FreeSlot | None = None
    call_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None
    order_id: uuid.UUID | None = None  # finishing a kept draft


@dataclass(frozen=True)
class PricedLine:
    code: str
    name: str
    quantity: int
    unit_minor: int

    @property
    def amount_minor(self) -> int:
        return self.quantity * self.unit_minor


@dataclass(frozen=True)
class References:
    """What the checks need from the stores, read once by the desk."""

    customer_name: str
    now: datetime
    zone: str
    region: str
    catalogue: Mapping[str, ProductItem]
    loans: Mapping[str, LoanTerms]
    extra_fields: tuple[ExtraField, ...]


@dataclass(frozen=True)
class PreparedOrder:
    """A checked order, ready to be read back and stored."""

    draft: OrderDraft
    values: dict[str, str]
    lines: tuple[PricedLine, ...] = ()
    amount_minor: int | None = None
    currency: str = "CZK"
    payment: Decimal | None = None  # a loan's monthly payment
    first_due: date | None = None
    read_back: str = ""
    checklist: tuple[str, ...] = ()


@dataclass
class Checked:
    lines: tuple[PricedLine, ...] = ()
    amount_minor: int | None = None
    currency: str = "CZK"
    payment: Decimal | None = None
    first_due: date | None = None
    values: dict[str, str] = field(default_factory=dict)
