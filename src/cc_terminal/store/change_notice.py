"""What a change notice says: the table a write changed and, for the chat tables, which
conversations it touched, so that a terminal re-reads only what concerns it (issue 26).

On the wire (a NOTIFY's payload, store/notify.py) a notice is the table's name, or the
name, a colon and the conversations' ids in hex separated by commas:
``conversation_message:6f1c…,9a02…``; a chat's row adds a semicolon and the operators the
change gave chats to (none: nothing after it): ``conversation:6f1c…;4b7e…``. A name alone
means "any row may have changed": what every notice said before ids were added, and what a
chat notice says when a change op's chat is not known; ids without the semicolon part say
the chats but not to whom (every holder reads, as before holders were added).

Two kinds of chat notice matter to a terminal:

* ``conversation_message`` with ids: these chats' lines changed, or what is shown beside
  them (a line's marks, who is typing, the time of the last line). Only the terminals
  holding one of these chats read again.
* any other chat notice (a chat started, taken, given, handed over, closed): a holder or
  the floor board may have changed; a terminal reads its own chats again only when one of
  these chats is or was its operator's (held, or given to them now), or when the notice
  does not say (``concerns``). Every terminal counts the waiting chats and reads its
  queue again, unless the notice says the queue stayed as it was (``|kept`` at the end of
  the payload: no chat entered or left it, and nothing shown of a waiting one changed,
  such as a chat started and given at once). A terminal of an older version takes the
  mark for ids it does not understand and reads everything, as for a notice of all.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

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
# A chat's fields that the waiting queue or its count shows (services/channels/reading.py
# ``queue`` and ``waiting_summary``): an update of no other field leaves the queue alone.
QUEUE_FIELDS = frozenset(
    {"state", "created_at", "topic", "department", "visitor_name", "visitor_contact"}
    | {"customer_id", "channel"}
)
OPENED = ConversationState.OPEN.value
WAITING = ConversationState.WAITING.value
KEPT = "kept"  # the payload's mark of a notice that left the waiting queue as it was
# PostgreSQL refuses a payload of 8000 bytes or more: a write touching more chats than this
# (33 characters each) is told in several notices, each with the new holders, unless they
# are more than MOST_OWNERS (then not said: every holder reads).
MOST_CHATS = 190
MOST_OWNERS = 40


class Touch(NamedTuple):
    """What one change op touched: its notice's table, its chat (None: not known, or not a
    chat table's row) and, for a chat's row given to an operator, that operator."""

    entity: str
    chat: uuid.UUID | None
    owner: uuid.UUID | None = None
    queue: bool = True  # may have changed the waiting queue (which chats wait, or a line of it)


@dataclass(frozen=True)
class Notice:
    entity: str
    chats: frozenset[uuid.UUID] | None = None  # None: which ones is not said (any)
    # a chat row's notice: the operators the change gave chats to (None: not said, any)
    owners: frozenset[uuid.UUID] | None = None
    queue: bool = True  # False: the waiting queue (and its count) stayed as it was

    @property
    def lines_only(self) -> bool:
        """Only the named chats' lines (or marks, typing) changed: no queue, no holder."""
        return self.entity == CHAT_LINES and self.chats is not None

    @property
    def queue_moved(self) -> bool:
        """The waiting queue or its count may have changed: the badge counts again and
        the queue pane reads again."""
        return self.queue and not self.lines_only

    def concerns(self, chat_ids: Collection[uuid.UUID], operator: uuid.UUID | None = None) -> bool:
        """Whether a terminal holding ``chat_ids`` (of ``operator``) must read its own
        chats again: one of them changed, or a chat was given to ``operator``, or the
        notice does not say which chats or to whom."""
        if not self.chats or not self.chats.isdisjoint(chat_ids):
            return True
        if self.lines_only:
            return False
        return self.owners is None or operator in self.owners

    def payload(self) -> str:
        if self.chats is None:
            return self.entity
        listed = f"{self.entity}:{_hex(self.chats)}"
        if self.owners is not None:
            listed = f"{listed};{_hex(self.owners)}"
        return listed if self.queue else f"{listed}|{KEPT}"  # never on a line's: see notices


