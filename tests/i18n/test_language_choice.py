"""Which language the workstation speaks: --lang, then CC_TERMINAL_LANG, then the system's
locale; a language without a catalogue is English and one line in the log, never a crash;
the catalogue is read from its .po when the compiled .mo is missing."""

from __future__ import annotations

import logging
import shutil

import pytest

from cc_terminal import i18n
from cc_terminal.i18n import _, ngettext, set_language, terminal_language


@pytest.fixture(autouse=True)
def english_again():
    yield
    set_language("en")


@pytest.mark.parametrize(
    ("chosen", "environ", "expected"),
    [
        (None, {}, "en"),
        (None, {"LANG": "cs_CZ.UTF-8"}, "cs"),
        (None, {"LANG": "C.UTF-8"}, "en"),
        (None, {"LC_ALL": "cs_CZ.utf8", "LANG": "en_US.UTF-8"}, "cs"),
        (None, {"LANG": "en_GB.UTF-8", "LANGUAGE": "cs"}, "en"),
        (None, {"CC_TERMINAL_LANG": "en", "LANG": "cs_CZ.UTF-8"}, "en"),
        ("cs", {"CC_TERMINAL_LANG": "en"}, "cs"),
        ("CS", {}, "cs"),
        (None, {"LANG": "POSIX", "LANGUAGE": "cs_CZ:en"}, "cs"),
    ],
)
def test_the_terminals_language_comes_from_the_option_the_variable_then_the_locale(
    chosen, environ, expected
):
    assert terminal_language(chosen, environ) == expected


def test_a_language_without_a_catalogue_is_english_with_one_line_in_the_log(caplog):
    with caplog.at_level(logging.WARNING, logger="cc_terminal.i18n"):
        assert terminal_language(None, {"LANG": "de_DE.UTF-8"}) == "en"
        assert set_language("xx") == "en"
    assert _("Help") == "Help"
    lines = [record.getMessage() for record in caplog.records]
    assert any("'de'" in line for line in lines) and any("'xx'" in line for line in lines)


def test_czech_is_spoken_with_its_three_plural_forms():
    assert set_language("cs_CZ.UTF-8") == "cs"
    assert _("Help") == "Nápověda"
    forms = [
        ngettext("{n} change not yet shared", "{n} changes not yet shared", n).format(n=n)
        for n in (1, 3, 5, 0)
    ]
    assert len(set(forms[:3])) == 3, forms  # 1, 2-4 and 5+ differ
    assert forms[3].startswith("0 ") and forms[3][2:] == forms[2][2:]
    set_language("en")
    assert _("Help") == "Help"


def test_the_catalogue_is_read_from_its_po_when_the_mo_is_missing(tmp_path, monkeypatch):
    here = i18n.LOCALE_DIR / "cs" / "LC_MESSAGES" / "cc_terminal.po"
    folder = tmp_path / "cs" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(here, folder / "cc_terminal.po")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n._load.cache_clear()
    try:
        assert not (folder / "cc_terminal.mo").exists()
        assert set_language("cs") == "cs"
        assert _("Help") == "Nápověda"
    finally:
        i18n._load.cache_clear()


def test_the_compiled_catalogue_is_built_at_install():
    """make setup/test/demo compile it (the Makefile's catalogue rule; an older one than
    its .po is not read: the .po is)."""
    assert (i18n.LOCALE_DIR / "cs" / "LC_MESSAGES" / "cc_terminal.mo").exists()


def test_days_and_months_are_named_in_the_language_shown():
    from datetime import date

    from cc_terminal import formats

    monday = date(2026, 12, 7)
    set_language("cs")
    assert formats.short_day(monday) == "po 07.12."
    assert formats.long_weekday(date(2026, 12, 9)) == "středa"
    assert formats.month_name(monday) == "prosinec 2026"
    assert formats.money(123450, "CZK") == "1\xa0234,50\xa0Kč"
    set_language("en")
    assert formats.day_with_year(date(2026, 12, 13)) == "Sun 13.12.2026"
    assert formats.month_name(monday) == "December 2026"
    assert formats.money(123450, "CZK") == "1\xa0234,50\xa0Kč"  # the floor's money either way
