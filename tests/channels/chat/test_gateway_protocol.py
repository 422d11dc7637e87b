"""The gateway's protocol for real (its process over SQLite and PostgreSQL, a websockets
client): a chat starts, a message sent again under its client id is stored once, a
dropped socket resumes with its token and sees every line once; the HTTP side (health,
widget files, demo page) answers."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from cc_terminal.models.base import utcnow
from cc_terminal.services.channels.conversations import Conversations
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.chat.operator_side import operator_reads, operator_says, the_conversation
from tests.channels.chat.process import GatewayProcess, Visitor


def test_a_resent_message_is_stored_once_and_a_resumed_socket_sees_each_line_once(
    chat_gateway: GatewayProcess,
) -> None:
    with chat_gateway.visitor() as visitor:
        started = visitor.start()
        token = started["token"]
        for _ in range(2):  # the widget sends again what was not acknowledged
            visitor.send(type="message", client_id="c-1", text="Dobrý den")
            ack = visitor.until("ack")
            assert ack == {"type": "ack", "client_id": "c-1", "seq": ack["seq"]}
        visitor.send(type="message", client_id="c-2", text="Second")
        second = visitor.until("ack")
    with chat_gateway.visitor() as again:
        again.send(type="resume", token=token, after=0, conversation=started["conversation"])
        assert again.until("resumed") == {"type": "resumed"}
        lines = lines_through(again, second["seq"])
    own = [(line["client_id"], line["text"]) for line in lines if line["author"] == "visitor"]
    assert own == [("c-1", "Dobrý den"), ("c-2", "Second")]
    seqs = [line["seq"] for line in lines]
    assert seqs == sorted(set(seqs))


def lines_through(visitor: Visitor, seq: int) -> list[dict[str, Any]]:
    """The line frames up to the one numbered ``seq``."""
    lines = [visitor.until("line")]
    while lines[-1]["seq"] < seq:
        lines.append(visitor.until("line"))
    return lines


@pytest.mark.parametrize("gateway_options", [("--poll-seconds", "600")])
def test_a_visitors_line_comes_back_after_its_ack_without_waiting_for_a_look(
    chat_gateway: GatewayProcess,
) -> None:
    """Its own line is sent back by the socket that stored it: the hub, which looks only
    every ten minutes here (on PostgreSQL a NOTIFY wakes it too), is not needed, so a
    line whose transaction outlasted the store's look-back is not lost either."""
    with chat_gateway.visitor() as visitor:
        visitor.start()
        for number in range(3):
            visitor.send(type="message", client_id=f"own-{number}", text=f"Line {number}")
            ack = visitor.until("ack")
            line = visitor.until("line")
            assert (line["client_id"], line["seq"]) == (f"own-{number}", ack["seq"])
            assert line["text"] == f"Line {number}"


def test_the_http_side_answers(chat_gateway: GatewayProcess) -> None:
    assert chat_gateway.health() == (200, {"ok": True, "db": True})
    status, headers, body = chat_gateway.get("/widget.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert b"textContent" in body and b"innerHTML" not in body
    status, headers, _body = chat_gateway.get("/widget.css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    status, headers, page = chat_gateway.get("/")
    assert status == 200 and "default-src 'self'" in headers["content-security-policy"]
    assert b'<script src="/widget.js"' in page
    assert json.dumps([["billing", "Billing"]]).replace('"', "&quot;").encode() in page
    assert chat_gateway.get("/nothing")[0] == 404


def test_the_gateways_own_words_are_in_the_visitors_language(
    chat_gateway: GatewayProcess,
) -> None:
    with chat_gateway.visitor() as visitor:
        visitor.send(type="resume", token="forged", after=0, language="cs")
        assert visitor.until("error")["message"] == "Tento chat tu není známý."
        visitor.send(type="start", form={"language": "en", "consent": "yes"})
        assert visitor.until("error") == {
            "type": "error",
            "field": "consent",
            "message": "Expected yes or no.",
        }
        visitor.send(type="message", client_id="c-1", text="hi")
        assert visitor.until("error")["message"] == "Start a chat first."


@pytest.mark.parametrize("gateway_options", [("--poll-seconds", "0.05")])
def test_an_answer_committed_after_the_look_back_passed_it_still_arrives(
    chat_gateway: GatewayProcess, ws: Workstation, someone_answers: Actor
) -> None:
    """An operator's line whose transaction read its clock a minute before it committed:
    no look finds it by its moment, the hub's sweep of every chat's last line does (every
    60 polls, 3 s here), and the socket asks for it."""
    with chat_gateway.visitor() as visitor:
        visitor.start()
        visitor.send(type="message", client_id="c-1", text="Anyone there?")
        visitor.until("ack")
        conversation = the_conversation(ws)
        operator_reads(ws, someone_answers, conversation)  # no mark left to wait for
        while not visitor.until("line")["read"]:
            pass
        late = Conversations(ws.db, lambda: utcnow() - timedelta(minutes=1))
        late.send(someone_answers, conversation, "op-late", "Sorry, a slow moment.")
        line = visitor.until("line", timeout=30)
        assert (line["author"], line["text"]) == ("operator", "Sorry, a slow moment.")


@pytest.mark.parametrize(
    ("gateway_options", "label"),
    [((), "Jana"), (("--operator-full-names",), "Jana Svobodová")],
)
def test_the_visitor_sees_the_operators_first_name_unless_the_floor_allows_more(
    chat_gateway: GatewayProcess, ws: Workstation, someone_answers: Actor, label: str
) -> None:
    with chat_gateway.visitor() as visitor:
        visitor.start()
        visitor.send(type="message", client_id="c-1", text="Hello?")
        visitor.until("ack")
        conversation = the_conversation(ws)
        operator_says(ws, someone_answers, conversation, "Hello, how can I help?")
        line = visitor.until("line")
        while line["author"] != "operator":
            line = visitor.until("line")
    assert line["operator_label"] == label