def _hex(ids: frozenset[uuid.UUID]) -> str:
    return ",".join(sorted(one.hex for one in ids))


def heard(payload: str) -> Notice:
    """The notice a payload carries; ids that are not ids (or a mark not known) make it a
    notice of all."""
    entity, _colon, listed = payload.partition(":")
    listed, bar, mark = listed.partition("|")
    chats, semicolon, owners = listed.partition(";")
    if not chats or (bar and mark != KEPT):
        return Notice(entity)
    try:
        said = frozenset(uuid.UUID(hex_id) for hex_id in chats.split(","))
        given = frozenset(uuid.UUID(hex_id) for hex_id in owners.split(",") if hex_id)
    except ValueError:
        return Notice(entity)
    return Notice(entity, said, given if semicolon else None, queue=not bar)


def touched(entity: str, kind: str, values: Mapping[str, object], chat: uuid.UUID | None) -> Touch:
    """Under which notice one change op falls (``values``: the fields it changed, with
    their new values): a chat's row updated in its line fields only, or opened by its
    holder's first answer, is told as its lines; ``chat`` the conversation the row belongs
    to (None: not known, or not a chat table's row). A chat's row that names a holder
    (given, taken, handed over; or started given) says to whom. Whether it may have
    changed the waiting queue: a chat's row inserted waiting, deleted, or updated in a
    field the queue shows (``QUEUE_FIELDS``); a history row of who held a chat never."""
    if entity == CHAT_ROWS and kind == "update" and _by_a_line(values):
        return Touch(CHAT_LINES, chat, queue=False)
    if entity != CHAT_ROWS:
        return Touch(entity, chat, queue=entity != CHAT_ASSIGNMENTS)
    if kind == "insert":
        queue = values.get("state", WAITING) == WAITING
    else:
        queue = kind == "delete" or not QUEUE_FIELDS.isdisjoint(values)
    return Touch(entity, chat, _as_id(values.get("owner_id")), queue)


def _as_id(value: object) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _by_a_line(values: Mapping[str, object]) -> bool:
    """The first answer opens the chat (assigned -> open): still held, by the same."""
    rest = set(values) - LINE_FIELDS
    return not rest or (rest == {"state"} and values["state"] == OPENED)


def notices(touches: Iterable[Touch]) -> list[Notice]:
    """One notice per table, in the order of the tables' names; a chat table's with the
    chats touched if all are known (else the name alone), a chat row's with the operators
    given chats, in as many notices as a payload's limit needs."""
    chats: dict[str, set[uuid.UUID] | None] = {}
    owners: set[uuid.UUID] = set()
    queue_moved: set[str] = set()  # the tables whose changes may have moved the queue
    for entity, chat, owner, queue in touches:
        if owner is not None:
            owners.add(owner)
        if queue:
            queue_moved.add(entity)
        if entity not in CHAT_TABLES:
            chats.setdefault(entity, None)
            continue
        known = chats.setdefault(entity, set())
        if known is None or chat is None:
            chats[entity] = None
        else:
            known.add(chat)
    given = frozenset(owners) if len(owners) <= MOST_OWNERS else None
    told = []
    for entity, ids in sorted(chats.items()):
        if ids is None:
            told.append(Notice(entity))
            continue
        listed = sorted(ids)
        said = given if entity == CHAT_ROWS else None
        # a line's notice never moves the queue (``lines_only``) and carries no mark: an
        # older terminal would take the mark for ids not understood and read everything
        queue = entity in queue_moved or entity == CHAT_LINES
        for start in range(0, len(listed), MOST_CHATS):
            told.append(Notice(entity, frozenset(listed[start : start + MOST_CHATS]), said, queue))
    return told
