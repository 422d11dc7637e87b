"""A change notice names the chats a write touched (store/change_notice.py), in notices
that each fit a NOTIFY's payload; an unknown chat or a payload not understood is a notice
of all, which every receiver reads as before ids were added."""

from __future__ import annotations

import uuid

from cc_terminal.store.change_notice import (
    MOST_CHATS,
    MOST_OWNERS,
    Notice,
    Touch,
    heard,
    notices,
    touched,
)

CHAT, OTHER = uuid.UUID(int=1), uuid.UUID(int=2)


def test_a_notice_travels_as_its_payload_and_back():
    for notice in (
        Notice("escalation"),
        Notice("conversation_message", frozenset({CHAT, OTHER})),
        Notice("conversation", frozenset({CHAT}), frozenset({OTHER})),
        Notice("conversation", frozenset({CHAT}), frozenset()),
        Notice("conversation", frozenset({CHAT})),
        Notice("conversation", frozenset({CHAT}), frozenset({OTHER}), queue=False),
        Notice("conversation_assignment", frozenset({CHAT}), queue=False),
    ):
        assert heard(notice.payload()) == notice
    most = Notice(
        "conversation_assignment",
        frozenset(uuid.uuid4() for _ in range(MOST_CHATS)),
        frozenset(uuid.uuid4() for _ in range(MOST_OWNERS)),
    )
    assert len(most.payload()) < 8000


def test_a_payload_not_understood_is_a_notice_of_all():
    assert heard("conversation_message:not-an-id") == Notice("conversation_message")
    assert heard("conversation_message:") == Notice("conversation_message")
    assert heard(f"conversation:{CHAT.hex};not-an-id") == Notice("conversation")
    assert heard(f"conversation:{CHAT.hex}|not-a-mark") == Notice("conversation")
    assert heard(f"conversation:{CHAT.hex}|") == Notice("conversation")


def test_a_chat_row_moved_only_by_a_line_is_told_as_its_lines():
    lines = Touch("conversation_message", CHAT, queue=False)
    moved = {"last_message_at": "2026-12-05T20:00:00+00:00", "visitor_typing_at": None}
    assert touched("conversation", "update", moved, CHAT) == lines
    answered = {"state": "open", "first_response_at": "2026-12-05T20:00:00+00:00", "version": 2}
    assert touched("conversation", "update", answered, CHAT) == lines  # still held, same holder
    given = {"owner_id": str(OTHER), "state": "assigned"}
    assert touched("conversation", "update", given, CHAT) == Touch("conversation", CHAT, OTHER)
    closed = {"state": "closed"}
    assert touched("conversation", "update", closed, CHAT) == Touch("conversation", CHAT)
    started = {**moved, "owner_id": None}
    assert touched("conversation", "insert", started, CHAT) == Touch("conversation", CHAT)


def test_one_notice_per_table_all_when_a_chat_is_unknown_and_many_chats_split():
    told = notices(
        [
            Touch("conversation_message", CHAT),
            Touch("conversation_message", OTHER),
            Touch("escalation", None),
        ]
    )
    assert told == [
        Notice("conversation_message", frozenset({CHAT, OTHER})),
        Notice("escalation"),
    ]
    unknown = [Touch("conversation", CHAT), Touch("conversation", None)]
    assert notices(unknown) == [Notice("conversation")]
    many = [Touch("conversation_message", uuid.uuid4()) for _ in range(MOST_CHATS + 1)]
    split = notices(many)
    assert [len(notice.chats or ()) for notice in split] == [MOST_CHATS, 1]
    assert frozenset().union(*(notice.chats or () for notice in split)) == {t.chat for t in many}


def test_a_chat_row_notice_says_to_whom_chats_were_given_unless_too_many():
    given = notices([Touch("conversation", CHAT, OTHER), Touch("conversation", OTHER)])
    assert given == [Notice("conversation", frozenset({CHAT, OTHER}), frozenset({OTHER}))]
    started = notices([Touch("conversation", CHAT)])
    assert started == [Notice("conversation", frozenset({CHAT}), frozenset())]
    crowd = [Touch("conversation", uuid.uuid4(), uuid.uuid4()) for _ in range(MOST_OWNERS + 1)]
    assert notices(crowd)[0].owners is None  # not said: every holder reads


def test_a_notice_concerns_the_holder_of_its_chats_and_whom_a_chat_was_given():
    line = Notice("conversation_message", frozenset({CHAT}))
    assert line.lines_only and line.concerns({CHAT}) and not line.concerns({OTHER})
    me, colleague = uuid.uuid4(), uuid.uuid4()
    given = Notice("conversation", frozenset({CHAT}), frozenset({colleague}))
    assert not given.concerns({OTHER}, me)  # a colleague's: not my chats
    assert given.concerns({CHAT}, me)  # it was mine (handed over, closed)
    assert given.concerns(set(), colleague)  # given to them: at once
    assert Notice("conversation", frozenset({CHAT})).concerns({OTHER}, me)  # to whom not said
    assert Notice("conversation_message").concerns(set())


def test_a_change_says_whether_it_may_have_moved_the_waiting_queue():
    assigned = {"state": "assigned", "owner_id": str(OTHER), "owner_epoch": 1}
    started_given = touched("conversation", "insert", assigned, CHAT)
    assert started_given == Touch("conversation", CHAT, OTHER, queue=False)
    started_waiting = touched("conversation", "insert", {"state": "waiting"}, CHAT)
    assert started_waiting.queue
    assert touched("conversation", "insert", {}, CHAT).queue  # no state said: it may wait
    holder_only = {"owner_id": str(OTHER), "owner_epoch": 2, "version": 3}
    assert not touched("conversation", "update", holder_only, CHAT).queue
    # a change of holder carries its department along (Conversation.__sync_together__):
    # whether it changed is not said, so the queue may have moved
    handed = {**holder_only, "department": ""}
    assert touched("conversation", "update", handed, CHAT).queue
    for shown in ("topic", "department", "customer_id", "visitor_name", "state", "channel"):
        assert touched("conversation", "update", {shown: "x"}, CHAT).queue, shown
    assert touched("conversation", "delete", {}, CHAT).queue
    assert not touched("conversation_assignment", "insert", {"conversation_id": CHAT}, CHAT).queue
    assert touched("escalation", "insert", {}, None).queue


def test_a_write_that_left_the_queue_as_it_was_says_so_in_every_chat_notice():
    given_at_once = [
        Touch("conversation", CHAT, OTHER, queue=False),
        Touch("conversation_assignment", CHAT, queue=False),
        Touch("conversation_message", CHAT, queue=False),
    ]
    told = notices(given_at_once)
    assert [notice.queue_moved for notice in told] == [False, False, False]
    assert all(heard(notice.payload()) == notice for notice in told)
    # a line's notice carries no mark: an older terminal reads it as it always did
    lines = next(notice for notice in told if notice.entity == "conversation_message")
    assert lines.payload() == f"conversation_message:{CHAT.hex}"
    waiting_too = [*given_at_once, Touch("conversation", OTHER)]
    by_table = {notice.entity: notice for notice in notices(waiting_too)}
    assert by_table["conversation"].queue_moved
    assert not by_table["conversation_assignment"].queue_moved
    assert Notice("conversation").queue_moved  # a notice of all: the queue too
    assert not Notice("conversation_message", frozenset({CHAT})).queue_moved
    assert Notice("conversation_message").queue_moved  # its chats not said
