"""Plain, immutable results the services hand to the CLI and the screens (no ORM objects)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import overload

from cc_terminal.customer_fields import FIELD_NAMES, address_of


@dataclass(frozen=True)
class Actor:
    """The logged-in person a service call acts for."""

    operator_id: uuid.UUID
    username: str
    full_name: str
    role: str
    department: str = ""
    must_change_password: bool = False  # signed in with a password a team lead chose
    language: str = ""  # the person's own language for the workstation; "" the terminal's
    phone_extension: str = ""  # the extension the team lead gave them; "" the terminal's

    @property
    def is_lead(self) -> bool:
        return self.role == "lead"


@dataclass(frozen=True)
class Choice:
    """One entry of a closed list (a call reason, an outcome, a request category...).

    ``key`` is an outcome's digit; ``sla_minutes`` and ``department`` belong to request
    categories; a retired entry stays readable on old records but is not offered."""

    code: str
    label: str
    key: str = ""
    sla_minutes: int | None = None
    department: str = ""
    active: bool = True
    # a department's week, empty: the default hours (services/common/working_hours.py);
    # None in an edit: keep the stored week
    working_hours: str | None = None


@dataclass(frozen=True)
class CallSummary:
    id: uuid.UUID
    started_at: datetime
    direction: str
    reason: str
    outcome: str
    notes: str
    talk_seconds: int
    wrap_seconds: int
    operator_name: str = ""


class EntryKind(StrEnum):
    CALL = "call"
    OFFER = "offer"
    REQUEST = "request"
    REQUEST_STEP = "step"
    ESCALATION = "escalation"
    OUTBOUND = "outbound"
    ORDER = "order"


@dataclass(frozen=True)
class LedgerEntry:
    """One line of the ledger. ``code`` is the reason, product, or request category;
    ``result`` the outcome, the answer to an offer, or a status; the screen labels them."""

    at: datetime
    kind: EntryKind
    code: str
    result: str
    detail: str
    operator_name: str
    record_id: uuid.UUID
    amount_minor: int | None = None
    currency: str = ""
    department: str = ""
    due_at: datetime | None = None
    seconds: int = 0
    reason: str = ""  # an outbound refusal's reason code


@dataclass(frozen=True)
class Phone:
    e164: str
    display: str


@dataclass(frozen=True)
class CustomerCard:
    """A customer as the card shows them. ``values`` holds every declared field
    (customer_fields.py) by name; ``card.city`` reads one of them."""

    id: uuid.UUID
    values: Mapping[str, str]
    do_not_call: bool
    priority: bool
    version: int
    phones: tuple[Phone, ...] = ()
    timeline: Sequence[LedgerEntry] = ()  # newest first; a Timeline from the services
    last_contact: datetime | None = None

    def __getattr__(self, name: str) -> str:
        if name in FIELD_NAMES:
            return self.values[name]
        raise AttributeError(name)

    @property
    def full_name(self) -> str:
        return self.values["full_name"]

    @property
    def address(self) -> str:
        return address_of(self.values)


@dataclass(frozen=True)
class PhoneLookup:
    """The normalised number and every customer that has it (usually zero or one)."""

    e164: str
    display: str
    matches: tuple[CustomerCard, ...]


@dataclass(frozen=True, init=False)
class CustomerDraft:
    """What a customer form holds, as typed, field by name (keywords only). An edit changes
    the fields it names and no other: one it leaves out keeps what is stored (``phones``
    and ``do_not_call`` likewise, when None). A new customer gets "" for the others. The
    service validates and normalises it."""

    values: Mapping[str, str]
    phones: str | None
    do_not_call: bool | None

    def __init__(
        self, *, phones: str | None = None, do_not_call: bool | None = None, **values: str
    ) -> None:
        unknown = sorted(set(values) - set(FIELD_NAMES))
        if unknown:
            raise TypeError(f"not customer fields: {', '.join(unknown)}")
        object.__setattr__(self, "values", MappingProxyType(dict(values)))
        object.__setattr__(self, "phones", phones)
        object.__setattr__(self, "do_not_call", do_not_call)

    def __getattr__(self, name: str) -> str:
        if name in FIELD_NAMES:
            return self.value(name)
        raise AttributeError(name)

    def value(self, name: str) -> str:
        """The field as typed, or "" when the draft does not name it."""
        return self.values.get(name, "")

    @classmethod
    def from_card(
        cls,
        card: CustomerCard,
        *,
        phones: str | None = None,
        do_not_call: bool | None = None,
        **changes: str,
    ) -> CustomerDraft:
        """The card as a form shows it (every field, its phones and its flag), with
        ``changes`` typed over it."""
        return cls(
            phones=", ".join(p.display for p in card.phones) if phones is None else phones,
            do_not_call=card.do_not_call if do_not_call is None else do_not_call,
            **{**card.values, **changes},
        )


@dataclass(frozen=True)
class CallDraft:
    """An incoming call as the operator closes it."""

    customer_id: uuid.UUID | None
    phone_e164: str
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime
    reason: str
    outcome: str
    notes: str = ""
    direction: str = "in"
    channel: str = "voice"
    # Made when the call opened: offers, requests and escalations point at it before
    # the call itself is stored.
    call_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True)
class CallDraftState:
    """Everything typed into an open call, as the local draft keeps it."""

    customer_id: uuid.UUID
    customer_name: str
    phone_e164: str
    started_at: datetime
    hung_up_at: datetime | None = None
    reason: str = ""
    notes: str = ""
    call_id: uuid.UUID = field(default_factory=uuid.uuid4)
    # the phone's call it is (services/phone's call_key) and when the phone answered
    phone_key: str = ""
    answered_at: datetime | None = None
    # the missed phone call this call calls back: saving it marks that callback done
    callback_of: uuid.UUID | None = None


@dataclass(frozen=True)
class TodayStats:
    calls: int = 0
    talk_seconds: int = 0
    wrap_seconds: int = 0
    by_outcome: dict[str, int] = field(default_factory=dict)
    successes: int = 0
    earned_minor: int | None = None  # None: no pay plan
    pending: int = 0
    currency: str = "CZK"

    @property
    def average_handling_seconds(self) -> int:
        return (self.talk_seconds + self.wrap_seconds) // self.calls if self.calls else 0


@dataclass(frozen=True)
class OperatorInfo:
    id: uuid.UUID
    username: str
    full_name: str
    role: str
    active: bool
    locked_until: datetime | None
    department: str = ""


class Timeline(Sequence[LedgerEntry]):
    """A customer's ledger, newest first, whose entries are made the first time they are
    read: the screen pop reads one screenful of a ledger of 500, and making all 500 (their
    times, ids and fields converted) was most of the pop's database time. ``kinds`` are
    known at once, so a reader looking for one kind makes only the entries of that kind.
    Compared with another sequence as the entries it holds."""

    def __init__(self, kinds: Sequence[EntryKind], make: Callable[[int], LedgerEntry]) -> None:
        self.kinds = kinds
        self._make = make
        self._made: dict[int, LedgerEntry] = {}

    def __len__(self) -> int:
        return len(self.kinds)

    @overload
    def __getitem__(self, index: int) -> LedgerEntry: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[LedgerEntry, ...]: ...
    def __getitem__(self, index: int | slice) -> LedgerEntry | tuple[LedgerEntry, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        made = self._made.get(index)
        if made is None:
            made = self._made[index] = self._make(index)
        return made

    def __iter__(self) -> Iterator[LedgerEntry]:
        return (self[i] for i in range(len(self)))

    def of_kind(self, *kinds: EntryKind) -> Iterator[LedgerEntry]:
        """The entries of these kinds, newest first; no other entry is made."""
        return (self[i] for i, kind in enumerate(self.kinds) if kind in kinds)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Timeline({len(self)} entries)"


def of_kind(entries: Sequence[LedgerEntry], *kinds: EntryKind) -> Iterator[LedgerEntry]:
    """The entries of these kinds, in order, making no other entry of a Timeline."""
    if isinstance(entries, Timeline):
        return entries.of_kind(*kinds)
    return (entry for entry in entries if entry.kind in kinds)
