"""The gateway hears a terminal's chat write and looks at once: on PostgreSQL by its
LISTEN/NOTIFY, on a SQLite file of one host by the file's data version (watched as a
terminal watches it). With its poll set to a minute, the operator's answer and typing
still reach the visitor's socket within seconds (the typing only through the hub: no
socket asks for it by itself)."""

from __future__ import annotations

import time

import pytest

from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.chat.operator_side import operator_says, operator_types, the_conversation
from tests.channels.chat.process import GatewayProcess

HEARD_WITHIN = 10.0  # seconds; the poll would take 60


@pytest.fixture
def gateway_options() -> tuple[str, ...]:
    return ("--poll-seconds", "60")


def test_an_answer_is_heard_long_before_the_next_poll(
    chat_gateway: GatewayProcess, ws: Workstation, someone_answers: Actor
) -> None:
    with chat_gateway.visitor() as visitor:
        visitor.start()
        visitor.send(type="message", client_id="c-1", text="Anyone there?")
        visitor.until("ack")
        conversation = the_conversation(ws)
        began = time.monotonic()
        operator_says(ws, someone_answers, conversation, "Yes, Jana here.")
        line = visitor.until("line", timeout=HEARD_WITHIN)
        while line["text"] != "Yes, Jana here.":
            line = visitor.until("line", timeout=HEARD_WITHIN)
        operator_types(ws, someone_answers, conversation)
        assert visitor.until("typing", timeout=HEARD_WITHIN)["on"] is True
        assert time.monotonic() - began < 2 * HEARD_WITHIN
