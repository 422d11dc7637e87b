"""A pseudo-language for finding text that escapes translation: every entry of the template
translated as itself between ⟦ and ⟧, compiled into a catalogue folder of its own. What a
screen shows outside the brackets was never translated, or is data."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from cc_terminal import i18n
from cc_terminal.i18n_extract import labels_of

PSEUDO = "qps"  # the code pseudo-locales use
OPEN, CLOSE = "⟦", "⟧"
# Outside the brackets and never translated: key names, units, product names, the days and
# months babel names in English for a language it does not know.
KEYS_AND_UNITS = (
    "F1 F2 F3 F4 F5 F6 F7 F8 F9 F10 F11 F12 Ctrl Enter Esc Tab Shift Alt Super PgUp PgDn space "
    "cc terminal SQLite PostgreSQL CSV XLSX Kč CZK EUR min h s ms "
    "Mon Tue Wed Thu Fri Sat Sun January February March April May June July August "
    "September October November December"
)
# each language is named in its own words, never translated
NOT_WORDS = frozenset(KEYS_AND_UNITS.split()) | frozenset(i18n.LANGUAGE_NAMES.values())
TEMPLATE = i18n.LOCALE_DIR / "cc_terminal.pot"  # the real one: a test moves LOCALE_DIR
WORD = re.compile(r"[^\W\d_]{2,}")
CODE = re.compile(r"\b[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)+\b")  # too_expensive, WORK-INSTALL: ids


def pseudo_catalogue(folder: Path) -> Path:
    """The pseudo catalogue under ``folder`` (a LOCALE_DIR of its own)."""
    with TEMPLATE.open("rb") as source:
        template = read_po(source)
    pseudo = Catalog(locale="en", domain=i18n.DOMAIN)
    for entry in template:
        if not entry.id:
            continue
        if isinstance(entry.id, tuple):
            string: object = tuple(f"{OPEN}{form}{CLOSE}" for form in entry.id)
        else:
            string = f"{OPEN}{entry.id}{CLOSE}"
        pseudo.add(entry.id, string, context=entry.context)
    target = folder / PSEUDO / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / f"{i18n.DOMAIN}.po").write_text("")  # marks the language as one with a catalogue
    with (target / f"{i18n.DOMAIN}.mo").open("wb") as compiled:  # newer: read, not the .po
        write_mo(compiled, pseudo)
    return folder


def outside_brackets(text: str) -> Iterable[str]:
    """The pieces of ``text`` not inside ⟦…⟧. A bracket cut off by a narrow column closes at
    its ellipsis (right after a letter: "Call b…"; an ellipsis after a space is text, as in a
    legend's "… waitlisted") or at a box line."""
    depth, piece, before = 0, [], " "
    for char in text:
        if char == OPEN:
            depth += 1
        elif char == CLOSE and depth:
            depth -= 1
        elif depth and (char in "│┃" or (char == "…" and not before.isspace())):
            depth = 0
        elif not depth:
            piece.append(char)
        before = char
    return "".join(piece).splitlines()


def shipped_words() -> frozenset[str]:
    """The words of the lists a floor starts with: stored in English, translated where drawn."""
    lists = resources.files("cc_terminal.data")
    return frozenset(
        word
        for name in ("reference.json", "dispositions.json")
        for label in labels_of(json.loads(lists.joinpath(name).read_text("utf-8")))
        for word in WORD.findall(label)
    )


def data_words(database: Path) -> frozenset[str]:
    """Every word of every text value the database holds, but the workstation's own words
    in the shipped lists: what a screen may show untranslated."""
    words: set[str] = set()
    with sqlite3.connect(database) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if isinstance(value, str):
                        words.update(WORD.findall(value))
    return frozenset(words) - shipped_words()


def escaped_words(screen: str, data: frozenset[str]) -> list[str]:
    """Words on the screen outside the brackets that are not data and not key names."""
    found = []
    for line in outside_brackets(screen):
        for word in WORD.findall(CODE.sub(" ", line)):
            if word in NOT_WORDS or word in data:
                continue
            if any(known.startswith(word) for known in data):
                continue  # a name cut off by its column
            found.append(word)
    return found
