"""``cc-terminal ring``: a ring, answer and hang-up from the command line, stored as the
lead or the phone's service account and handed to the TUI listening for the extension."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from cc_terminal.config import Settings
from cc_terminal.services.phone.events import PhoneEvent
from cc_terminal.services.phone.local_socket import listen, socket_path
from tests.cli_run import cli, cli_process
from tests.conftest import KNOWN_PHONE, PASSWORDS
from tests.phone.conftest import phone_link_account

LEAD = PASSWORDS["lead"] + "\n"


@pytest.fixture
def terminal_101(tmp_path) -> Iterator[tuple[Path, list[PhoneEvent]]]:
    """A stand-in for the TUI of extension 101: its socket, on a loop in a thread."""
    data = tmp_path / "data"
    heard: list[PhoneEvent] = []
    loop = asyncio.new_event_loop()
    path = socket_path(Settings(data_dir=data), "101")
    server = loop.run_until_complete(listen(path, heard.append))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield data, heard
    finally:
        loop.call_soon_threadsafe(server.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


def test_ring_answer_and_hang_up_from_the_command_line(ws, db_url, terminal_101):
    data, heard = terminal_101
    rang = cli(
        data, "ring", KNOWN_PHONE, "--extension", "101", "--password-stdin", stdin=LEAD, db=db_url
    )
    assert rang.returncode == 0, rang.stderr
    key = rang.stdout.strip()
    assert key.startswith("cli:") and rang.stderr == ""
    assert [(e.kind, e.call_key, e.number) for e in heard] == [("ring", key, KNOWN_PHONE)]
    for step in ("--answer", "--hangup"):
        done = cli(
            data,
            "ring",
            KNOWN_PHONE,
            "--extension",
            "101",
            step,
            "--password-stdin",
            stdin=LEAD,
            db=db_url,
        )
        assert done.stdout.strip() == key, done.stderr
    call = ws.phone.call(key)
    assert call is not None and call.end_reason == "answered"
    assert call.customer_name == "Jan Novák" and call.operator_id is None
    assert [e.kind for e in heard] == ["ring", "answer", "hangup"]


def test_ring_without_a_listening_terminal_is_stored_and_said(ws, db_url, lead, tmp_path):
    data = tmp_path / "elsewhere"
    key_file = phone_link_account(ws, lead, tmp_path)
    rang = cli_process(
        data, "ring", "anonymous", "--extension", "102", "--key-file", str(key_file), db=db_url
    )
    assert rang.returncode == 0, rang.stderr
    assert "no terminal of extension 102 listens" in rang.stderr
    call = ws.phone.call(rang.stdout.strip())
    assert call is not None and (call.number_raw, call.phone_e164) == ("anonymous", "")
    as_service = ("--key-file", str(key_file))
    lost = cli(data, "ring", "555", "--extension", "102", "--hangup", *as_service, db=db_url)
    assert lost.returncode == 1 and "No open call of 555 on 102" in lost.stderr
    both = cli(data, "ring", "555", "--extension", "1", "--answer", "--hangup", db=db_url)
    assert both.returncode == 1 and "not both" in both.stderr
    bad = cli(data, "ring", "555", "--extension", "1 0", *as_service, db=db_url)
    assert bad.returncode == 1 and "extension" in bad.stderr
