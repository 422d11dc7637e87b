"""F8 re-reads only what concerns it (issue 26): a line of a colleague's chat does not make
the chat area read again; a line of one of its chats, and a chat handed to it, do at once
(the area's own timer and the header's set an hour apart). A chat that waits, or leaves
the queue, reads the waiting queue and the header's badge, not one's own chats; one given
to a colleague as it started left the queue as it was: not even the badge counts again.
A burst of notices while a read runs makes one more read, not one each. On a SQLite file
(the data version watcher) and on PostgreSQL (LISTEN/NOTIFY)."""

from __future__ import annotations

import threading
import uuid

import pytest

from cc_terminal import app as app_module
from cc_terminal.screens.channels import chats as chats_module
from cc_terminal.screens.channels.chats import ChatScreen
from cc_terminal.store.change_notice import Notice
from tests.channels.chat.terminal_side import chat_area
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


async def test_a_colleagues_chat_reads_the_queue_and_the_badge_not_mine(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ws = pilot.app.require_services()
        lead = login(ws, "lead")
        gateway = gateway_of(ws, lead, tmp_path)
        petr = login(ws, "petr")
        on_shift(ws, petr)
        (jana,) = rows(ws, "SELECT id FROM operator WHERE username = 'jana'")
        jana_id = uuid.UUID(str(jana[0]))
        ws.chats.set_limit(lead, jana_id, 0)  # she takes none: the chats go to petr, or wait
        ws.chats.set_limit(lead, petr.operator_id, 1)
        await sign_in(pilot, "jana")
        await pilot.press("f8")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ChatScreen)
        assert pilot.app.floor_watch.listener.watching.wait(HEARD_WITHIN)
        reads, heard = _counted(ws, screen)
        queue_reads, counts = _queue_reads(ws), _badge_counts(ws)

        given = gateway.start(form(name="Eva Malá"))  # petr's at once
        await wait_until(pilot, lambda: _names(heard, given.conversation_id), HEARD_WITHIN)
        await settle(pilot)
        assert {notice.entity for notice in heard} == {"conversation", "conversation_message"}
        assert not any(notice.queue_moved for notice in heard)  # given as it started
        assert reads == queue_reads == counts == []  # a colleague's, and the queue as it was

        waits = gateway.start(form(name="Ivo Hrubý"))  # petr is full: it waits
        await wait_until(pilot, lambda: pilot.app.chats_waiting[0] == 1, HEARD_WITHIN)
        await wait_until(
            pilot, lambda: [c.id for c in screen.seen.queue] == [waits.conversation_id], 10
        )
        assert reads == [] and counts  # the badge and the queue pane moved; her chats not read

        ws.chats.set_limit(lead, jana_id, 3)  # the waiting chat is given to her
        await wait_until(pilot, lambda: waits.conversation_id in screen.held(), HEARD_WITHIN)
        assert reads  # at once, on the notice: the timer is an hour away
        await wait_until(pilot, lambda: pilot.app.chats_waiting[0] == 0, HEARD_WITHIN)


async def test_notices_heard_while_a_read_runs_make_one_more_read(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        screen = await chat_area(pilot)
        ws = pilot.app.require_services()
        reads: list[uuid.UUID] = []
        release, real_mine = threading.Event(), ws.chats.mine

        def held_up(actor):
            reads.append(actor.operator_id)
            assert release.wait(HEARD_WITHIN)
            return real_mine(actor)

        ws.chats.mine = held_up
        everything = Notice("conversation")  # says no chat: concerns every terminal
        screen.heard(everything)
        await wait_until(pilot, lambda: len(reads) == 1, HEARD_WITHIN)
        for _ in range(20):
            screen.heard(everything)
        assert len(reads) == 1  # marked, not queued behind
        release.set()
        await wait_until(pilot, lambda: len(reads) == 2 and not screen.reading, HEARD_WITHIN)
        await settle(pilot)
        assert len(reads) == 2  # one more read for the twenty


async def test_the_timer_reads_only_when_no_notice_read_since_its_last_tick(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        screen = await chat_area(pilot)
        ws = pilot.app.require_services()
        await wait_until(pilot, lambda: not screen.reading, HEARD_WITHIN)
        screen.timer_read()  # the first read at mount: the tick after it reads nothing
        reads, _heard = _counted(ws, screen)
        screen.timer_read()
        await wait_until(pilot, lambda: len(reads) == 1 and not screen.reading, HEARD_WITHIN)
        screen.heard(Notice("conversation"))  # a notice reads in full
        await wait_until(pilot, lambda: len(reads) == 2 and not screen.reading, HEARD_WITHIN)
        screen.timer_read()  # read since the last tick: nothing
        await settle(pilot)
        assert len(reads) == 2
        screen.timer_read()  # nothing read since: the timer reads
        await wait_until(pilot, lambda: len(reads) == 3, HEARD_WITHIN)


def _queue_reads(ws) -> list[uuid.UUID]:
    reads: list[uuid.UUID] = []
    real_queue = ws.chats.queue

    def queue(actor):
        reads.append(actor.operator_id)
        return real_queue(actor)

    ws.chats.queue = queue
    return reads


def _badge_counts(ws) -> list[int]:
    """The header's counts of the waiting chats (through the real service)."""
    counts: list[int] = []
    real_summary = ws.chats.waiting_summary

    def waiting_summary():
        summary = real_summary()
        counts.append(summary.count)
        return summary

    ws.chats.waiting_summary = waiting_summary
    return counts


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
