"""The Czech catalogue is complete: every entry of the template translated, none fuzzy,
placeholders kept, three plural forms; and the template holds every string of the code
(``make i18n`` refreshes both)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from cc_terminal import i18n

LOCALES = i18n.LOCALE_DIR
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{[a-z_][a-z_0-9]*(?:[!:][^{}]*)?\}")


def catalogue(path: Path):
    with path.open("rb") as source:
        return read_po(source, locale="cs")


def ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_every_string_of_the_code_is_in_the_template():
    source = Path(i18n.__file__).parent
    method_map = [("**.py", "python")]
    found = {
        (context, message if isinstance(message, str) else message[0])
        for _file, _line, message, _comments, context in extract_from_dir(
            source, method_map, keywords=KEYWORDS
        )
    }
    template = {(m.context, ids(m)[0]) for m in catalogue(LOCALES / "cc_terminal.pot") if m.id}
    assert sorted(found - template, key=str) == [], "run make i18n"
    # the shipped lists' labels are in it too (tests/common/test_shipped_lists.py)


def test_the_czech_catalogue_translates_every_entry_of_the_template():
    template = catalogue(LOCALES / "cc_terminal.pot")
    czech = catalogue(LOCALES / "cs" / "LC_MESSAGES" / "cc_terminal.po")
    assert czech.plural_forms.startswith("nplurals=3;")
    missing, fuzzy = [], []
    for entry in template:
        if not entry.id:
            continue
        translated = czech.get(entry.id, context=entry.context)
        if translated is None or not all(strings(translated)):
            missing.append(ids(entry)[0])
        elif translated.fuzzy:
            fuzzy.append(ids(entry)[0])
    assert missing == [] and fuzzy == [], f"run make i18n and translate: {missing + fuzzy}"


def test_every_translation_keeps_the_placeholders_and_has_three_plural_forms():
    wrong = []
    for entry in catalogue(LOCALES / "cs" / "LC_MESSAGES" / "cc_terminal.po"):
        if not entry.id:
            continue
        if isinstance(entry.id, tuple) and len(strings(entry)) != 3:
            wrong.append((ids(entry)[0], "three forms"))
        wanted = {p for text in ids(entry) for p in PLACEHOLDER.findall(text)}
        for text in strings(entry):
            if set(PLACEHOLDER.findall(text)) != wanted:
                wrong.append((ids(entry)[0], text))
    assert wrong == []
