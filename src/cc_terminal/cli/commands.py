"""The command line's own Typer: its usage line (placeholders too) and the --help
option's line in the language of the terminal. Typer keeps a copy of Click that writes
them in English without gettext; everything else Click and Typer say goes through the
catalogue already (cli_words.py)."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from cc_terminal.i18n import N_, _

# The placeholders of the usage line, as Typer writes them.
PLACEHOLDERS = {"[OPTIONS]": N_("[OPTIONS]"), "COMMAND [ARGS]...": N_("COMMAND [ARGS]...")}


class _TranslatedWords:
    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        words = [_(PLACEHOLDERS[piece]) if piece in PLACEHOLDERS else piece for piece in pieces]
        formatter.write_usage(ctx.command_path, " ".join(words), prefix=_("Usage:") + " ")

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _("Show this message and exit.")
        return option


class TranslatedCommand(_TranslatedWords, TyperCommand):
    pass


class TranslatedGroup(_TranslatedWords, TyperGroup):
    pass


class CommandLine(typer.Typer):
    """typer.Typer whose groups and commands speak the terminal's language."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("cls", TranslatedGroup)
        super().__init__(**options)

    def command(self, *args: Any, **options: Any) -> Any:
        options.setdefault("cls", TranslatedCommand)
        return super().command(*args, **options)
