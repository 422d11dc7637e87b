"""The customer's fields, declared once: each field's name, label, length, check, and where
it goes (the card, the search, an erasure, the exports, a lead file's columns).

Everything that lists the customer's fields reads this table: the model's columns
(models/customer.py), the form, the card, the drafts, the card query, the search index and
sync's re-index, the lead import and the exports. Adding an optional field is one entry
here, a migration adding its column, and a test. It imports nothing of the layers, so the
screens can read it before the database loads.

The phones (a table of their own) and the flags (do not call, priority) are not text
fields and are not here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from cc_terminal import limits
from cc_terminal.i18n import _

ERASED_NAME = "(erased)"  # stored, so the same on every terminal whatever its language


class Check(StrEnum):
    """How a typed value is checked before it is stored (services/calls/customers.py)."""

    TEXT = "text"  # one line or more, no control characters, within the length
    EMAIL = "email"  # an address, or nothing
    WHOLE_NUMBER = "whole_number"  # digits within ``bounds``, or nothing


class Searched(StrEnum):
    """Whether the customer can be found by the field's words (store/search_index.py)."""

    NO = "no"
    WORDS = "words"  # each word: "Nová 5" is found by "nova" and by "5"
    JOINED = "joined"  # as one word without its spaces: "110 00" is found by "11000"


class OnCard(StrEnum):
    """Where the card shows the field (widgets/customer_card.py)."""

    TITLE = "title"  # the card's first line
    ADDRESS = "address"  # in the one address line, in the table's order
    ROW = "row"  # a row of its own, under its label
    HIDDEN = "hidden"


@dataclass(frozen=True)
class CustomerField:
    name: str  # the column, the draft's key, the form's input id
    label: Callable[[], str]  # called where drawn, so the operator's language is used
    max_length: int
    check: Check = Check.TEXT
    bounds: tuple[int, int] = (0, 0)  # a whole number's least and greatest value
    required: bool = False
    multi_line: bool = False  # stored as TEXT, not VARCHAR(max_length)
    on_card: OnCard = OnCard.ROW
    searched: Searched = Searched.NO
    erased_to: str = ""  # what an erasure leaves in it
    lead_export_column: str = ""  # the column of the campaign's lead export; "" = not there
    dialer_columns: tuple[str, ...] = ()  # the VICIdial and GOautodial columns it is read from
    import_headers: frozenset[str] = frozenset()  # folded headers a lead file may give it


# The card's address line: the parts of each group joined by a space, the groups by a comma.
ADDRESS_LINE = (("street", "house_number"), ("postal_code", "city"))

CUSTOMER_FIELDS: tuple[CustomerField, ...] = (
    CustomerField(
        "full_name",
        lambda: _("Full name"),
        limits.FULL_NAME,
        required=True,
        on_card=OnCard.TITLE,
        searched=Searched.WORDS,
        erased_to=ERASED_NAME,
        lead_export_column="customer",
    ),
    CustomerField(
        "street",
        lambda: _("Street"),
        limits.STREET,
        on_card=OnCard.ADDRESS,
        searched=Searched.WORDS,
        import_headers=frozenset({"street", "ulice", "address", "address1", "adresa"}),
    ),
    CustomerField(
        "house_number",
        lambda: _("House number"),
        limits.HOUSE_NUMBER,
        on_card=OnCard.ADDRESS,
        searched=Searched.WORDS,
        import_headers=frozenset({"house number", "cislo popisne", "cp", "number"}),
    ),
    CustomerField(
        "city",
        lambda: _("City"),
        limits.CITY,
        on_card=OnCard.ADDRESS,
        searched=Searched.WORDS,
        lead_export_column="city",
        dialer_columns=("city", "City"),
        import_headers=frozenset({"city", "town", "mesto", "obec"}),
    ),
    CustomerField(
        "postal_code",
        lambda: _("Postal code"),
        limits.POSTAL_CODE,
        on_card=OnCard.ADDRESS,
        searched=Searched.JOINED,
        dialer_columns=("postal_code", "PostalCode"),
        import_headers=frozenset({"postal code", "postcode", "zip", "psc"}),
    ),
    CustomerField(
        "email",
        lambda: _("E-mail"),
        limits.EMAIL,
        check=Check.EMAIL,
        searched=Searched.WORDS,
        dialer_columns=("email", "Email"),
        import_headers=frozenset({"email", "e mail", "mail"}),
    ),
    CustomerField("notes", lambda: _("Notes"), limits.NOTES, multi_line=True, on_card=OnCard.ROW),
)

FIELD_NAMES = tuple(field.name for field in CUSTOMER_FIELDS)
BY_NAME = {field.name: field for field in CUSTOMER_FIELDS}
IMPORTED = tuple(field for field in CUSTOMER_FIELDS if field.import_headers)
IN_DIALER_FILES = tuple(field for field in CUSTOMER_FIELDS if field.dialer_columns)
LEAD_EXPORTED = tuple(field for field in CUSTOMER_FIELDS if field.lead_export_column)
# An erased customer's fields as every terminal keeps them (sync applies them after any edit).
ERASED_VALUES = {field.name: field.erased_to for field in CUSTOMER_FIELDS}


def field_named(name: str) -> CustomerField:
    """The declared field; a name that is not one is a programming error, said at once."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a declared customer field") from None


def empty_values() -> dict[str, str]:
    return dict.fromkeys(FIELD_NAMES, "")


def address_of(values: Mapping[str, str]) -> str:
    """The one address line: "Nová 5, 110 00 Praha" (street and number, then the town)."""
    groups = (
        " ".join(v for v in (values.get(n, "") for n in group) if v) for group in ADDRESS_LINE
    )
    return ", ".join(group for group in groups if group)
