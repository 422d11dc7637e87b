"""F8 in a real terminal (tmux, the installed command on the demo floor): a visitor's chat
started while nobody was signed in is Jana's when she signs in, she answers with Enter,
the visitor's next line reaches the open chat, and Ctrl+E with an outcome's digit closes
it into the customer's ledger. The visitor's side writes through the gateway's service
(the gateway's own process is tested in tests/channels/chat/); the database is checked
afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cc_terminal.config import Settings
from cc_terminal.models.base import utcnow
from cc_terminal.services.channels.visitors import VisitorChats
from cc_terminal.services.workstation import open_workstation
from tests.channels.conftest import form, gateway_account
from tests.screens.test_e2e_tmux import sign_in, wait_until, workstation

pytestmark = pytest.mark.e2e
HOSTILE = "Is my bill right? <b>[bold]thanks[/bold]</b>"  # control characters: refused


def visitors_of(data_dir: Path, lead_password: str) -> VisitorChats:
    ws = open_workstation(
        Settings(db_url=f"sqlite:///{data_dir / 'demo.sqlite3'}", data_dir=data_dir)
    )
    lead = ws.auth.login("vedouci", lead_password)
    return VisitorChats(ws.db, utcnow, gateway_account(ws, lead, data_dir))


def chat_rows(database: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT author, text FROM conversation_message ORDER BY seq"
        ).fetchall()


def test_a_chat_taken_answered_and_closed_from_the_keyboard(demo_floor):
    data_dir, passwords = demo_floor
    database = data_dir / "demo.sqlite3"
    chats = visitors_of(data_dir, passwords["vedouci"])
    started = chats.start(form(name="Eva Malá", contact="eva.mala@example.cz"))
    chats.post(started.token, "v1", HOSTILE)
    terminal = workstation(data_dir)
    try:
        sign_in(terminal, "jana", passwords["jana"], "Today: ")  # the waiting chat is hers
        terminal.keys("F8")
        terminal.wait_for("1 open chat of mine")
        terminal.wait_for("<b>[bold]thanks[/bold]</b>")  # the visitor's text as typed, no markup
        terminal.keys("m")
        terminal.type("Dobrý den, podívám se.")
        terminal.keys("Enter")
        # the typed line is on screen in the box already: wait for it to be stored
        stored = wait_until(lambda: ("operator", "Dobrý den, podívám se.") in chat_rows(database))
        assert stored, terminal.screen()  # what the screen said instead (a failure above the box?)
        chats.post(started.token, "v2", "Thank you, waiting")
        terminal.wait_for("Thank you, waiting")
        terminal.keys("C-e")
        # the picker's own words: the chat's key bar says "Close with outcome" already, and
        # a digit pressed before the picker is up picks a chat instead
        terminal.wait_for("How did the chat with")
        terminal.keys("1")
        terminal.wait_for("closed and in the customer's ledger")
    finally:
        terminal.close()
    said = chat_rows(database)
    assert said[:4] == [
        ("visitor", HOSTILE),
        ("system", "Jana joined the chat."),
        ("operator", "Dobrý den, podívám se."),
        ("visitor", "Thank you, waiting"),
    ]
    with sqlite3.connect(database) as connection:
        ((channel, messages),) = connection.execute(
            "SELECT channel, messages FROM call WHERE channel = 'chat'"
        ).fetchall()
    assert (channel, messages) == ("chat", 1)
