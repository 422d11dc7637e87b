"""The ``cc-terminal`` entry point.

A plain ``cc-terminal`` (settings from the environment) is how a terminal starts every
morning, so it goes straight to the app; building Typer's command tree would add about
40 ms before the first frame. Any argument goes to the full CLI (cli/main.py).
"""

from __future__ import annotations

import gettext
import os
import sys

from cc_terminal.config import Settings
from cc_terminal.i18n import DOMAIN, LANGUAGE_ENV, LOCALE_DIR, current_language, set_language


def _words_of_click_too() -> None:
    """Click and Typer translate their own words (usage, --help's panels, errors) with the
    standard library's gettext: pointed at this catalogue and language before they are
    imported (cli_words.py lists the words)."""
    gettext.bindtextdomain(DOMAIN, LOCALE_DIR)
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = current_language()


def _language_first(arguments: list[str]) -> None:
    """``--lang`` is read before the commands are imported: their help is translated
    then. It also becomes the terminal's language for everything started from here."""
    for number, argument in enumerate(arguments):
        if argument == "--":
            return
        if argument.startswith("--lang="):
            chosen = argument.removeprefix("--lang=")
        elif argument == "--lang" and number + 1 < len(arguments):
            chosen = arguments[number + 1]
        else:
            continue
        os.environ[LANGUAGE_ENV] = chosen
        set_language(chosen)
        return


def main() -> None:
    _language_first(sys.argv[1:])
    _words_of_click_too()
    if len(sys.argv) > 1:
        from cc_terminal.cli.main import main as cli_main

        cli_main()
        return
    from cc_terminal.cli.start import run_workstation

    sys.exit(run_workstation(Settings.from_env()))
