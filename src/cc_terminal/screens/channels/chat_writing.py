"""The chat area's writing (a mixin of ChatScreen): the message box's text sent as a chat
line or queued as a letter's reply, "/code" turned into a knowledge base item's answer,
and the visitor told that the operator is typing."""

from __future__ import annotations

import contextlib
import time
import uuid
from typing import Any

from textual import work
from textual.widgets import TextArea

from cc_terminal.i18n import _
from cc_terminal.screens.channels.chat_widgets import MessageBox, canned_code
from cc_terminal.services.common.errors import ServiceError, ValidationFailed
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.safe_text import plain

TYPING_EVERY_SECONDS = 3


class ChatWriting:
    """Mixed into ChatScreen: it has ``current``, ``services`` and ``workstation``."""

    app: Any
    services: Any
    workstation: Any
    current: uuid.UUID | None
    typing_sent: float
    reply_id: str  # a letter's reply keeps its id until queued: a second Ctrl+S is the same
    offer_code: str  # the product the reply offers (letter_offers.py), "" for a plain reply
    query_one: Any
    refresh_chats: Any

    def is_letter(self) -> bool:
        raise NotImplementedError

    def on_message_box_send(self, event: MessageBox.Send) -> None:
        code = canned_code(event.text)
        if code is not None:
            self.canned(code)
        elif self.current is None:
            self._problem(_("No chat open: N takes the next waiting chat."))
        elif self.is_letter():
            self.reply_id = self.reply_id or uuid.uuid4().hex
            self.send_reply(self.current, self.reply_id, event.text, self.offer_code)
        else:
            self.send_line(self.current, event.text)

    @work(thread=True, exit_on_error=False, group="chat-write")
    def send_line(self, chat_id: uuid.UUID, text: str) -> None:
        actor = self.workstation.require_actor()
        self._sending(lambda: self.services.chats.send(actor, chat_id, uuid.uuid4().hex, text))

    @work(thread=True, exit_on_error=False, group="chat-write")
    def send_reply(self, letter_id: uuid.UUID, client_id: str, text: str, offer: str) -> None:
        actor = self.workstation.require_actor()
        mail = self.services.mail
        self._sending(lambda: mail.reply(actor, letter_id, client_id, text, offer_code=offer))

    def _sending(self, write: Any) -> None:
        """In a worker: the write, then the box emptied, or why not above it."""
        if self.tried(write) is not None:
            self.app.call_from_thread(self._sent)

    def tried(self, call: Any) -> Any:
        """In a worker: what ``call`` returns, or None with the reason said above the box."""
        try:
            return call()
        except ValidationFailed as failed:
            self.app.call_from_thread(self._problem, " ".join(failed.errors.values()))
        except ServiceError as refused:
            self.app.call_from_thread(self._problem, str(refused))
        return None

    def _sent(self) -> None:
        self.reply_id = ""
        self.offer_code = ""
        self.query_one("#chat-box", MessageBox).clear()
        self.query_one("#chat-problem", InPlaceText).text = ""
        self.refresh_chats()
        self.workstation.share_now()  # a folder floor: the visitor waits one round less

    def _problem(self, message: str) -> None:
        self.query_one("#chat-problem", InPlaceText).text = plain(message, style="bold red")

    @work(thread=True, exit_on_error=False, group="canned")
    def canned(self, code: str) -> None:
        wanted = code.strip().upper()
        found = next(
            (item for item in self.services.catalog.items() if item.code.upper() == wanted), None
        )
        if found is None:
            message = _("No canned answer {code}: the knowledge base has no such code.").format(
                code=code
            )
            self.app.call_from_thread(self._problem, message)
            return
        answer = f"{found.name}: {found.description}" if found.description else found.name
        self.app.call_from_thread(self._canned_in, answer)

    def _canned_in(self, answer: str) -> None:
        box = self.query_one("#chat-box", MessageBox)
        box.load_text(answer)
        box.move_cursor(box.document.end)
        self.query_one("#chat-problem", InPlaceText).text = ""

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        now = time.monotonic()
        if event.text_area.id != "chat-box" or self.is_letter():
            return  # a letter's writer is not watched: the customer sees the reply only
        if self.current is not None and now - self.typing_sent > TYPING_EVERY_SECONDS:
            self.typing_sent = now
            self.tell_typing(self.current)

    @work(thread=True, exit_on_error=False, group="typing")
    def tell_typing(self, chat_id: uuid.UUID) -> None:
        with contextlib.suppress(ServiceError):  # the chat moved on: nothing to tell
            self.services.chats.typing(self.workstation.require_actor(), chat_id)
