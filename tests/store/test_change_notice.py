"""A change notice names the chats a write touched (store/change_notice.py), within a
NOTIFY's payload; too many chats, an unknown one or a payload not understood is a notice
of all, which every receiver reads as before ids were added."""

from __future__ import annotations

import uuid

from cc_terminal.store.change_notice import MOST_CHATS, Notice, heard, notices, touched

CHAT, OTHER = uuid.UUID(int=1), uuid.UUID(int=2)


def test_a_notice_travels_as_its_payload_and_back():
    for notice in (Notice("escalation"), Notice("conversation_message", frozenset({CHAT, OTHER}))):
        assert heard(notice.payload()) == notice
    assert (
        len(Notice("conversation", frozenset(uuid.uuid4() for _ in range(MOST_CHATS))).payload())
        < 8000
    )


def test_a_payload_not_understood_is_a_notice_of_all():
    assert heard("conversation_message:not-an-id") == Notice("conversation_message")
    assert heard("conversation_message:") == Notice("conversation_message")


def test_a_chat_row_moved_only_by_a_line_is_told_as_its_lines():
    assert touched("conversation", "update", ["last_message_at", "visitor_typing_at"], CHAT) == (
        "conversation_message",
        CHAT,
    )
    assert touched("conversation", "update", ["owner_id", "state"], CHAT) == ("conversation", CHAT)
    assert touched("conversation", "insert", ["last_message_at"], CHAT) == ("conversation", CHAT)


def test_one_notice_per_table_and_all_when_a_chat_is_unknown_or_too_many():
    told = notices(
        [("conversation_message", CHAT), ("conversation_message", OTHER), ("escalation", None)]
    )
    assert told == [
        Notice("conversation_message", frozenset({CHAT, OTHER})),
        Notice("escalation"),
    ]
    assert notices([("conversation", CHAT), ("conversation", None)]) == [Notice("conversation")]
    many = [("conversation_message", uuid.uuid4()) for _ in range(MOST_CHATS + 1)]
    assert notices(many) == [Notice("conversation_message")]


def test_a_notice_concerns_the_holder_of_its_chats_and_everyone_when_not_lines():
    line = Notice("conversation_message", frozenset({CHAT}))
    assert line.lines_only and line.concerns({CHAT}) and not line.concerns({OTHER})
    assert Notice("conversation", frozenset({CHAT})).concerns({OTHER})
    assert Notice("conversation_message").concerns(set())
