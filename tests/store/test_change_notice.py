"""A change notice names the chats a write touched (store/change_notice.py), in notices
that each fit a NOTIFY's payload; an unknown chat or a payload not understood is a notice
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
    lines = ("conversation_message", CHAT)
    moved = {"last_message_at": "2026-12-05T20:00:00+00:00", "visitor_typing_at": None}
    assert touched("conversation", "update", moved, CHAT) == lines
    answered = {"state": "open", "first_response_at": "2026-12-05T20:00:00+00:00", "version": 2}
    assert touched("conversation", "update", answered, CHAT) == lines  # still held, same holder
    given = {"owner_id": str(OTHER), "state": "assigned"}
    assert touched("conversation", "update", given, CHAT) == ("conversation", CHAT)
    assert touched("conversation", "update", {"state": "closed"}, CHAT) == ("conversation", CHAT)
    assert touched("conversation", "insert", moved, CHAT) == ("conversation", CHAT)


def test_one_notice_per_table_all_when_a_chat_is_unknown_and_many_chats_split():
    told = notices(
        [("conversation_message", CHAT), ("conversation_message", OTHER), ("escalation", None)]
    )
    assert told == [
        Notice("conversation_message", frozenset({CHAT, OTHER})),
        Notice("escalation"),
    ]
    assert notices([("conversation", CHAT), ("conversation", None)]) == [Notice("conversation")]
    many = [("conversation_message", uuid.uuid4()) for _ in range(MOST_CHATS + 1)]
    split = notices(many)
    assert [len(notice.chats or ()) for notice in split] == [MOST_CHATS, 1]
    assert frozenset().union(*(notice.chats or () for notice in split)) == {c for _, c in many}


def test_a_notice_concerns_the_holder_of_its_chats_and_everyone_when_not_lines():
    line = Notice("conversation_message", frozenset({CHAT}))
    assert line.lines_only and line.concerns({CHAT}) and not line.concerns({OTHER})
    assert Notice("conversation", frozenset({CHAT})).concerns({OTHER})
    assert Notice("conversation_message").concerns(set())
