"""One gettext-style translation function for every user-visible string, in a language
that can change while the app runs (an operator's own language after sign-in).

Catalogues live in ``cc_terminal/locale/<lang>/LC_MESSAGES/cc_terminal.mo`` (built from the
``.po`` beside it at install; read from the ``.po`` when the ``.mo`` is missing or older).
The terminal's language comes from ``--lang``, then ``CC_TERMINAL_LANG``, then the system's
locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, ``LANGUAGE``). A language without a catalogue
means English and one line in the log, never an error.

Text fixed when a module is imported (key bindings, column titles, label tables) is marked
with ``N_`` and translated with ``_`` where it is shown, so it follows a language switched
after the start.
"""

from __future__ import annotations

import gettext
import io
import logging
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

DOMAIN = "cc_terminal"
LOCALE_DIR = Path(__file__).parent / "locale"
ENGLISH = "en"
LANGUAGES = ("cs", ENGLISH)  # offered on F10 and by --lang, the operators' first
LANGUAGE_ENV = "CC_TERMINAL_LANG"
LANGUAGE_NAMES = {ENGLISH: "English", "cs": "Čeština"}  # each in its own language

log = logging.getLogger(__name__)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now: it is translated
    with ``_`` where it is shown."""
    return message


def _catalogue_file(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _load(language: str) -> gettext.NullTranslations:
    if language == ENGLISH:
        return gettext.NullTranslations()
    po = _catalogue_file(language)
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as compiled:
            return gettext.GNUTranslations(compiled)
    if po.exists():
        return gettext.GNUTranslations(io.BytesIO(compile_catalogue(po)))
    log.warning("No catalogue for the language %r: English is used.", language)
    return gettext.NullTranslations()


def compile_catalogue(po: Path) -> bytes:
    """The ``.mo`` bytes of a ``.po`` file (babel's reader and writer; fuzzy entries are left
    out, as ``msgfmt`` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        catalogue = read_po(source)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    return compiled.getvalue()


def normalized(code: str | None) -> str | None:
    """``cs_CZ.UTF-8`` -> ``cs``; ``C``, ``POSIX`` and empty mean no choice."""
    if not code:
        return None
    language = code.split(":")[0].split(".")[0].split("@")[0].split("_")[0].split("-")[0]
    language = language.strip().lower()
    return None if language in ("", "c", "posix") else language


def terminal_language(chosen: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The terminal's language: ``chosen`` (``--lang``), ``CC_TERMINAL_LANG``, the locale."""
    env = os.environ if environ is None else environ
    names = (LANGUAGE_ENV, "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
    for code in (chosen, *(env.get(name) for name in names)):
        language = normalized(code)
        if language:
            return language if language in LANGUAGES else _unsupported(language)
    return ENGLISH


def _unsupported(language: str) -> str:
    if not _catalogue_file(language).exists():
        log.warning("No catalogue for the language %r: English is used.", language)
        return ENGLISH
    return language


class _Current:
    language = ENGLISH
    translations: gettext.NullTranslations = gettext.NullTranslations()


def set_language(language: str | None) -> str:
    """Translate from now on into ``language`` (None: the terminal's); returns the one used."""
    wanted = normalized(language) or terminal_language()
    if wanted != ENGLISH and wanted not in LANGUAGES:
        wanted = _unsupported(wanted)
    _Current.language = wanted
    _Current.translations = _load(wanted)
    return wanted


def use_translations(translations: gettext.NullTranslations, language: str) -> None:
    """Translate with a catalogue made elsewhere (tests: the pseudo-locale)."""
    _Current.language = language
    _Current.translations = translations


def current_language() -> str:
    return _Current.language


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _Current.translations.gettext(message)


def translated(language: str, message: str) -> str:
    """``message`` (marked with ``N_``) in ``language``, whatever the current language is:
    for words sent to someone outside the workstation (a chat visitor's own language)."""
    wanted = normalized(language) or ENGLISH
    return _load(wanted if wanted in LANGUAGES else ENGLISH).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _Current.translations.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` where one English word means two things ("late": the shift,
    or a request past its time); ``context`` tells them apart in the catalogue."""
    return _Current.translations.pgettext(context, message)


set_language(None)
