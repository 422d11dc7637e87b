"""Textual's own words the workstation shows are in its catalogue (cc_terminal/textual_words.py):
the keys of every kind of field it uses, its palette's commands and prompt, and the line
the palette shows when a search finds nothing."""

from __future__ import annotations

from textual.app import App
from textual.command import CommandList
from textual.containers import ScrollableContainer, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList, Select, Tabs, TextArea
from textual.widgets._select import SelectOverlay

from cc_terminal import textual_words
from cc_terminal.app import CCTerminal
from cc_terminal.config import Settings
from cc_terminal.i18n import set_language
from tests.tui import wait_until

USED = (App, Screen, Input, TextArea, DataTable, OptionList, Select, SelectOverlay, Tabs)
USED += (ScrollableContainer, VerticalScroll)


def test_every_key_of_textuals_fields_is_listed_for_the_catalogue():
    described = {
        binding.description
        for kind in USED
        for bindings in kind._merged_bindings.key_to_bindings.values()
        for binding in bindings
        if binding.description
    }
    assert described - set(textual_words.FIELD_KEYS) == set()


async def test_textuals_palette_commands_are_shown_translated(tmp_path):
    app = CCTerminal(Settings(db_url=f"sqlite:///{tmp_path / 'x.sqlite3'}", data_dir=tmp_path))
    async with app.run_test():
        screen = app.screen
        original = {(c.title, c.help) for c in App.get_system_commands(app, screen)}
        assert {text for pair in original for text in pair} <= set(textual_words.PALETTE)
        set_language("cs")
        try:
            shown = {c.title for c in app.get_system_commands(screen)}
            assert "Ukončit" in shown and "Quit" not in shown
        finally:
            set_language("en")


async def test_the_palette_says_it_found_nothing_in_the_language_shown(tmp_path):
    app = CCTerminal(Settings(db_url=f"sqlite:///{tmp_path / 'x.sqlite3'}", data_dir=tmp_path))
    set_language("cs")
    try:
        async with app.run_test() as pilot:
            await pilot.press("ctrl+p")
            await pilot.wait_for_scheduled_animations()
            palette = app.screen
            assert palette.query_one(Input).placeholder == "Hledat příkaz…"
            await pilot.press(*"qqqxyz")
            command_list = palette.query_one(CommandList)

            def said_nothing_found() -> bool:
                return (
                    command_list.option_count == 1 and command_list.get_option_at_index(0).disabled
                )

            await wait_until(pilot, said_nothing_found)  # Textual says it after half a second
            shown = command_list.get_option_at_index(0).prompt.renderable.plain
            assert shown == "Nic nenalezeno"
    finally:
        set_language("en")
