"""A gateway's service account on the test's store, a floor where someone can answer (every
department open around the clock, jana on shift), and the gateway process on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from cc_terminal.models import ListKind
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.service_identity import ServiceAccounts
from cc_terminal.services.workstation import Workstation
from cc_terminal.sync.roles import CHAT_GATEWAY_SCOPE
from tests.channels.chat.process import GatewayProcess


@pytest.fixture
def gateway_key(ws: Workstation, lead: Actor, tmp_path: Path) -> Path:
    key_file = tmp_path / "chat-gateway.pem"
    ServiceAccounts(ws.db).add(lead, "chat-gateway", ",".join(CHAT_GATEWAY_SCOPE), key_file)
    return key_file


ALWAYS = "|".join(["00:00-24:00"] * 7) + "|holidays"


@pytest.fixture
def someone_answers(ws: Workstation, lead: Actor, jana: Actor) -> Actor:
    """The gateway runs on the real clock: every department works around the clock, and
    jana (who takes chats) is on shift."""
    for department in ws.reference.lists().active(ListKind.DEPARTMENT):
        ws.reference.save(lead, ListKind.DEPARTMENT, replace(department, working_hours=ALWAYS))
    ws.work_clock.begin(jana)
    return jana


@pytest.fixture
def gateway_options() -> tuple[str, ...]:
    """Limits a test sets for its gateway (none: the defaults)."""
    return ()


@pytest.fixture
def gateway_language() -> str:
    """The gateway's language (a test module may choose Czech)."""
    return "en"


@pytest.fixture
def chat_gateway(
    someone_answers: Actor,
    db_url: str,
    gateway_key: Path,
    gateway_options: tuple[str, ...],
    gateway_language: str,
    tmp_path: Path,
) -> Iterator[GatewayProcess]:
    process = GatewayProcess(db_url, tmp_path, gateway_key, gateway_options, gateway_language)
    try:
        yield process.start()
    finally:
        process.stop()
