"""Textual's command palette in the language shown: its prompt, and the line it shows
when a search finds nothing (Textual writes "No matches found" in English itself)."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from cc_terminal.i18n import _
from cc_terminal.textual_words import NO_MATCHES, SEARCH_PROMPT


class Palette(CommandPalette):
    def __init__(self) -> None:
        super().__init__(placeholder=_(SEARCH_PROMPT), id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        super()._start_no_matches_countdown(search_value)
        if search_value:  # Textual's own timer would add its English line: ours instead
            self._stop_no_matches_countdown()
            self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, self._no_matches)

    def _no_matches(self) -> None:
        words = Text(_(NO_MATCHES), style="not bold")
        option = Option(Align.center(words), disabled=True, id=self._NO_MATCHES)
        self.query_one(CommandList).add_option(option)
        self._list_visible = True
