"""One gettext-style translation function for every user-visible string.

Catalogues live in ``cc_terminal/locale/<lang>/LC_MESSAGES/cc_terminal.mo``; the language
comes from ``CC_TERMINAL_LANG`` (falling back to the usual ``LANGUAGE``/``LANG``). A missing
catalogue means English, never an error.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

DOMAIN = "cc_terminal"
LOCALE_DIR = Path(__file__).parent / "locale"


@cache
def _translation() -> gettext.NullTranslations:
    wanted = os.environ.get("CC_TERMINAL_LANG")
    languages = [wanted] if wanted else None
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=languages, fallback=True)


def _(message: str) -> str:
    """Translate ``message`` into the operator's language."""
    return _translation().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translation().ngettext(singular, plural, count)
