"""The customer's address, as their card holds it, found in the register: an order's form
offers it, so an operator taking an order from a call types no address the card already
has (the read-back panel still says it to the caller)."""

from __future__ import annotations

from collections.abc import Mapping

from cc_terminal.folding import fold
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.orders.addresses import Address, AddressBook
from cc_terminal.services.orders.values import ChosenAddress

CANDIDATES = 20


def register_address(book: AddressBook, card: Mapping[str, str]) -> ChosenAddress | None:
    """The one point of the register the card's town, street and house number name (its
    postal code telling towns of one name apart); None when the card lacks a part, names
    no point, or names more than one."""
    town, street, number = (
        card.get(name, "").strip() for name in ("city", "street", "house_number")
    )
    if not (town and street and number):
        return None
    postal_code = card.get("postal_code", "").replace(" ", "")
    found = {
        point.code: point
        for point in _points(book, town, street, number)
        if not postal_code or point.postal_code == postal_code
    }
    if len(found) != 1:
        return None
    (point,) = found.values()
    return ChosenAddress(point.code, point.text())


def _points(book: AddressBook, town: str, street: str, number: str) -> list[Address]:
    points: list[Address] = []
    for found_town in book.towns(town, limit=CANDIDATES):
        if fold(found_town.name) != fold(town):
            continue
        for found_street in book.streets(found_town.code, street, limit=CANDIDATES):
            if fold(found_street.name) != fold(street):
                continue
            try:
                check = book.check_number(found_town.code, found_street.key, number)
            except ValidationFailed:
                return []  # not a house number: nothing to offer
            if not check.other_series:
                points.extend(check.points)
    return points
