"""The webhook as a PBX meets it: ``cc-terminal phone serve`` in its own process on a free
port, real HTTP. A good token stores the ring; a wrong one is 401 and audited (one row a
minute, however many); a flood is 429; a body that is not an event is 400 with one line."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_run import CLI, cli_process
from tests.conftest import KNOWN_PHONE, PASSWORDS
from tests.helpers import rows
from tests.pgserver import free_port
from tests.phone.conftest import phone_link_account

START_WITHIN = 60.0


def post(port: int, body: bytes, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/phone/events",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
            return answer.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture
def webhook(ws, lead, db_url, tmp_path) -> Iterator[tuple[int, str, Path]]:
    """The webhook's process (20 requests a minute per address), its port and token."""
    data = tmp_path / "data"
    key_file = phone_link_account(ws, lead, tmp_path)
    early = cli_process(data, "phone", "serve", "--key-file", str(key_file), db=db_url)
    assert early.returncode == 1 and "cc-terminal phone token" in early.stderr
    stdin = PASSWORDS["lead"] + "\n"
    made = cli_process(data, "phone", "token", "--password-stdin", stdin=stdin, db=db_url)
    assert made.returncode == 0, made.stderr
    port = free_port()
    command = [*CLI, "--db", db_url, "--data-dir", str(data), "phone", "serve"]
    command += ["--key-file", str(key_file), "--port", str(port), "--per-minute", "20"]
    env = {k: v for k, v in os.environ.items() if k != "CC_TERMINAL_DB"}
    log = tmp_path / "webhook.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=output, env=env)
    try:
        deadline = time.monotonic() + START_WITHIN
        while not healthy(port):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)  # polling for "answers /health", not a fixed wait
        yield port, made.stdout.strip(), data
    finally:
        process.terminate()
        process.wait(timeout=15)


def ring_body(key: str = "pbx:1700000000.1", kind: str = "ring") -> bytes:
    body = {"kind": kind, "call_key": key, "extension": "101", "number": KNOWN_PHONE}
    return json.dumps(body).encode()


def test_the_webhook_stores_rings_and_refuses_the_rest(ws, webhook):
    port, token, _data = webhook
    status, body = post(port, ring_body(), token)
    assert status == 200, body
    answer = json.loads(body)
    assert answer["known_caller"] is True and answer["to_terminal"] is False
    assert ws.phone.call("pbx:1700000000.1").customer_name == "Jan Novák"
    assert post(port, ring_body(kind="hangup"), token)[0] == 200
    assert ws.phone.call("pbx:1700000000.1").end_reason == "abandoned"
    assert post(port, b"{not json", token) == (400, b"not JSON\n")
    assert post(port, b'{"kind": "ring", "extension": "1 0 1"}', token)[0] == 400
    for _ in range(3):
        assert post(port, ring_body(), "wrong")[0] == 401
    assert post(port, ring_body(), "")[0] == 401
    audited = "SELECT detail FROM audit_event WHERE kind = 'phone.token_refused'"
    assert rows(ws, audited) == [("1",)]  # one row a minute, not one a request
    statuses = [post(port, ring_body(), token)[0] for _ in range(20)]
    assert 429 in statuses  # past 20 a minute from one address
