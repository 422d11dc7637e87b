"""What a change notice says: the table a write changed and, for the chat tables, which
conversations it touched, so that a terminal re-reads only what concerns it (issue 26).

On the wire (a NOTIFY's payload, store/notify.py) a notice is the table's name, or the
name, a colon and the conversations' ids in hex separated by commas:
``conversation_message:6f1c…,9a02…``. A name alone means "any row may have changed": what
every notice said before ids were added, and what a chat notice says when a change op's
chat is not known.

Two kinds of chat notice matter to a terminal:

* ``conversation_message`` with ids: these chats' lines changed, or what is shown beside
  them (a line's marks, who is typing, the time of the last line). Only the terminals
  holding one of these chats read again.
* any other chat notice (a chat started, taken, given, handed over, closed; or no ids):
  the waiting queue, a holder, the floor board may have changed; every terminal reads.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from cc_terminal.models.conversation import ConversationState

CHAT_ROWS = "conversation"
CHAT_LINES = "conversation_message"
CHAT_ASSIGNMENTS = "conversation_assignment"
CHAT_TABLES = frozenset({CHAT_ROWS, CHAT_LINES, CHAT_ASSIGNMENTS})
# A chat's fields that a line or a keystroke moves and that neither the queue, nor who
# holds the chat, nor the floor board shows: such an update is told as the chat's lines.
LINE_FIELDS = frozenset(
    {"last_message_at", "visitor_typing_at", "operator_typing_at", "first_response_at", "version"}
)
OPENED = ConversationState.OPEN.value
# PostgreSQL refuses a payload of 8000 bytes or more: a write touching more chats than this
# (33 characters each) is told in several notices.
MOST_CHATS = 200


@dataclass(frozen=True)
class Notice:
    entity: str
    chats: frozenset[uuid.UUID] | None = None  # None: which ones is not said (any)

    @property
    def lines_only(self) -> bool:
        """Only the named chats' lines (or marks, typing) changed: no queue, no holder."""
        return self.entity == CHAT_LINES and self.chats is not None

    def concerns(self, chat_ids: Collection[uuid.UUID]) -> bool:
        """Whether a terminal holding ``chat_ids`` must read again."""
        return not self.lines_only or not self.chats or not self.chats.isdisjoint(chat_ids)

    def payload(self) -> str:
        if self.chats is None:
            return self.entity
        return f"{self.entity}:{','.join(sorted(chat.hex for chat in self.chats))}"


def heard(payload: str) -> Notice:
    """The notice a payload carries; ids that are not ids make it a notice of all."""
    entity, _colon, listed = payload.partition(":")
    if not listed:
        return Notice(entity)
    try:
        return Notice(entity, frozenset(uuid.UUID(hex_id) for hex_id in listed.split(",")))
    except ValueError:
        return Notice(entity)


def touched(
    entity: str, kind: str, values: Mapping[str, object], chat: uuid.UUID | None
) -> tuple[str, uuid.UUID | None]:
    """Under which notice one change op falls (``values``: the fields it changed, with
    their new values): a chat's row updated in its line fields only, or opened by its
    holder's first answer, is told as its lines; ``chat`` the conversation the row belongs
    to (None: not known, or not a chat table's row)."""
    if entity == CHAT_ROWS and kind == "update" and _by_a_line(values):
        return CHAT_LINES, chat
    return entity, chat


def _by_a_line(values: Mapping[str, object]) -> bool:
    """The first answer opens the chat (assigned -> open): still held, by the same."""
    rest = set(values) - LINE_FIELDS
    return not rest or (rest == {"state"} and values["state"] == OPENED)


def notices(touches: Iterable[tuple[str, uuid.UUID | None]]) -> list[Notice]:
    """One notice per table, in the order of the tables' names; a chat table's with the
    chats touched if all are known (else the name alone), in as many notices as a
    payload's limit needs."""
    chats: dict[str, set[uuid.UUID] | None] = {}
    for entity, chat in touches:
        if entity not in CHAT_TABLES:
            chats.setdefault(entity, None)
            continue
        known = chats.setdefault(entity, set())
        if known is None or chat is None:
            chats[entity] = None
        else:
            known.add(chat)
    told = []
    for entity, ids in sorted(chats.items()):
        if ids is None:
            told.append(Notice(entity))
            continue
        listed = sorted(ids)
        for start in range(0, len(listed), MOST_CHATS):
            told.append(Notice(entity, frozenset(listed[start : start + MOST_CHATS])))
    return told
