"""One visitor's socket: its frames read in order, each answered; the lines it has not
seen, their marks and the operator's typing pushed as the hub hands them over (the hub
reads them for every socket at once); whether a shown typing stopped asked while it is
shown. All it knows of its chat is the token the visitor presents."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from cc_terminal import limits
from cc_terminal.channels.chat.gateway import Gateway, Unavailable
from cc_terminal.channels.chat.protocol import (
    BadFrame,
    client_id_of,
    error_frame,
    form_of,
    language_of,
    line_frame,
    number_of,
    parse,
    text_of,
    token_of,
)
from cc_terminal.i18n import N_, translated
from cc_terminal.services.channels.views import VisitorLine
from cc_terminal.services.common.errors import NotFound, ServiceError, ValidationFailed

log = logging.getLogger(__name__)
BINARY = N_("Send text frames of JSON.")
UNKNOWN_CHAT = N_("This chat is not known here.")
STORE_AWAY = N_("Try again in a moment.")
NO_CHAT_YET = N_("Start a chat first.")
TOO_MANY = N_("Too many messages: wait a moment, then send again.")
TYPING_EVERY = 2.0  # seconds between the visitor's typing marks stored
# Typing checks between two looks of its own at the visitor's marks: the hub's look
# brings them; this one is for a hub that fell behind its look-back.
MARKS_EVERY = 15
POLICY_VIOLATION, TOO_BIG = 1008, 1009


class VisitorSocket:
    def __init__(self, websocket: WebSocket, gateway: Gateway, name: str) -> None:
        self.websocket, self.gateway, self.name = websocket, gateway, name
        self.token = ""
        self.last_seq = 0
        self.own_marks: dict[int, tuple[bool, bool]] = {}  # the visitor's lines not yet read
        self.operator_typing = False
        self.language = gateway.config.language  # the visitor's, once a frame says it
        self.typed_at = 0.0
        self.lock = anyio.Lock()
        self.handlers: dict[str, Callable[[dict[str, Any]], Awaitable[None]]] = {
            "start": self.start,
            "resume": self.resume,
            "message": self.message,
            "typing": self.typing,
            "read": self.read,
            "leave": self.leave,
            "close": self.close,
            "transcript": self.transcript,
        }

    async def run(self) -> None:
        """Answer frames until the visitor goes; the operator's typing asked meanwhile."""
        try:
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(self.watch_operator)
                await self.read_frames()
                tasks.cancel_scope.cancel()
        finally:
            self.gateway.hub.detach(self)

    async def read_frames(self) -> None:
        limit = self.gateway.config.limits
        while True:
            message = await self.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            if not self.gateway.guard.frame(self.name):
                return await self.websocket.close(POLICY_VIOLATION, "too many frames")
            text = message.get("text")
            if text is None:
                await self.send(error_frame(self.words(BINARY)))
            elif len(text) > limit.frame_bytes:
                return await self.websocket.close(TOO_BIG, "frame too big")
            else:
                await self.answer(text)

    async def answer(self, text: str) -> None:
        data: dict[str, Any] = {}
        try:
            data = parse(text)
            await self.handlers[data["type"]](data)
        except BadFrame as bad:
            words = self.words(bad.message).format(**bad.values)
            await self.send(error_frame(words, bad.field, _client(data)))
        except ValidationFailed as failed:
            for field, words in failed.errors.items():
                await self.send(error_frame(words, field, _client(data)))
        except NotFound:
            await self.send(error_frame(self.words(UNKNOWN_CHAT), "token"))
        except ServiceError as refused:
            await self.send(error_frame(str(refused), "", _client(data)))
        except Unavailable:
            await self.send(error_frame(self.words(STORE_AWAY), "store", _client(data)))

    async def start(self, data: dict[str, Any]) -> None:
        self.learn_language(data.get("form"))
        form = form_of(data, limits.EMAIL)
        if self.gateway.cut_off() or not await self.gateway.call(
            self.gateway.chats.someone_available, form.topic
        ):  # the leave-a-message form: its request reaches the floor when the share is back
            return await self.send({"type": "busy"})
        started = await self.gateway.write(self.gateway.chats.start, form)
        self.attach(started.token, started.conversation_id)
        await self.send(
            {
                "type": "started",
                "token": started.token,
                "conversation": str(started.conversation_id),
            }
        )
        await self.refresh()

    async def resume(self, data: dict[str, Any]) -> None:
        self.learn_language(data)
        token = token_of(data)
        after = number_of(data, "after")
        lines = await self.gateway.call(self.gateway.chats.lines_after, token, after)
        self.attach(token, _uuid(data.get("conversation")))
        async with self.lock:
            self.last_seq = max(self.last_seq, after)
            await self.send({"type": "resumed"})
            await self.push(lines)

    async def message(self, data: dict[str, Any]) -> None:
        client_id = client_id_of(data)
        text = text_of(data, "text", self.gateway.config.limits.message_chars)
        if not self.token:
            raise BadFrame(NO_CHAT_YET, "token")
        if not self.gateway.guard.message(self.name):
            raise BadFrame(TOO_MANY, "text")
        line = await self.gateway.post(self.token, client_id, text)
        await self.send({"type": "ack", "client_id": client_id, "seq": line.seq})
        await self.show_own(line)

    async def show_own(self, line: VisitorLine) -> None:
        """The visitor's stored line sent back at once, not left to the hub's look (which
        misses a line whose transaction outlasted the store's look-back). Sent as it is
        when it is the next line of the chat this socket shows; after a gap, the lines
        after the last one shown are read, so none is skipped. Its marks as they move
        come with the hub's looks."""
        async with self.lock:
            if line.seq == self.last_seq + 1:
                return await self.push([line])
        if line.seq > self.last_seq:
            await self.refresh()

    async def typing(self, data: dict[str, Any]) -> None:
        now = time.monotonic()
        if self.token and now - self.typed_at >= TYPING_EVERY:
            self.typed_at = now
            await self.gateway.write(self.gateway.chats.typing, self.token)

    async def read(self, data: dict[str, Any]) -> None:
        seq = number_of(data, "seq")
        if self.token:
            await self.gateway.write(self.gateway.chats.mark_read, self.token, seq)

    async def leave(self, data: dict[str, Any]) -> None:
        self.learn_language(data.get("form"))
        form = form_of(data, limits.EMAIL)
        text = text_of(data, "text", self.gateway.config.limits.message_chars)
        if not self.gateway.guard.message(self.name):
            raise BadFrame(TOO_MANY, "text")
        await self.gateway.write(self.gateway.chats.leave_message, form, text)
        await self.send({"type": "left"})

    async def close(self, data: dict[str, Any]) -> None:
        if self.token:
            await self.gateway.write(self.gateway.chats.close_by_visitor, self.token)
            await self.refresh()
        await self.send({"type": "closed"})

    async def transcript(self, data: dict[str, Any]) -> None:
        """The chat's transcript to the visitor's pre-chat address; the frame may present
        the token of a chat this socket does not show (one that ended: the widget asks
        on a short socket of its own)."""
        self.learn_language(data)
        token = token_of(data) or self.token
        if not token:
            raise BadFrame(NO_CHAT_YET, "token")
        if not self.gateway.guard.message(self.name):
            raise BadFrame(TOO_MANY, "transcript")
        address = await self.gateway.write(self.gateway.chats.request_transcript, token)
        await self.send({"type": "transcript", "to": address})

    def learn_language(self, said: object) -> None:
        if isinstance(said, dict):
            self.language = language_of(said, self.language)

    def words(self, message: str) -> str:
        return translated(self.language, message)

    def attach(self, token: str, conversation: uuid.UUID | None) -> None:
        self.gateway.hub.detach(self)
        if token != self.token:
            self.last_seq, self.own_marks = 0, {}
        self.token = token
        self.gateway.hub.attach(self, conversation)

    async def refresh(self) -> None:
        """Push the lines after the last one sent, and the visitor's own whose marks moved."""
        if not self.token:
            return
        async with self.lock:
            after = min([self.last_seq, *(seq - 1 for seq in self.own_marks)])
            lines = await self.gateway.call(self.gateway.chats.lines_after, self.token, after)
            await self.push(lines)

    def lacks(self, line: VisitorLine) -> bool:
        """Whether the visitor has not seen this line, or not with these marks."""
        marks = (line.delivered, line.read)
        return line.seq > self.last_seq or self.own_marks.get(line.seq, marks) != marks

    def wants(self, lines: list[VisitorLine], typing: bool) -> bool:
        """Whether the hub's news of this chat brings anything this socket has not shown."""
        return typing != self.operator_typing or any(self.lacks(line) for line in lines)

    async def push(self, lines: list[VisitorLine]) -> None:
        for line in lines:
            if not self.lacks(line):
                continue
            marks = (line.delivered, line.read)
            await self.send(line_frame(line))
            self.last_seq = max(self.last_seq, line.seq)
            if line.author == "visitor" and not line.read:
                self.own_marks[line.seq] = marks
            else:
                self.own_marks.pop(line.seq, None)

    async def changed(self) -> None:
        """Some chat changed and this socket did not say which is its own: ask."""
        await self.refresh()
        await self.check_typing()

    def awaits_marks(self) -> bool:
        return bool(self.own_marks)

    async def told(self, lines: list[VisitorLine], typing: bool) -> None:
        """The hub's news of this chat: lines new or with new marks, the operator typing."""
        async with self.lock:
            await self.push(lines)
        if typing != self.operator_typing:
            self.operator_typing = typing
            await self.send({"type": "typing", "on": typing})

    async def check_typing(self) -> None:
        typing = await self.gateway.call(self.gateway.chats.operator_typing, self.token)
        if typing != self.operator_typing:
            self.operator_typing = typing
            await self.send({"type": "typing", "on": typing})

    async def watch_operator(self) -> None:
        """While the operator is shown typing, whether they stopped (no change says so);
        the visitor's own marks as the operator reads (a mark is no change either)."""
        ticks = 0
        while True:
            await anyio.sleep(self.gateway.config.typing_seconds)
            ticks += 1
            if not self.token:
                continue
            try:
                if self.operator_typing:
                    await self.check_typing()
                if self.own_marks and ticks % MARKS_EVERY == 0:
                    await self.refresh()
            except (ServiceError, Unavailable):
                continue

    async def send(self, frame: dict[str, Any]) -> None:
        if self.websocket.application_state != WebSocketState.CONNECTED:
            return
        try:
            await self.websocket.send_json(frame)
        except (RuntimeError, OSError, WebSocketDisconnect):  # the visitor went meanwhile
            log.debug("a frame to a closed socket was dropped")


def _client(data: dict[str, Any]) -> str:
    client_id = data.get("client_id")
    return client_id[:64] if isinstance(client_id, str) else ""


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None
