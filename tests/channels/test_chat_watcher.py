"""One host on a SQLite file (store/data_version.py): a line another process commits is
heard without waiting for a timer, by the watcher alone and in F8 with its refresh timer
and the header's set an hour apart; the watcher tells each changed table once."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from cc_terminal import app as app_module
from cc_terminal.config import Settings
from cc_terminal.screens.channels import chats as chats_module
from cc_terminal.screens.channels.chats import ChatScreen
from cc_terminal.services.channels.visitors import VisitorChats
from cc_terminal.services.workstation import Workstation, open_workstation
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
    gateway = gateway_account(on_file, login(on_file, "lead"), tmp_path)
    token = VisitorChats(on_file.db, on_file.chats.clock, gateway).start(form()).token
    heard: list[str] = []
    changed = threading.Event()

    def on_change(entity: str) -> None:
        heard.append(entity)
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
    assert sorted(heard) == ["conversation", "conversation_message"]


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
