"""F8 re-reads only what concerns it (issue 26): a line of a colleague's chat does not make
the chat area read again; a line of one of its chats, and a chat handed to it, do at once
(the area's own timer and the header's set an hour apart). On a SQLite file (the data
version watcher) and on PostgreSQL (LISTEN/NOTIFY)."""

from __future__ import annotations

import uuid

import pytest

from cc_terminal import app as app_module
from cc_terminal.screens.channels import chats as chats_module
from cc_terminal.screens.channels.chats import ChatScreen
from cc_terminal.store.change_notice import Notice
from tests.channels.conftest import form, gateway_of, on_shift
from tests.conftest import login
from tests.helpers import rows
from tests.tui import SIZE, make_app, settle, sign_in, wait_until

HEARD_WITHIN = 10.0  # seconds: a bound for a loaded machine, far below the timers' hour


@pytest.fixture
def app(db_url, tmp_path, clock, monkeypatch):
    monkeypatch.setattr(chats_module, "REFRESH_SECONDS", 3600)
    monkeypatch.setattr(app_module, "ESCALATION_POLL_SECONDS", 3600)
    return make_app(db_url, tmp_path, clock)


async def test_only_a_change_to_its_own_chats_reads_f8_again(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ws = pilot.app.require_services()
        gateway = gateway_of(ws, login(ws, "lead"), tmp_path)
        petr = login(ws, "petr")
        on_shift(ws, petr)
        theirs, given = gateway.start(form(name="Eva Malá")), gateway.start(form(name="Ivo Hrubý"))
        held = {chat.id for chat in ws.chats.mine(petr)}  # given to him as they started
        assert held == {theirs.conversation_id, given.conversation_id}
        await sign_in(pilot, "jana")
        await pilot.press("f8")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ChatScreen)
        assert screen.held() == set()
        assert pilot.app.floor_watch.listener.watching.wait(HEARD_WITHIN)
        reads, heard = _counted(ws, screen)

        gateway.post(theirs.token, "v1", "A colleague's chat")
        await wait_until(pilot, lambda: _names(heard, theirs.conversation_id), HEARD_WITHIN)
        await settle(pilot)
        assert reads == []  # heard, and nothing read

        (jana,) = rows(ws, "SELECT id FROM operator WHERE username = 'jana'")
        ws.chats.transfer(petr, given.conversation_id, to_operator=uuid.UUID(str(jana[0])))
        await wait_until(pilot, lambda: given.conversation_id in screen.held(), HEARD_WITHIN)
        assert reads  # read at once, on the notice: the timer is an hour away

        reads.clear()
        gateway.post(given.token, "v1", "Now mine")
        await wait_until(pilot, lambda: "Now mine" in str(screen.shown_lines), HEARD_WITHIN)
        assert reads


def _counted(ws, screen: ChatScreen) -> tuple[list[uuid.UUID], list[Notice]]:
    """The reads of one's chats the area makes (through the real service) and the notices
    it hears."""
    reads: list[uuid.UUID] = []
    heard: list[Notice] = []
    real_mine, real_heard = ws.chats.mine, screen.heard

    def mine(actor):
        reads.append(actor.operator_id)
        return real_mine(actor)

    def hear(notice: Notice) -> None:
        heard.append(notice)
        real_heard(notice)

    ws.chats.mine = mine
    screen.heard = hear  # type: ignore[method-assign]
    return reads, heard


def _names(heard: list[Notice], chat: uuid.UUID) -> bool:
    return any(notice.chats is not None and chat in notice.chats for notice in heard)
