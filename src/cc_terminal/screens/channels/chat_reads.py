"""The chat area's reads (a mixin of ChatScreen): what it reads again, and when.

A full read is the waiting queue, one's own chats ("mine"), the open chat with its lines
(which marks them read) and its customer's card; the queue alone is the waiting queue's
pane. Another writer's change (``heard``, app_floor.py) reads:

* a line of a chat held here: in full; of a colleague's chat: nothing;
* a chat started, taken, given, handed over or closed: in full when the chat is or was
  held here, or was given to this operator (store/change_notice.py ``concerns``); else the
  queue alone (a colleague's chat leaves the queue, or a new one waits).

Reads never pile up (a burst of notices): while one runs, those asked for mark what the
next must read, and one read follows when it ends, of the widest kind asked for. The
area's timer (every two seconds, chats.py) reads in full only when no full read began
since its last tick: a busy area, read at its chats' notices, is not read again for
nothing; an idle one still is (wait times, a typing mark that expires)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any

from textual import work

from cc_terminal.i18n import _
from cc_terminal.screens.channels.chat_widgets import EMAIL
from cc_terminal.services.channels.mail_views import LetterThread
from cc_terminal.services.channels.views import ChatDetail, OpenChat, QueuedChat, TakenElsewhere
from cc_terminal.services.common.views import CustomerCard
from cc_terminal.store.change_notice import Notice
from cc_terminal.widgets.safe_text import shown


class Read(IntEnum):
    """What a read reads; a wider one covers a narrower one asked for meanwhile."""

    NONE = 0
    QUEUE = 1
    FULL = 2


@dataclass(frozen=True)
class Seen:
    """What one read of the chats brought."""

    queue: tuple[QueuedChat, ...]
    mine: tuple[OpenChat, ...]
    detail: ChatDetail | None
    card: CustomerCard | None
    thread: LetterThread | None = None  # the open conversation's letters, when a letter
    asked: int = 0  # the notices that may bring a chat here heard before the read began
    wanted: uuid.UUID | None = None  # the chat open when the read began


class ChatReads:
    """Mixed into ChatScreen: it has ``seen``, ``current``, ``services``, ``workstation``
    and shows a read with ``show`` (a full one) and ``show_queue``."""

    app: Any
    services: Any
    workstation: Any
    seen: Seen
    current: uuid.UUID | None
    notify: Any

    # notices that may have given a chat here, and of those the ones a finished read began
    # after: while fewer, a chat given here may not be listed yet (set on the instance)
    asked = known = 0
    reading = False
    pending = Read.NONE  # asked for while a read ran: read when it ends
    fresh = False  # a full read began since the timer's last tick

    def show(self, seen: Seen) -> None:
        raise NotImplementedError

    def show_queue(self, queue: tuple[QueuedChat, ...]) -> None:
        raise NotImplementedError

    def heard(self, notice: Notice) -> None:
        """Another writer's change to the chats (app_floor.py): see the module's words."""
        actor = self.workstation.actor
        operator = actor.operator_id if actor is not None else None
        if not notice.concerns(self.held(), operator):
            if self.known < self.asked and notice.lines_only:
                self.refresh_chats()  # a line of a chat that a read under way may bring
        elif notice.lines_only:
            self.refresh_chats()
        else:
            self.read_all()

    def waiting_counted(self, waiting: int) -> None:
        """The header counted the waiting chats after a chat notice (app_badges.py): the
        queue pane reads again if some wait or it lists some."""
        if waiting or self.seen.queue:
            self._want(Read.QUEUE)

    def read_all(self) -> None:
        """Read again, and take any line heard until this read is shown as possibly of a
        chat it brings (one given meanwhile, or the first read at all)."""
        self.asked += 1
        self.refresh_chats()

    def held(self) -> set[uuid.UUID]:
        return {chat.id for chat in self.seen.mine}

    def refresh_chats(self) -> None:
        self._want(Read.FULL)

    def timer_read(self) -> None:
        """The area's timer: a full read unless one began since the last tick."""
        if not self.fresh:
            self.refresh_chats()
        self.fresh = False

    def _want(self, kind: Read) -> None:
        if self.reading:
            self.pending = max(self.pending, kind)
            return
        self.reading = True
        self.fresh = self.fresh or kind == Read.FULL
        self._read(kind)

    def read_ended(self) -> None:
        """On the app's thread once a read is shown (or failed): the one asked for since."""
        self.reading = False
        kind, self.pending = self.pending, Read.NONE
        if kind:
            self._want(kind)

    @work(thread=True, exit_on_error=False, group="chats")
    def _read(self, kind: Read) -> None:
        try:
            if kind == Read.FULL:
                seen = self._read_full()
                if seen is not None:
                    self.app.call_from_thread(self.show, seen)
            else:
                queue = self._read_queue()
                if queue is not None:
                    self.app.call_from_thread(self.show_queue, queue)
        finally:
            self.app.call_from_thread(self.read_ended)

    def _read_queue(self) -> tuple[QueuedChat, ...] | None:
        actor = self.workstation.actor
        return None if actor is None else self.services.chats.queue(actor)

    def _read_full(self) -> Seen | None:
        actor = self.workstation.actor
        if actor is None:
            return None
        asked, wanted = self.asked, self.current
        chats = self.services.chats
        queue, mine = chats.queue(actor), chats.mine(actor)
        ids = [chat.id for chat in mine]
        held = {chat.id for chat in self.seen.mine} - set(ids)
        for taken in chats.went_elsewhere(actor, held):
            self.app.call_from_thread(self._went_elsewhere, taken)
        current = wanted if wanted in ids else (ids[0] if ids else None)
        detail = chats.detail(actor, current) if current is not None else None
        card = thread = None
        if detail is not None and detail.customer_id is not None:
            card = self.services.customers.card(detail.customer_id)
        if detail is not None and detail.channel == EMAIL:
            thread = self.services.mail.thread(actor, detail.id)
        return Seen(queue, mine, detail, card, thread, asked, wanted)

    def queue_seen(self, queue: tuple[QueuedChat, ...]) -> Seen:
        return replace(self.seen, queue=queue)

    def _went_elsewhere(self, taken: TakenElsewhere) -> None:
        words = _("{owner} took the chat with {visitor} first, on another terminal: it is theirs.")
        said = words.format(owner=shown(taken.owner_name), visitor=shown(taken.visitor_name))
        self.notify(said, severity="warning", timeout=15, markup=False)
