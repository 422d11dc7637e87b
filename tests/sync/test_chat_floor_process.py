"""End to end on a folder floor: the real ``cc-terminal --sync-dir … chat serve`` process on
its own joined store, a visitor's WebSocket, and a terminal of the floor answering through
its services and its own sync rounds. The visitor's chat is given round-robin by the
gateway to the operator on shift (her presence came by sync), her answer reaches the
socket by sync; the gateway killed with SIGKILL right after acknowledging a line shares it
once after its restart, and the visitor's resend of it is stored once."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from cc_terminal.config import SYNC_DIR_ENV
from cc_terminal.models import ListKind
from cc_terminal.services.privacy.service_identity import ServiceAccounts
from cc_terminal.sync.roles import CHAT_GATEWAY_SCOPE
from tests.channels.chat.conftest import ALWAYS
from tests.channels.chat.process import GatewayProcess, eventually
from tests.sync.kit import Floor, Terminal


def _floor(tmp_path: Path) -> tuple[Floor, Terminal, Terminal, Path]:
    floor = Floor(tmp_path)
    t1, gw = floor.add("t1", seed=True), floor.add("gw")
    ws, lead, jana = t1.ws, t1.actor("lead"), t1.actor("jana")
    key = tmp_path / "chat-gateway.pem"
    ServiceAccounts(ws.db).add(lead, "chat-gateway", ",".join(CHAT_GATEWAY_SCOPE), key)
    for department in ws.reference.lists().active(ListKind.DEPARTMENT):
        ws.reference.save(lead, ListKind.DEPARTMENT, replace(department, working_hours=ALWAYS))
    ws.chats.set_limit(lead, jana.operator_id, 3)
    ws.work_clock.begin(jana)
    floor.settle()
    gw.close()  # its store is the gateway process's from now on
    floor.terminals.remove(gw)
    return floor, t1, gw, key


def _visitor_lines(t1: Terminal, conversation: uuid.UUID) -> list[str]:
    t1.round()
    detail = t1.ws.chats.detail(t1.actor("jana"), conversation)
    return [line.text for line in detail.lines if line.author == "visitor"]


def test_the_gateway_process_on_a_folder_floor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    floor, t1, gw, key = _floor(tmp_path)
    monkeypatch.setenv(SYNC_DIR_ENV, str(floor.folder))
    gateway = GatewayProcess(f"sqlite:///{gw.db_path}", gw.data_dir, key, ("--sync-seconds", "0.3"))
    try:
        gateway.start()
        with gateway.visitor() as visitor:
            started = visitor.start()
            conversation = uuid.UUID(started["conversation"])
            visitor.send(type="message", client_id="c-1", text="Hello from the web")
            assert visitor.until("ack")["client_id"] == "c-1"
            jana = t1.actor("jana")
            eventually(lambda: _visitor_lines(t1, conversation) == ["Hello from the web"])
            assert [chat.id for chat in t1.ws.chats.mine(jana)] == [conversation]  # round-robin
            t1.ws.chats.send(jana, conversation, "o-1", "Good morning, Jana here.")
            t1.round()
            answer = visitor.until("line", timeout=30)
            while answer["author"] != "operator":
                answer = visitor.until("line", timeout=30)
            said = (answer["text"], answer["operator_label"])
            assert said == ("Good morning, Jana here.", "Jana")
            visitor.send(type="message", client_id="c-2", text="Kill me now")
            acknowledged = visitor.until("ack")
            gateway.kill()
        gateway.start()
        with gateway.visitor() as visitor:
            token = started["token"]
            visitor.send(type="resume", token=token, after=0, conversation=str(conversation))
            visitor.until("resumed")
            visitor.send(type="message", client_id="c-2", text="Kill me now")
            assert visitor.until("ack")["seq"] == acknowledged["seq"]
        eventually(
            lambda: _visitor_lines(t1, conversation) == ["Hello from the web", "Kill me now"]
        )
        with t1.ws.db.connect() as connection:  # every op of the gateway signed, in scope
            issues = connection.exec_driver_sql("SELECT kind, detail FROM sync_issue").all()
        assert issues == []
    finally:
        gateway.stop()
        floor.close()


def _requests(t1: Terminal) -> list[str]:
    t1.round()
    with t1.ws.db.connect() as connection:
        found = connection.exec_driver_sql("SELECT summary FROM service_request").all()
    return [row[0] for row in found]


def test_the_share_away_the_gateway_offers_the_message_form_and_starts_anyway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new chat would reach no operator while the share is away: the visitor gets the
    leave-a-message form, and the message reaches the floor when the share is back."""
    floor, t1, gw, key = _floor(tmp_path)
    monkeypatch.setenv(SYNC_DIR_ENV, str(floor.folder))
    gateway = GatewayProcess(f"sqlite:///{gw.db_path}", gw.data_dir, key, ("--sync-seconds", "0.3"))
    away = floor.folder.with_name("floor-unmounted")
    try:
        gateway.start()
        assert gateway.health() == (200, {"ok": True, "db": True, "floor": True})
        floor.folder.rename(away)  # an unmounted share
        eventually(lambda: gateway.health()[1]["floor"] is False)
        gateway.stop()
        gateway.start()  # a restart while it is away: it starts on its store
        assert gateway.health() == (200, {"ok": True, "db": True, "floor": False})
        with gateway.visitor() as visitor:
            visitor.send(type="start", form=_form())
            assert visitor.until("busy") == {"type": "busy"}
            visitor.send(type="leave", form=_form(), text="Please call me back.")
            assert visitor.until("left") == {"type": "left"}
        away.rename(floor.folder)
        eventually(lambda: gateway.health()[1]["floor"] is True)
        eventually(lambda: _requests(t1) == ["Please call me back."])
    finally:
        if away.exists():
            away.rename(floor.folder)
        gateway.stop()
        floor.close()


def _form() -> dict[str, object]:
    return {
        "name": "Eva Malá",
        "contact": "+420601555444",
        "topic": "",
        "consent": True,
        "language": "en",
    }
