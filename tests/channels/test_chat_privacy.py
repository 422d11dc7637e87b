"""A chat's personal data: the customer's erasure blanks the visitor's name, contact and
every line of their chats (the times and the outcome stay); the export holds them; the
retention rule for chat transcripts blanks old lines' texts."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.channels.conftest import form
from tests.conftest import KNOWN_PHONE
from tests.helpers import rows


def _a_closed_chat(ws, chats, jana, contact=KNOWN_PHONE):
    started = chats.start(form(contact=contact))
    chats.post(started.token, "v1", "My name is Jan Novák, I live at Dlouhá 12")
    ws.chats.take_next(jana)
    ws.chats.send(jana, started.conversation_id, "o1", "Thank you, Mr Novák")
    ws.chats.close(jana, started.conversation_id, "resolved")
    return started


def test_erasure_blanks_the_chats_of_the_customer(ws, chats, jana, lead, tmp_path):
    _a_closed_chat(ws, chats, jana)
    other = _a_closed_chat(ws, chats, jana, contact="eva.mala@example.cz")
    customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    ws.data_requests.export(lead, customer, tmp_path / "held.json")
    held = json.loads((tmp_path / "held.json").read_text(encoding="utf-8"))
    assert len(held["chats"]) == 1 and len(held["chat_lines"]) == 4
    ws.data_requests.erase(lead, customer, "GDPR-2026-17")
    chats_left = rows(ws, "SELECT visitor_name, visitor_contact, outcome FROM conversation")
    assert sorted(chats_left) == [
        ("(erased)", "", "resolved"),
        ("Eva Malá", "eva.mala@example.cz", "resolved"),
    ]
    texts = rows(
        ws,
        "SELECT c.visitor_name, m.text FROM conversation_message m "
        "JOIN conversation c ON c.id = m.conversation_id",
    )
    assert {text for name, text in texts if name == "(erased)"} == {""}
    assert "Thank you, Mr Novák" in {text for name, text in texts if name == "Eva Malá"}
    assert chats.lines_after(other.token, 0)[0].text.startswith("My name is")


def test_old_transcripts_lose_their_text_after_the_retention_period(ws, chats, jana, lead, clock):
    _a_closed_chat(ws, chats, jana)
    clock.advance(timedelta(days=181).total_seconds())
    recent = _a_closed_chat(ws, chats, jana, contact="eva.mala@example.cz")
    ws.retention.run(lead)
    kept = rows(ws, "SELECT text FROM conversation_message WHERE text <> ''")
    assert len(kept) == len(chats.lines_after(recent.token, 0))
