"""Text folded for matching: lower-case ASCII without diacritics, so that "Dvorakova"
matches "Dvořáková". Plain Python: the screens filter with it too."""

from __future__ import annotations

import re
import unicodedata

MAX_TERM = 80
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_RUNS = re.compile(r"[a-z]+|[0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII without diacritics; anything else becomes a space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", plain.replace("ł", "l").replace("ø", "o")).strip()


def words(text: str) -> list[str]:
    """The searchable words of a text: folded runs of letters or of digits, two characters
    or more (or a number). "jan.novak42@example.cz" gives jan, novak, 42, example, cz, so an
    e-mail adds its owner's name once, not a hundred spellings of it."""
    return [
        word[:MAX_TERM] for word in _RUNS.findall(fold(text)) if len(word) > 1 or word.isdigit()
    ]
