"""The operator's side of a chat in the workstation itself, for the browser tests: the app
on the real clock (the gateway process runs on it: they compare moments), signed in and
on F8, driven by Pilot; what its chat pane shows; an answer typed in the message box; the
open chat closed with an outcome's digit."""

from __future__ import annotations

from dataclasses import replace

from textual.pilot import Pilot

from cc_terminal.app import CCTerminal
from cc_terminal.models.base import utcnow
from cc_terminal.screens.channels.chats import ChatScreen
from cc_terminal.services.workstation import Workstation
from tests.tui import settle, sign_in, type_text, wait_until


def operator_terminal(ws: Workstation) -> CCTerminal:
    """The workstation on the test's store (``ws``), whose connections stay open beside
    the app's: a second engine on the file must not drop their locks (store/db.py,
    ``prepare_private_file``; before, the gateway started again deleted the WAL they read,
    and no line written since reached the chat area)."""
    return CCTerminal(replace(ws.settings, cursor_blink=False, language="en"), clock=utcnow)


async def chat_area(pilot: Pilot, username: str = "jana") -> ChatScreen:
    """Signed in, F8: the chat area."""
    await settle(pilot)
    await sign_in(pilot, username)
    await pilot.press("f8")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ChatScreen)
    return screen


async def until_shown(pilot: Pilot, screen: ChatScreen, text: str) -> None:
    """Until the open chat's pane shows ``text`` (the area reads on a notice or its timer)."""
    await wait_until(pilot, lambda: text in str(screen.shown_lines))


async def answer(pilot: Pilot, text: str) -> None:
    """Into the message box from wherever the focus is (Escape leaves the box, M is back
    in it: the letter is never typed into the answer), ``text``, Enter sends."""
    await pilot.press("escape", "m")
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def close_with(pilot: Pilot, screen: ChatScreen, digit: str) -> None:
    """Ctrl+E, then the outcome's digit: until the chat is no longer one's own."""
    await pilot.press("escape", "ctrl+e")
    await settle(pilot)
    await pilot.press(digit)
    await settle(pilot)
    await wait_until(pilot, lambda: screen.seen.mine == ())


def said_in_pane(screen: ChatScreen, said: list[str]) -> list[str]:
    """Which of ``said`` each line of the open chat's pane shows, in the pane's order (a
    line said twice is there twice)."""
    lines = str(screen.shown_lines).splitlines()
    return [text for line in lines for text in said if text in line]
