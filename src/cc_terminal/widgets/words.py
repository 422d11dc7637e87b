"""Words drawn in the language of the moment: a label looked up in a table of ``N_``-marked
text, and numbers as the operator's language writes them (the language can change after
the tables were built, at sign-in or on F10; days are named by cc_terminal.formats)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, TypeVar

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal, format_percent
from rich.cells import cell_len

from cc_terminal.i18n import _, current_language

Key = TypeVar("Key")


def label(labels: Mapping[Any, str], key: object) -> str:
    """``key``'s label in the current language; a key the table does not know (stored by a
    newer version, or data) is shown as it is, never passed to the catalogue."""
    return _(labels[key]) if key in labels else str(key)


def shipped(text: str) -> str:
    """A list entry's label (a call reason, a disposition): the ones the package ships are
    in the catalogue, a team lead's own come back as they are."""
    return _(text) if text else text


def labelled(labels: Mapping[Key, str]) -> list[tuple[str, Key]]:
    """A select's options from a table of labels: (label in the current language, key)."""
    return [(_(text), key) for key, text in labels.items()]


def titles(columns: Iterable[str]) -> list[str]:
    """Column titles marked with ``N_`` in the current language (an empty one stays empty:
    the catalogue's "" is its header)."""
    return [_(title) if title else title for title in columns]


def titled(columns: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """A RowTable's columns (title marked with ``N_``, width) in the current language, each
    at least as wide as its title there: a Czech title is often longer ("Try" is "Pok.")."""
    shown = ((_(title) if title else title, width) for title, width in columns)
    return tuple((title, max(width, cell_len(title))) for title, width in shown)


@cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):  # a test's pseudo-locale: English names
        return Locale.parse("en")


def kilometres(metres: float) -> str:
    """A distance in kilometres to one decimal, as the language writes it: "1.5 km", "1,5 km"."""
    shown = format_decimal(round(metres / 1000, 1), "#,##0.0", locale=_locale(current_language()))
    return _("{distance} km").format(distance=shown)


def percent(share: float) -> str:
    """A share as a whole percentage, as the language writes it: "25%", "25 %"."""
    return format_percent(share, locale=_locale(current_language()))
