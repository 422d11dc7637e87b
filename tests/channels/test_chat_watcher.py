"""One host on a SQLite file (store/data_version.py): a line another process commits is
heard without waiting for a timer, by the watcher alone and in F8 with its refresh timer
and the header's set an hour apart; the watcher tells each changed table once."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cc_terminal import app as app_module
from cc_terminal.config import Settings
from cc_terminal.screens.channels import chats as chats_module
from cc_terminal.screens.channels.chats import ChatScreen
from cc_terminal.services.channels.visitors import VisitorChats
from cc_terminal.services.workstation import Workstation, open_workstation
from cc_terminal.store.change_notice import CHAT_TABLES, Notice
from cc_terminal.store.data_version import DataVersionWatcher
from tests.channels.conftest import form, gateway_account
from tests.conftest import login
from tests.tui import SIZE, make_app, settle, sign_in, wait_until

ROOT = Path(__file__).resolve().parents[2]
HEARD_WITHIN = 10.0  # seconds: a bound for a loaded machine; the watcher looks every 0.1 s


def post_from_another_process(url: str, gateway_id: str, token: str, client_id: str, text: str):
    command = [sys.executable, "-m", "tests.channels.post_line", url, gateway_id, token]
    subprocess.run([*command, client_id, text], cwd=ROOT, check=True, timeout=60)


@pytest.fixture
def on_file(sqlite_url, tmp_path, clock) -> Iterator[Workstation]:
    workstation = open_workstation(Settings(db_url=sqlite_url, data_dir=tmp_path), clock=clock)
    yield workstation
    workstation.close()


def test_the_watcher_hears_another_process_commit(on_file, tmp_path, sqlite_url):
    """A visitor's line is told as that chat's lines (its row's last-line time with it):
    no terminal but the one holding the chat needs to read."""
    gateway = gateway_account(on_file, login(on_file, "lead"), tmp_path)
    started = VisitorChats(on_file.db, on_file.chats.clock, gateway).start(form())
    token = started.token
    heard: list[Notice] = []
    changed = threading.Event()

    def on_change(notice: Notice) -> None:
        heard.append(notice)
        changed.set()

    watcher = DataVersionWatcher(Path(sqlite_url.removeprefix("sqlite:///")), on_change)
    watcher.start()
    try:
        assert watcher.watching.wait(HEARD_WITHIN)  # its first version read
        post_from_another_process(sqlite_url, str(gateway.operator_id), token, "v1", "Hello")
        assert changed.wait(HEARD_WITHIN)
    finally:
        watcher.stop()
        watcher.thread.join(5)
    assert heard == [Notice("conversation_message", frozenset({started.conversation_id}))]


def test_the_watcher_names_the_chat_of_lines_marked_and_the_chat_taken(on_file, tmp_path):
    """A mark's op names the line, not its chat: the watcher finds the chat. A chat taken
    is told as the chat's row with its new holder (the queue changed: every terminal reads
    the queue, the holder its own chats)."""
    gateway = gateway_account(on_file, login(on_file, "lead"), tmp_path)
    visitor = VisitorChats(on_file.db, on_file.chats.clock, gateway)
    started = visitor.start(form())
    visitor.post(started.token, "v1", "Hello")
    heard: list[Notice] = []
    watcher = DataVersionWatcher(Path(on_file.settings.database_path), heard.append)
    watcher.start()
    try:
        assert watcher.watching.wait(HEARD_WITHIN)
        jana = login(on_file, "jana")
        on_file.chats.take_next(jana)
        chat = frozenset({started.conversation_id})
        taken = Notice("conversation", chat, frozenset({jana.operator_id}))
        assert wait_for(lambda: taken in heard)
        heard.clear()
        on_file.chats.detail(jana, started.conversation_id)  # marks the visitor's line read
        assert wait_for(lambda: Notice("conversation_message", chat) in heard)
    finally:
        watcher.stop()
        watcher.thread.join(5)
    assert all(notice.chats == chat for notice in heard if notice.entity in CHAT_TABLES)


def wait_for(condition, seconds: float = HEARD_WITHIN) -> bool:
    done = threading.Event()
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        done.wait(0.02)
    return condition()


@pytest.fixture
def app(sqlite_url, tmp_path, clock, monkeypatch):
    monkeypatch.setattr(chats_module, "REFRESH_SECONDS", 3600)
    monkeypatch.setattr(app_module, "ESCALATION_POLL_SECONDS", 3600)
    return make_app(sqlite_url, tmp_path, clock)


async def test_a_line_another_process_wrote_is_in_f8_at_once(app, sqlite_url, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ws = pilot.app.require_services()
        gateway = gateway_account(ws, login(ws, "lead"), tmp_path)
        visitor = VisitorChats(ws.db, ws.chats.clock, gateway)
        chat = visitor.start(form(name="Eva Malá"))
        visitor.post(chat.token, "v1", "First line")
        await sign_in(pilot, "jana")
        await pilot.press("f8")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ChatScreen)
        await wait_until(pilot, lambda: "First line" in str(screen.shown_lines))
        gateway_id = str(gateway.operator_id)
        post_from_another_process(sqlite_url, gateway_id, chat.token, "v2", "From elsewhere")
        await wait_until(
            pilot, lambda: "From elsewhere" in str(screen.shown_lines), timeout=HEARD_WITHIN
        )


def test_a_listener_that_fails_does_not_end_the_watch(on_file, tmp_path):
    """A screen whose refresh raises (one still being composed) is logged; the watcher
    goes on and tells the next change."""
    gateway = gateway_account(on_file, login(on_file, "lead"), tmp_path)
    visitor = VisitorChats(on_file.db, on_file.chats.clock, gateway)
    heard: list[Notice] = []

    def fails_first(notice: Notice) -> None:
        heard.append(notice)
        if len(heard) == 1:
            raise LookupError("the pane is not mounted yet")

    watcher = DataVersionWatcher(Path(on_file.settings.database_path), fails_first)
    watcher.start()
    try:
        assert watcher.watching.wait(HEARD_WITHIN)
        started = visitor.start(form())
        assert wait_for(lambda: len(heard) >= 1)
        jana = login(on_file, "jana")
        on_file.chats.take_next(jana)  # a change after the failure
        taken = Notice(
            "conversation", frozenset({started.conversation_id}), frozenset({jana.operator_id})
        )
        assert wait_for(lambda: taken in heard[1:])
        assert watcher.thread.is_alive()
    finally:
        watcher.stop()
        watcher.thread.join(5)
