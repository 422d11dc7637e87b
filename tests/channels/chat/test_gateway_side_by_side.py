"""Two gateway processes on one store, as behind a proxy that spreads the sockets: a
visitor's socket on either process sees the same conversation, each process's own poll
loop pushes the operator's lines, typing and marks to its own sockets, and what one socket
does (a read mark, the end of the chat) reaches the store and the other."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.chat.operator_side import (
    operator_reads,
    operator_says,
    operator_types,
    read_by_visitor,
    the_conversation,
)
from tests.channels.chat.process import GatewayProcess, Visitor, eventually


@pytest.fixture
def second_gateway(
    chat_gateway: GatewayProcess, db_url: str, gateway_key: Path, tmp_path: Path
) -> Iterator[GatewayProcess]:
    process = GatewayProcess(db_url, tmp_path, gateway_key)
    try:
        yield process.start()
    finally:
        process.stop()


def line_saying(visitor: Visitor, text: str, **marks: bool) -> dict[str, Any]:
    while True:
        line = visitor.until("line")
        if line["text"] == text and all(line[mark] == on for mark, on in marks.items()):
            return line


def test_a_chat_is_served_by_whichever_gateway_its_sockets_reach(
    chat_gateway: GatewayProcess,
    second_gateway: GatewayProcess,
    ws: Workstation,
    someone_answers: Actor,
) -> None:
    with chat_gateway.visitor() as first, second_gateway.visitor(second_gateway.origin) as second:
        started = first.start()
        first.send(type="message", client_id="c-1", text="Hello from the first socket")
        first.until("ack")
        second.send(type="resume", token=started["token"], after=0)  # no conversation hint
        second.until("resumed")
        line_saying(second, "Hello from the first socket")
        conversation = the_conversation(ws)

        operator_says(ws, someone_answers, conversation, "Hello, Jana here.")
        answer = line_saying(second, "Hello, Jana here.", delivered=True)
        assert answer["operator_label"] == "Jana"
        line_saying(first, "Hello, Jana here.")
        operator_types(ws, someone_answers, conversation)
        assert first.until("typing") == {"type": "typing", "on": True}
        assert second.until("typing") == {"type": "typing", "on": True}

        second.send(type="read", seq=answer["seq"])
        assert eventually(lambda: read_by_visitor(ws, someone_answers, conversation)) == [
            answer["seq"]
        ]
        operator_reads(ws, someone_answers, conversation)
        line_saying(first, "Hello from the first socket", read=True)

        first.send(type="close")
        assert first.until("closed") == {"type": "closed"}
        line_saying(second, "The visitor ended the chat.")
